import { mapBelvoError } from '../../belvo/belvo-errors.js';
import { failExtraction } from '../../extractions/extraction-events.js';
import { completeResource } from '../../extractions/resource-completion.js';
import { announcedCount, failureIn, type WebhookHandler } from './webhook-handler.js';

/** OWNERS historical_update: the person's name and document, `data.total_owners` records. */
export const handleOwnersWebhook: WebhookHandler = async (ctx, webhook, extraction) => {
  const failure = failureIn(webhook);
  if (failure) {
    await failExtraction(ctx, extraction.id, mapBelvoError(failure.status, failure.errorCode));
    return 'failed';
  }
  if (webhook.webhook_code !== 'historical_update') return `ignored_${webhook.webhook_code ?? 'no_code'}`;
  return completeResource(ctx, extraction, 'owners', announcedCount(webhook, 'total_owners'));
};
