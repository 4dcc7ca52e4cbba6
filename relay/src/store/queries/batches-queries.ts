/** The `batches` table. */
import type { Kysely, Selectable } from 'kysely';
import type { BatchesTable, Database } from '../schema.js';

export type BatchRow = Selectable<BatchesTable>;

export async function insertBatch(db: Kysely<Database>, batch: BatchesTable): Promise<void> {
  await db.insertInto('batches').values(batch).execute();
}

export async function findAnalystBatch(
  db: Kysely<Database>,
  analystId: string,
  batchId: string,
): Promise<BatchRow | undefined> {
  return db
    .selectFrom('batches')
    .selectAll()
    .where('id', '=', batchId)
    .where('analyst_id', '=', analystId)
    .executeTakeFirst();
}

export async function findBatch(db: Kysely<Database>, batchId: string): Promise<BatchRow | undefined> {
  return db.selectFrom('batches').selectAll().where('id', '=', batchId).executeTakeFirst();
}

/** Moves a running batch to `status`; false if it was no longer running. */
export async function finishBatch(
  db: Kysely<Database>,
  batchId: string,
  status: 'cancelled' | 'done',
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('batches')
    .set({ status, updated_at: now })
    .where('id', '=', batchId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Batches created before `before`, for the retention purge. */
export async function listBatchesCreatedBefore(db: Kysely<Database>, before: string): Promise<string[]> {
  const rows = await db.selectFrom('batches').select('id').where('created_at', '<', before).execute();
  return rows.map((row) => row.id);
}

export async function deleteBatches(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('batches').where('id', 'in', ids).execute();
}
