/**
 * Keeps a batch moving: starts its next rows while fewer than BATCH_CONCURRENCY of its lookups run,
 * and runs again shortly until every row has an outcome. Each row is admitted as a lookup in the same
 * transaction that marks it started, so a relay killed at any point charges nobody twice: a row is
 * either pending (and not charged) or started with its lookup. Belvo's 429 and 5xx are the lookups'
 * own affair: their register_link jobs retry with backoff.
 */
import type { JobHandler } from '../jobs/job-runner.js';
import { batchChangeKey } from '../lookups/change-notifier.js';
import { LookupRefusal } from '../lookups/lookup-refusal.js';
import type { LookupService } from '../lookups/lookup-service.js';
import type { RelayContext } from '../relay-context.js';
import { findActiveAnalyst } from '../store/queries/analysts-queries.js';
import {
  countBatchRowsInFlight,
  listPendingBatchRows,
  settlePendingBatchRows,
  startBatchRow,
} from '../store/queries/batch-rows-queries.js';
import { findBatch, finishBatch } from '../store/queries/batches-queries.js';
import { rowSealing } from './batch-service.js';

/** How soon a batch with rows still running is looked at again. */
export const BATCH_TICK_MS = 100;

/** The row was no longer pending when its lookup was about to be admitted (cancelled meanwhile). */
class RowTaken extends Error {}

export function createAdvanceBatchJob(ctx: RelayContext, lookups: LookupService): JobHandler {
  const { store, protector, logger } = ctx;
  const db = store.db;

  return {
    async run(job) {
      const batchId = job.subject_id;
      const batch = await findBatch(db, batchId);
      if (batch?.status !== 'running') return undefined;
      const now = () => ctx.now().toISOString();
      // Whoever follows the batch on this node is woken once per run that changed a row, not per tick.
      let changed = 0;
      try {
        return await advance();
      } finally {
        if (changed > 0) ctx.notifier.notify(batchChangeKey(batchId));
      }

      async function advance() {
        const analyst = await findActiveAnalyst(db, batch!.analyst_id);
        if (!analyst) {
          changed += await settlePendingBatchRows(
            db,
            batchId,
            { state: 'refused', code: 'unauthorized' },
            now(),
          );
        } else {
          const free = ctx.config.batchConcurrency - (await countBatchRowsInFlight(db, batchId));
          for (const row of free > 0 ? await listPendingBatchRows(db, batchId, free) : []) {
            const sealing = rowSealing(batchId, row.line);
            if (!row.cedula_sealed) {
              // The person's data was erased on their request before their row ran: it never will.
              changed += await settlePendingBatchRows(
                db,
                batchId,
                { state: 'refused', code: 'person_erased', lines: [row.line] },
                now(),
              );
              continue;
            }
            try {
              await lookups.createLookup(
                analyst,
                {
                  cedula: protector.open(row.cedula_sealed, sealing.cedula),
                  consentReference: row.consent_reference_sealed
                    ? protector.open(row.consent_reference_sealed, sealing.consent)
                    : undefined,
                  force: false,
                },
                async (trx, lookupId) => {
                  if (!(await startBatchRow(trx, { batchId, line: row.line, lookupId }, now())))
                    throw new RowTaken();
                },
              );
              changed++;
            } catch (error) {
              if (error instanceof RowTaken) continue;
              if (error instanceof LookupRefusal && error.code === 'daily_limit_reached') {
                // Said once for every row left: nothing more runs today, and nothing more is charged.
                changed += await settlePendingBatchRows(
                  db,
                  batchId,
                  { state: 'refused', code: error.code },
                  now(),
                );
                logger.info({ batchId }, 'batch rows refused: daily limit reached');
                break;
              }
              throw error;
            }
          }
        }
        const waiting = (await listPendingBatchRows(db, batchId, 1)).length;
        if (waiting + (await countBatchRowsInFlight(db, batchId)) > 0)
          return { retryInMs: BATCH_TICK_MS, reason: 'batch rows running' };
        if (await finishBatch(db, batchId, 'done', now())) {
          changed++;
          logger.info({ batchId }, 'batch done');
        }
        return undefined;
      }
    },

    /** After the last failed attempt (the store failing, not a row): the rows left say so, uncharged. */
    async giveUp(job, error) {
      const batchId = job.subject_id;
      const at = ctx.now().toISOString();
      await settlePendingBatchRows(db, batchId, { state: 'refused', code: 'internal_error' }, at);
      await finishBatch(db, batchId, 'done', at);
      ctx.notifier.notify(batchChangeKey(batchId));
      logger.error({ batchId, err: String(error) }, 'batch given up');
    },
  };
}
