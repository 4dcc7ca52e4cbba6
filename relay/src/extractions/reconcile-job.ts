/**
 * When no webhook has finished an extraction within WEBHOOK_TIMEOUT_SECONDS, read Belvo directly.
 * Belvo warns that data read before its extraction ends is incomplete; a link whose
 * `last_accessed_at` is still empty has not finished reading PILA (inferred from the Link schema, see
 * docs/belvo.md §2.2), so we wait for it rather than report an empty history.
 */
import type { JobHandler } from '../jobs/job-runner.js';
import type { RelayContext } from '../relay-context.js';
import { findExtraction } from '../store/queries/extractions-queries.js';
import { failExtraction } from './extraction-events.js';
import { completeResource } from './resource-completion.js';

const MAX_WAITS_FOR_BELVO = 10;

export function createReconcileJob(ctx: RelayContext): JobHandler {
  const { db } = ctx.store;
  return {
    maxAttempts: MAX_WAITS_FOR_BELVO + 4,
    async run(job) {
      const extraction = await findExtraction(db, job.subject_id);
      if (extraction?.status !== 'pending') return undefined;
      if (!extraction.belvo_link_id) {
        return { retryInMs: ctx.config.webhookTimeoutMs, reason: 'link not registered yet' };
      }
      const link = await ctx.belvo.getLink(extraction.belvo_link_id);
      if (link.status === 'invalid') {
        await failExtraction(ctx, extraction.id, {
          code: 'belvo_link_invalid',
          message: 'Belvo marked the link invalid before sending its data',
          retryable: false,
        });
        return undefined;
      }
      if (!link.last_accessed_at) {
        if (job.attempts >= MAX_WAITS_FOR_BELVO) {
          await failExtraction(ctx, extraction.id, {
            code: 'belvo_unavailable',
            message: 'Belvo did not finish reading PILA in time',
            retryable: true,
          });
          return undefined;
        }
        return { retryInMs: ctx.config.webhookTimeoutMs, reason: 'Belvo has not finished the extraction' };
      }
      ctx.logger.warn(
        { extractionId: extraction.id, linkId: extraction.belvo_link_id },
        'webhooks did not arrive in time; reading Belvo directly',
      );
      ctx.metrics.reconciliations.inc();
      for (const resource of ['employments', 'owners'] as const) {
        const current = await findExtraction(db, extraction.id);
        if (!current) return undefined;
        await completeResource(ctx, current, resource, null);
      }
      return undefined;
    },
  };
}
