/** The `batch_rows` table: each person of a batch, and what became of their lookup. */
import type { Kysely, Selectable } from 'kysely';
import type { BatchRowsTable, Database, ExtractionsTable } from '../schema.js';

export type BatchRowRow = Selectable<BatchRowsTable>;

const ROWS_PER_INSERT = 200;

export async function insertBatchRows(db: Kysely<Database>, rows: BatchRowsTable[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT)
    await db
      .insertInto('batch_rows')
      .values(rows.slice(start, start + ROWS_PER_INSERT))
      .execute();
}

/** Every row with the status of its lookup's extraction (null until the row is started). */
export async function listBatchRowsWithStatus(
  db: Kysely<Database>,
  batchId: string,
): Promise<
  Array<
    BatchRowRow & {
      extraction_status: ExtractionsTable['status'] | null;
      extraction_error: string | null;
      reused: number | null;
      extraction_id: string | null;
    }
  >
> {
  return db
    .selectFrom('batch_rows')
    .leftJoin('lookups', 'lookups.id', 'batch_rows.lookup_id')
    .leftJoin('extractions', 'extractions.id', 'lookups.extraction_id')
    .selectAll('batch_rows')
    .select([
      'extractions.status as extraction_status',
      'extractions.error_code as extraction_error',
      'lookups.reused as reused',
      'lookups.extraction_id as extraction_id',
    ])
    .where('batch_rows.batch_id', '=', batchId)
    .orderBy('batch_rows.line')
    .execute();
}

/** The next rows to start, in file order. */
export async function listPendingBatchRows(
  db: Kysely<Database>,
  batchId: string,
  limit: number,
): Promise<BatchRowRow[]> {
  return db
    .selectFrom('batch_rows')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('state', '=', 'pending')
    .orderBy('line')
    .limit(limit)
    .execute();
}

/** Started rows whose lookup is still running: what the batch's concurrency counts. */
export async function countBatchRowsInFlight(db: Kysely<Database>, batchId: string): Promise<number> {
  const row = await db
    .selectFrom('batch_rows')
    .innerJoin('lookups', 'lookups.id', 'batch_rows.lookup_id')
    .innerJoin('extractions', 'extractions.id', 'lookups.extraction_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('batch_rows.batch_id', '=', batchId)
    .where('batch_rows.state', '=', 'started')
    .where('extractions.status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Marks a pending row started with its lookup; false if it was not pending any more (cancelled, or
 * started by another node), in which case the caller's transaction must not admit the lookup.
 */
export async function startBatchRow(
  db: Kysely<Database>,
  row: { batchId: string; line: number; lookupId: string },
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('batch_rows')
    .set({ state: 'started', lookup_id: row.lookupId, updated_at: now })
    .where('batch_id', '=', row.batchId)
    .where('line', '=', row.line)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Rows that will not run: refused (the daily limit) or cancelled; they cost nothing. */
export async function settlePendingBatchRows(
  db: Kysely<Database>,
  batchId: string,
  settle: { state: 'refused' | 'cancelled'; code: string; lines?: number[] },
  now: string,
): Promise<number> {
  let update = db
    .updateTable('batch_rows')
    .set({ state: settle.state, refusal_code: settle.code, updated_at: now })
    .where('batch_id', '=', batchId)
    .where('state', '=', 'pending');
  if (settle.lines) update = update.where('line', 'in', settle.lines);
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Erasure of one person (every key's hash): their rows lose the cédula and the consent. */
export async function eraseBatchRowsOfCedula(
  db: Kysely<Database>,
  cedulaHashes: string[],
  now: string,
): Promise<void> {
  await db
    .updateTable('batch_rows')
    .set({ cedula_sealed: null, consent_reference_sealed: null, updated_at: now })
    .where('cedula_hash', 'in', cedulaHashes)
    .execute();
}

export async function deleteBatchRowsOf(db: Kysely<Database>, batchIds: string[]): Promise<void> {
  if (batchIds.length > 0) await db.deleteFrom('batch_rows').where('batch_id', 'in', batchIds).execute();
}
