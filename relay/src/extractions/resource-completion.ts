/**
 * Fetches one resource (every page) from Belvo and stores it sealed. Shared by the EMPLOYMENTS and
 * OWNERS webhook handlers and by reconciliation; safe to run twice.
 */
import type { RelayContext } from '../relay-context.js';
import {
  type Extraction,
  markReadyIfComplete,
  type Resource,
  updatePendingExtraction,
} from '../store/queries/extractions-queries.js';

export type CompletionOutcome = 'completed' | 'already_done' | 'not_pending';

export async function completeResource(
  ctx: RelayContext,
  extraction: Extraction,
  resource: Resource,
  expected: number | null,
): Promise<CompletionOutcome> {
  const { db } = ctx.store;
  if (extraction.status !== 'pending' || !extraction.belvo_link_id) return 'not_pending';
  if (extraction[`${resource}_done`] === 1) return 'already_done';

  const startedAt = ctx.now().toISOString();
  const changes =
    expected === null
      ? { stage: 'fetching' as const }
      : { stage: 'fetching' as const, [`${resource}_expected`]: expected };
  if (!(await updatePendingExtraction(db, extraction.id, changes, startedAt))) return 'not_pending';
  ctx.notifier.notify(extraction.id);

  // Zero announced is a complete answer (no PILA records): nothing to fetch.
  const records =
    expected === 0
      ? []
      : resource === 'employments'
        ? await ctx.belvo.listEmployments(extraction.belvo_link_id)
        : await ctx.belvo.listOwners(extraction.belvo_link_id);

  const nowIso = ctx.now().toISOString();
  const becameReady = await db.transaction().execute(async (trx) => {
    const stored = await updatePendingExtraction(
      trx,
      extraction.id,
      {
        [`${resource}_sealed`]: ctx.protector.sealJson(records, {
          table: 'extractions',
          column: `${resource}_sealed`,
          id: extraction.id,
        }),
        [`${resource}_received`]: records.length,
        [`${resource}_expected`]: expected ?? records.length,
        [`${resource}_done`]: 1,
      },
      nowIso,
    );
    return stored ? markReadyIfComplete(trx, extraction.id, nowIso) : false;
  });
  if (expected !== null && records.length !== expected) {
    ctx.logger.warn(
      { extractionId: extraction.id, resource, expected, received: records.length },
      'Belvo returned a different count than announced',
    );
  }
  if (becameReady) {
    ctx.metrics.extractionsFinished.inc({ status: 'ready', code: '' });
    ctx.logger.info({ extractionId: extraction.id }, 'extraction ready');
  }
  ctx.notifier.notify(extraction.id);
  return 'completed';
}
