/**
 * Stores webhooks with their processing jobs. Webhooks that arrive together are committed in one
 * transaction (group commit): one fsync for the batch instead of one each, and every webhook is still
 * acknowledged only after the commit that holds it.
 */
import { randomUUID } from 'node:crypto';
import type { BelvoWebhook } from '../belvo/belvo-types.js';
import type { RelayContext } from '../relay-context.js';
import { enqueueJob } from '../store/queries/jobs-queries.js';
import { insertWebhookEvent } from '../store/queries/webhook-events-queries.js';

type Waiting = {
  webhook: BelvoWebhook;
  body: string;
  resolve(stored: boolean): void;
  reject(error: unknown): void;
};

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function createWebhookIntake(ctx: RelayContext) {
  let queue: Waiting[] = [];
  let flushScheduled = false;

  async function flush() {
    flushScheduled = false;
    const batch = queue;
    queue = [];
    const nowIso = ctx.now().toISOString();
    try {
      // In webhook_id order: two nodes committing overlapping batches then lock rows in the same order
      // and wait for each other instead of deadlocking.
      const order = batch
        .map((_, index) => index)
        .sort((a, b) => compareText(batch[a]!.webhook.webhook_id, batch[b]!.webhook.webhook_id));
      const stored = await ctx.store.db.transaction().execute(async (trx) => {
        const outcomes: boolean[] = [];
        for (const index of order) {
          const { webhook, body } = batch[index]!;
          const eventId = randomUUID();
          const inserted = await insertWebhookEvent(trx, {
            id: eventId,
            webhook_id: webhook.webhook_id,
            link_id: webhook.link_id ?? null,
            webhook_type: webhook.webhook_type ?? null,
            webhook_code: webhook.webhook_code ?? null,
            body,
            received_at: nowIso,
            processed_at: null,
            outcome: null,
          });
          if (inserted) {
            await enqueueJob(
              trx,
              { id: randomUUID(), kind: 'process_webhook', subjectId: eventId, runAt: nowIso },
              nowIso,
            );
          }
          outcomes[index] = inserted;
        }
        return outcomes;
      });
      batch.forEach((waiting, index) => {
        waiting.resolve(stored[index]!);
        if (stored[index]) ctx.wakeJobs();
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }

  return {
    /** Resolves once the webhook is committed: true when new, false when this webhook_id was seen before. */
    store(webhook: BelvoWebhook, body: string): Promise<boolean> {
      return new Promise((resolve, reject) => {
        queue.push({ webhook, body, resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(() => void flush());
        }
      });
    },
  };
}
