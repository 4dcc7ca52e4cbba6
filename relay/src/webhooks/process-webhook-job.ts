/**
 * Processes one stored webhook event after it was acknowledged. Events for a link we do not know yet
 * stay unprocessed; registering that link re-enqueues them.
 */
import type { BelvoWebhook } from '../belvo/belvo-types.js';
import { failExtraction } from '../extractions/extraction-events.js';
import type { JobHandler } from '../jobs/job-runner.js';
import type { RelayContext } from '../relay-context.js';
import { findExtractionByLinkId } from '../store/queries/extractions-queries.js';
import { findWebhookEvent, markWebhookEventProcessed } from '../store/queries/webhook-events-queries.js';
import { handleEmploymentsWebhook } from './handlers/employments-webhook.js';
import { handleLinkDeletedWebhook } from './handlers/link-deleted-webhook.js';
import { handleLinkWebhook } from './handlers/link-webhook.js';
import { handleOwnersWebhook } from './handlers/owners-webhook.js';
import type { WebhookHandler } from './handlers/webhook-handler.js';

const HANDLERS_BY_TYPE: Record<string, WebhookHandler> = {
  EMPLOYMENTS: handleEmploymentsWebhook,
  OWNERS: handleOwnersWebhook,
  LINK: handleLinkWebhook,
};

function handlerFor(webhook: BelvoWebhook): WebhookHandler | undefined {
  // Belvo does not document link_deleted's webhook_type, so it is recognised by its code.
  if (webhook.webhook_code === 'link_deleted') return handleLinkDeletedWebhook;
  return HANDLERS_BY_TYPE[webhook.webhook_type ?? ''];
}

export function createProcessWebhookJob(ctx: RelayContext): JobHandler {
  const { db } = ctx.store;
  return {
    maxAttempts: 3,
    async run(job) {
      const event = await findWebhookEvent(db, job.subject_id);
      if (!event || event.processed_at) return undefined;
      const webhook = JSON.parse(event.body) as BelvoWebhook;
      const type = event.webhook_type ?? 'unknown';
      const finish = async (outcome: string): Promise<undefined> => {
        await markWebhookEventProcessed(db, event.id, outcome, ctx.now().toISOString());
        ctx.metrics.webhookEventsProcessed.inc({ type, outcome });
        return undefined;
      };
      if (!event.link_id) return finish('no_link_id');
      const handler = handlerFor(webhook);
      if (!handler) return finish('ignored_type');
      const extraction = await findExtractionByLinkId(db, event.link_id);
      if (!extraction) {
        ctx.logger.info(
          { webhookEventId: event.id, linkId: event.link_id },
          'webhook for a link not stored yet; kept',
        );
        return undefined;
      }
      return finish(await handler(ctx, webhook, extraction));
    },
    async giveUp(job) {
      const event = await findWebhookEvent(db, job.subject_id);
      const extraction = event?.link_id ? await findExtractionByLinkId(db, event.link_id) : undefined;
      if (extraction) {
        await failExtraction(ctx, extraction.id, {
          code: 'belvo_unavailable',
          message: 'The relay could not read the data from Belvo',
          retryable: true,
        });
      }
    },
  };
}
