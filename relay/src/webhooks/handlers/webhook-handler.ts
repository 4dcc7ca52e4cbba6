import { mapBelvoError } from '../../belvo/belvo-errors.js';
import type { BelvoWebhook } from '../../belvo/belvo-types.js';
import { failExtraction } from '../../extractions/extraction-events.js';
import { completeResource } from '../../extractions/resource-completion.js';
import type { RelayContext } from '../../relay-context.js';
import type { Extraction, Resource } from '../../store/queries/extractions-queries.js';

/** Handles one webhook type for an extraction we know; returns the outcome recorded on the event. */
export type WebhookHandler = (
  ctx: RelayContext,
  webhook: BelvoWebhook,
  extraction: Extraction,
) => Promise<string>;

/** A failed historical load is not documented; Belvo's LINK events carry `error_code`, so we look for it. */
export function failureIn(webhook: BelvoWebhook): { errorCode: string; status: number } | undefined {
  const data = webhook.data ?? {};
  if (typeof data.error_code !== 'string') return undefined;
  return { errorCode: data.error_code, status: typeof data.status === 'number' ? data.status : 400 };
}

export function announcedCount(webhook: BelvoWebhook, key: string): number | null {
  const value = webhook.data?.[key];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/**
 * A `historical_update` that announces `data[countKey]` records of `resource`: fail on an error
 * payload, otherwise fetch and store them (0 announced is a complete answer).
 */
export function historicalUpdateHandler(resource: Resource, countKey: string): WebhookHandler {
  return async (ctx, webhook, extraction) => {
    const failure = failureIn(webhook);
    if (failure) {
      await failExtraction(ctx, extraction.id, mapBelvoError(failure.status, failure.errorCode));
      return 'failed';
    }
    if (webhook.webhook_code !== 'historical_update') return `ignored_${webhook.webhook_code ?? 'no_code'}`;
    return completeResource(ctx, extraction, resource, announcedCount(webhook, countKey));
  };
}
