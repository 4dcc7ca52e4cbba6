import { mapBelvoError } from '../../belvo/belvo-errors.js';
import { failExtraction } from '../../extractions/extraction-events.js';
import type { WebhookHandler } from './webhook-handler.js';

/** LINK events (`invalid_credentials`, `token_required`): the extraction cannot finish. */
export const handleLinkWebhook: WebhookHandler = async (ctx, webhook, extraction) => {
  const data = webhook.data ?? {};
  const errorCode =
    typeof data.error_code === 'string' ? data.error_code : (webhook.webhook_code ?? undefined);
  if (webhook.webhook_code === 'invalid_credentials' || webhook.webhook_code === 'token_required') {
    await failExtraction(
      ctx,
      extraction.id,
      mapBelvoError(typeof data.status === 'number' ? data.status : 400, errorCode ?? undefined),
    );
    return 'failed';
  }
  return `ignored_${webhook.webhook_code ?? 'no_code'}`;
};
