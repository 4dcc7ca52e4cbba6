import { randomUUID } from 'node:crypto';
import type { MappedError } from '../belvo/belvo-errors.js';
import type { RelayContext } from '../relay-context.js';
import { appendAudit } from '../store/queries/audit-log-queries.js';
import { markFailed } from '../store/queries/extractions-queries.js';
import { findLookupsOfExtraction } from '../store/queries/lookups-queries.js';

/**
 * Ends a pending extraction with an explained error and wakes whoever waits for it. Each lookup of it
 * gets a `lookup_failed` entry in the same transaction: the team's usage report counts failures from
 * the audit trail, which outlives the lookups.
 */
export async function failExtraction(
  ctx: RelayContext,
  extractionId: string,
  error: MappedError,
): Promise<void> {
  const nowIso = ctx.now().toISOString();
  const changed = await ctx.store.db.transaction().execute(async (trx) => {
    if (!(await markFailed(trx, extractionId, error, nowIso))) return false;
    for (const lookup of await findLookupsOfExtraction(trx, extractionId)) {
      await appendAudit(trx, {
        id: randomUUID(),
        at: nowIso,
        action: 'lookup_failed',
        analyst_id: lookup.analyst_id,
        cedula_hash: lookup.cedula_hash,
        lookup_id: lookup.id,
        extraction_id: extractionId,
        consent_reference_sealed: null,
      });
    }
    return true;
  });
  if (!changed) return;
  ctx.metrics.extractionsFinished.inc({ status: 'failed', code: error.code });
  ctx.logger.info({ extractionId, errorCode: error.code }, 'extraction failed');
  ctx.notifier.notify(extractionId);
}
