/**
 * Stores webhooks with their processing jobs. Webhooks that arrive together are committed in one
 * transaction of two statements (group commit): one fsync and two round trips for the batch instead
 * of one each, and every webhook is still acknowledged only after the commit that holds it.
 */
import { randomUUID } from 'node:crypto';
import type { BelvoWebhook } from '../belvo/belvo-types.js';
import type { RelayContext } from '../relay-context.js';
import { enqueueJobs } from '../store/queries/jobs-queries.js';
import { insertWebhookEvents } from '../store/queries/webhook-events-queries.js';

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
      // The first delivery of each webhook_id in the batch is the one stored; a repeat in the same
      // batch is a duplicate like any other.
      const firstOf = new Map<string, { eventId: string; waiting: Waiting }>();
      for (const waiting of batch) {
        if (!firstOf.has(waiting.webhook.webhook_id))
          firstOf.set(waiting.webhook.webhook_id, { eventId: randomUUID(), waiting });
      }
      // In webhook_id order: two nodes committing overlapping batches then lock rows in the same order
      // and wait for each other instead of deadlocking.
      const candidates = [...firstOf.entries()].sort(([a], [b]) => compareText(a, b));
      const storedIds = await ctx.store.db.transaction().execute(async (trx) => {
        const inserted = await insertWebhookEvents(
          trx,
          candidates.map(([webhookId, { eventId, waiting }]) => ({
            id: eventId,
            webhook_id: webhookId,
            link_id: waiting.webhook.link_id ?? null,
            webhook_type: waiting.webhook.webhook_type ?? null,
            webhook_code: waiting.webhook.webhook_code ?? null,
            body: waiting.body,
            received_at: nowIso,
            processed_at: null,
            outcome: null,
          })),
        );
        await enqueueJobs(
          trx,
          candidates
            .filter(([webhookId]) => inserted.has(webhookId))
            .map(([, { eventId }]) => ({
              id: randomUUID(),
              kind: 'process_webhook' as const,
              subjectId: eventId,
              runAt: nowIso,
            })),
          nowIso,
        );
        return inserted;
      });
      for (const waiting of batch) {
        const stored =
          firstOf.get(waiting.webhook.webhook_id)?.waiting === waiting &&
          storedIds.has(waiting.webhook.webhook_id);
        waiting.resolve(stored);
      }
      if (storedIds.size > 0) ctx.wakeJobs();
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
