import type { WebhookHandler } from './webhook-handler.js';

/** `link_deleted` confirms an asynchronous deletion; our side was erased when it was requested. */
export const handleLinkDeletedWebhook: WebhookHandler = async (ctx, _webhook, extraction) => {
  ctx.logger.info(
    { extractionId: extraction.id, linkId: extraction.belvo_link_id },
    'belvo confirmed link deletion',
  );
  return 'link_deleted';
};
