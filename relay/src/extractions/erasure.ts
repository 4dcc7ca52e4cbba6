/**
 * Erasing a person's data (Ley 1581 de 2012), by the right person:
 * - an analyst deleting a lookup removes their own access; the report and the Belvo link go only when
 *   no other analyst's lookup still uses that extraction (deleteAnalystLookup);
 * - the operator erases everything about one person on the titular's request (erasePerson).
 * Either way the audit trail keeps who did what and with which consent, and gains an entry for the
 * deletion itself. Erasing asks Belvo to delete the link through a durable job, which the serving relay
 * runs.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RelayContext } from '../relay-context.js';
import { appendActionAudit, appendAudit, appendRelayAudit } from '../store/queries/audit-log-queries.js';
import { eraseBatchRowsOfCedula } from '../store/queries/batch-rows-queries.js';
import {
  erasePersonalData,
  findExtraction,
  findExtractionIdsOfCedula,
  lockExtraction,
  updatePendingExtraction,
} from '../store/queries/extractions-queries.js';
import { enqueueJob } from '../store/queries/jobs-queries.js';
import {
  countLookupsOfExtraction,
  deleteLookup,
  deleteLookupsOfExtraction,
} from '../store/queries/lookups-queries.js';
import type { Database } from '../store/schema.js';

/** Drops the extraction's personal data and every lookup of it, and asks Belvo to delete the link. */
async function eraseExtraction(trx: Kysely<Database>, extractionId: string, nowIso: string): Promise<void> {
  // A lookup still pending ends as failed, so nothing goes on to fetch data that was asked to go.
  await updatePendingExtraction(
    trx,
    extractionId,
    {
      status: 'failed',
      stage: 'done',
      error_code: 'lookup_not_found',
      error_message: 'Deleted on request',
      error_retryable: 0,
    },
    nowIso,
  );
  await erasePersonalData(trx, extractionId, nowIso, { link_deletion_requested_at: nowIso });
  await deleteLookupsOfExtraction(trx, extractionId);
  await enqueueJob(
    trx,
    {
      id: randomUUID(),
      kind: 'delete_link',
      subjectId: extractionId,
      runAt: nowIso,
      dedupeKey: `delete:${extractionId}`,
    },
    nowIso,
  );
}

export type DeletedLookup = { id: string; extractionId: string; cedulaHash: string };

/** Removes one analyst's lookup; returns whether that also erased the person's data. */
export async function deleteAnalystLookup(
  ctx: RelayContext,
  analystId: string,
  lookup: DeletedLookup,
): Promise<{ dataErased: boolean }> {
  const nowIso = ctx.now().toISOString();
  const dataErased = await ctx.store.db.transaction().execute(async (trx) => {
    await lockExtraction(trx, lookup.extractionId);
    await deleteLookup(trx, lookup.id);
    await appendAudit(trx, {
      id: randomUUID(),
      at: nowIso,
      action: 'lookup_deleted',
      analyst_id: analystId,
      cedula_hash: lookup.cedulaHash,
      lookup_id: lookup.id,
      extraction_id: lookup.extractionId,
      consent_reference_sealed: null,
    });
    if ((await countLookupsOfExtraction(trx, lookup.extractionId)) > 0) return false;
    await eraseExtraction(trx, lookup.extractionId, nowIso);
    return true;
  });
  // Whatever became of the extraction: a batch row that held this lookup now reads it as gone, and
  // whoever follows that batch is waiting on this extraction's key.
  ctx.notifier.notify(lookup.extractionId);
  if (dataErased) ctx.wakeJobs();
  return { dataErased };
}

/**
 * The erasure of everything about one person, by the data-protection officer (`by`) or an operator at
 * the command line; returns how many extractions were erased.
 */
export async function erasePerson(
  ctx: RelayContext,
  cedula: string,
  { by = null }: { by?: string | null } = {},
): Promise<number> {
  const { db } = ctx.store;
  const hashes = ctx.protector.cedulaHashes(cedula);
  const ids = await findExtractionIdsOfCedula(db, hashes);
  const nowIso = ctx.now().toISOString();
  // The batches that listed the person keep only the masked cédula and the hash of their row.
  await eraseBatchRowsOfCedula(db, hashes, nowIso);
  let erased = 0;
  for (const id of ids) {
    const done = await db.transaction().execute(async (trx) => {
      await lockExtraction(trx, id);
      const extraction = await findExtraction(trx, id);
      if (!extraction) return false;
      await eraseExtraction(trx, id, nowIso);
      await appendRelayAudit(trx, 'person_erased', extraction, nowIso, by);
      return true;
    });
    if (done) erased++;
    ctx.notifier.notify(id);
  }
  // A request that found nothing is an access to the person all the same: the auditor sees it.
  if (erased === 0) {
    await appendActionAudit(db, 'person_erased', by, nowIso, {
      cedulaHash: ctx.protector.cedulaHash(cedula),
    });
  }
  ctx.wakeJobs();
  await ctx.store.compact();
  ctx.logger.info({ extractions: erased }, 'person erased on request');
  return erased;
}
