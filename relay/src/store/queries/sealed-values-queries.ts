/**
 * The sealed columns of every table, read and replaced by one pair of queries: re-sealing (binding a
 * value to its row, or to the current key) walks each of them the same way.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export const SEALED_COLUMNS = {
  extractions: ['cedula_sealed', 'employments_sealed', 'owners_sealed'],
  lookups: ['consent_reference_sealed'],
  audit_log: ['consent_reference_sealed'],
} as const;

export type SealedTable = keyof typeof SEALED_COLUMNS;
export type SealedColumn<Table extends SealedTable> = (typeof SEALED_COLUMNS)[Table][number];

type SealedRow<Table extends SealedTable> = { id: string } & Record<SealedColumn<Table>, string | null>;

/** The tables seen as text columns by name: all these queries touch is an id and sealed text. */
const asTextTables = (db: Kysely<Database>) =>
  db as unknown as Kysely<Record<string, Record<string, string | null>>>;

/** A page of rows, in id order after `afterId`, with any of the table's sealed values starting with `prefix`. */
export async function findRowsSealedAs<Table extends SealedTable>(
  db: Kysely<Database>,
  table: Table,
  prefix: string,
  afterId: string,
  limit: number,
): Promise<Array<SealedRow<Table>>> {
  const columns: readonly string[] = SEALED_COLUMNS[table];
  const rows = await asTextTables(db)
    .selectFrom(table as string)
    .select(['id', ...columns])
    .where((where) => where.or(columns.map((column) => where(column, 'like', `${prefix}%`))))
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows as Array<SealedRow<Table>>;
}

/** Replaces one sealed value if it is still the one read (another node may have re-sealed it). */
export async function replaceSeal<Table extends SealedTable>(
  db: Kysely<Database>,
  table: Table,
  column: SealedColumn<Table>,
  id: string,
  from: string,
  to: string,
): Promise<void> {
  await asTextTables(db)
    .updateTable(table as string)
    .set({ [column as string]: to })
    .where('id', '=', id)
    .where(column as string, '=', from)
    .execute();
}
