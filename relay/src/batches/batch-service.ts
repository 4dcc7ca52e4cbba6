/**
 * Payroll-agreement batches: a list of applicants, each with their signed authorisation, looked up
 * with bounded concurrency by the `advance_batch` job. Every row is an ordinary lookup (consent
 * recorded, daily limit claimed, reuse applied, audited); the batch only remembers which lookup each
 * row became, so progress and results are read from the lookups themselves.
 */
import { randomUUID } from 'node:crypto';
import type { Batch, BatchCreated, BatchRowStatus, CreateBatchRequest } from '@lupa/contract';
import { checkBatchRows } from '@lupa/contract/batch-rows';
import { maskCedula } from '@lupa/contract/cedula';
import { batchChangeKey, waitForChange } from '../lookups/change-notifier.js';
import type { WaitSlots } from '../lookups/wait-slots.js';
import { Refusal } from '../refusal.js';
import type { RelayContext } from '../relay-context.js';
import type { Analyst } from '../store/queries/analysts-queries.js';
import {
  insertBatchRows,
  listBatchRowsWithStatus,
  settlePendingBatchRows,
} from '../store/queries/batch-rows-queries.js';
import {
  type BatchRow,
  findAnalystBatch,
  finishBatch,
  insertBatch,
} from '../store/queries/batches-queries.js';
import { enqueueJob } from '../store/queries/jobs-queries.js';

const ROW_STATUSES: BatchRowStatus[] = ['pending', 'running', 'ready', 'failed', 'refused', 'cancelled'];

export const rowSealing = (batchId: string, line: number) => ({
  cedula: { table: 'batch_rows', column: 'cedula_sealed', id: `${batchId}:${line}` } as const,
  consent: { table: 'batch_rows', column: 'consent_reference_sealed', id: `${batchId}:${line}` } as const,
});

export type BatchRefusalCode = 'batch_not_found' | 'batch_without_valid_rows';
export class BatchRefusal extends Refusal<BatchRefusalCode> {}

function notFound(): BatchRefusal {
  return new BatchRefusal('batch_not_found', 'No batch with that id for this analyst');
}

/** `waits`: the slots shared with lookup waits (MAX_WAITS_PER_ANALYST). */
export function createBatchService(ctx: RelayContext, waits: WaitSlots) {
  const { store, protector, logger } = ctx;
  const db = store.db;

  async function view(batch: BatchRow): Promise<Batch> {
    return (await read(batch)).batch;
  }

  /** The batch as the contract shows it, and the extractions of its started rows (what can change it). */
  async function read(batch: BatchRow): Promise<{ batch: Batch; extractionIds: string[] }> {
    const stored = await listBatchRowsWithStatus(db, batch.id);
    const extractionIds = stored.flatMap((row) => (row.extraction_id ? [row.extraction_id] : []));
    const rows = stored.map((row) => {
      // A started row whose lookup is gone was deleted by the analyst or erased on the person's request.
      const gone = row.state === 'started' && row.extraction_status === null;
      const status: BatchRowStatus =
        row.state !== 'started'
          ? row.state
          : gone
            ? 'failed'
            : row.extraction_status === 'pending'
              ? 'running'
              : row.extraction_status!;
      return {
        line: row.line,
        cedulaMasked: row.cedula_masked,
        status,
        lookupId: gone ? null : row.lookup_id,
        reused: row.reused === 1,
        errorCode: gone ? 'lookup_not_found' : status === 'failed' ? row.extraction_error : row.refusal_code,
      };
    });
    const counts = Object.fromEntries(ROW_STATUSES.map((status) => [status, 0])) as Record<
      BatchRowStatus,
      number
    >;
    for (const row of rows) counts[row.status]++;
    const shown: Batch = {
      id: batch.id,
      status: batch.status,
      total: batch.total_rows,
      counts,
      rows,
      createdAt: batch.created_at,
      // Rows only move forward (pending → running → ready or failed), so the counts change with each.
      version: [batch.status, ...ROW_STATUSES.map((status) => counts[status])].join('.'),
    };
    return { batch: shown, extractionIds };
  }

  async function requireBatch(analystId: string, batchId: string): Promise<BatchRow> {
    const batch = await findAnalystBatch(db, analystId, batchId);
    if (!batch) throw notFound();
    return batch;
  }

  return {
    async create(analyst: Analyst, request: CreateBatchRequest): Promise<BatchCreated> {
      const { valid, invalid } = checkBatchRows(request.rows);
      if (valid.length === 0) {
        const reasons = invalid.map((row) => `line ${row.line}: ${row.code}`).join('; ');
        throw new BatchRefusal('batch_without_valid_rows', `No row can be looked up (${reasons})`);
      }
      const batchId = randomUUID();
      const now = ctx.now().toISOString();
      // One transaction: the batch, every good row and the job that runs them, or nothing.
      await db.transaction().execute(async (trx) => {
        await insertBatch(trx, {
          id: batchId,
          analyst_id: analyst.id,
          status: 'running',
          total_rows: valid.length,
          created_at: now,
          updated_at: now,
        });
        await insertBatchRows(
          trx,
          valid.map((row) => {
            const sealing = rowSealing(batchId, row.line);
            return {
              batch_id: batchId,
              line: row.line,
              cedula_hash: protector.cedulaHash(row.cedula),
              cedula_sealed: protector.seal(row.cedula, sealing.cedula),
              cedula_masked: maskCedula(row.cedula),
              consent_reference_sealed: protector.seal(row.consentReference, sealing.consent),
              state: 'pending' as const,
              lookup_id: null,
              refusal_code: null,
              updated_at: now,
            };
          }),
        );
        await enqueueJob(
          trx,
          {
            id: randomUUID(),
            kind: 'advance_batch',
            subjectId: batchId,
            runAt: now,
            dedupeKey: `batch:${batchId}`,
          },
          now,
        );
      });
      ctx.wakeJobs();
      logger.info(
        { batchId, analystId: analyst.id, rows: valid.length, invalid: invalid.length },
        'batch created',
      );
      return { ...(await view(await requireBatch(analyst.id, batchId))), invalid };
    },

    async get(analystId: string, batchId: string): Promise<Batch> {
      return view(await requireBatch(analystId, batchId));
    },

    /** Answers when the batch's version is no longer `sinceVersion`, or when the wait ends. */
    async wait(
      analystId: string,
      batchId: string,
      sinceVersion: string,
      waitMs: number,
      signal: AbortSignal,
    ): Promise<Batch> {
      const first = await view(await requireBatch(analystId, batchId));
      if (first.version !== sinceVersion) return first;
      const release = waits.take(analystId);
      ctx.metrics.openLongPolls.inc();
      try {
        const deadline = Date.now() + waitMs;
        for (;;) {
          // Subscribed before reading, so a change between the read and the wait is not missed. A row's
          // outcome is its extraction's; a row started, refused or cancelled is the batch's own change.
          const known = await read(await requireBatch(analystId, batchId));
          const wait = waitForChange(
            ctx.notifier,
            [batchChangeKey(batchId), ...known.extractionIds],
            Math.max(0, deadline - Date.now()),
            signal,
          );
          let current: Awaited<ReturnType<typeof read>>;
          try {
            current = await read(await requireBatch(analystId, batchId));
          } catch (error) {
            wait.cancel();
            throw error;
          }
          if (current.batch.version !== sinceVersion || Date.now() >= deadline || signal.aborted) {
            wait.cancel();
            return current.batch;
          }
          if ((await wait.ready) !== 'changed') return view(await requireBatch(analystId, batchId));
        }
      } finally {
        ctx.metrics.openLongPolls.dec();
        release();
      }
    },

    /** Rows not started are not charged; the running ones finish (their lookups are already paid). */
    async cancel(analystId: string, batchId: string): Promise<Batch> {
      await requireBatch(analystId, batchId);
      const now = ctx.now().toISOString();
      await db.transaction().execute(async (trx) => {
        if (await finishBatch(trx, batchId, 'cancelled', now))
          await settlePendingBatchRows(trx, batchId, { state: 'cancelled', code: 'cancelled' }, now);
      });
      ctx.notifier.notify(batchChangeKey(batchId));
      logger.info({ batchId, analystId }, 'batch cancelled');
      return view(await requireBatch(analystId, batchId));
    },

    /** One line per row, for Excel in Spanish: what became of each person of the file. */
    async resultsCsv(analystId: string, batchId: string): Promise<string> {
      const batch = await requireBatch(analystId, batchId);
      const cedulas = new Map(
        (await listBatchRowsWithStatus(db, batchId)).map((row) => [
          row.line,
          row.cedula_sealed
            ? protector.open(row.cedula_sealed, rowSealing(batchId, row.line).cedula)
            : row.cedula_masked,
        ]),
      );
      const lines = ['linea;cedula;estado;codigo;consulta_id;reutilizada'];
      for (const row of (await view(batch)).rows)
        lines.push(
          [
            row.line,
            cedulas.get(row.line) ?? row.cedulaMasked,
            row.status,
            row.errorCode ?? '',
            row.lookupId ?? '',
            row.lookupId ? (row.reused ? 'sí' : 'no') : '',
          ].join(';'),
        );
      return `\uFEFF${lines.join('\r\n')}\r\n`;
    },
  };
}

export type BatchService = ReturnType<typeof createBatchService>;
