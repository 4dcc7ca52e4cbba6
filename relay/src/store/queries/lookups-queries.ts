import type { Kysely } from 'kysely';
import type { Database, ExtractionsTable, LookupsTable } from '../schema.js';

/** A lookup with the extraction it reads from: what the API shows. */
export type LookupRow = LookupsTable & {
  extraction: Pick<
    ExtractionsTable,
    | 'status'
    | 'stage'
    | 'version'
    | 'updated_at'
    | 'employments_expected'
    | 'employments_received'
    | 'owners_expected'
    | 'owners_received'
    | 'error_code'
    | 'error_message'
    | 'error_retryable'
    | 'purged_at'
  >;
};

export async function insertLookup(db: Kysely<Database>, lookup: LookupsTable): Promise<void> {
  await db.insertInto('lookups').values(lookup).execute();
}

function selectLookupRows(db: Kysely<Database>) {
  return db
    .selectFrom('lookups')
    .innerJoin('extractions', 'extractions.id', 'lookups.extraction_id')
    .selectAll('lookups')
    .select([
      'extractions.status',
      'extractions.stage',
      'extractions.version',
      'extractions.updated_at',
      'extractions.employments_expected',
      'extractions.employments_received',
      'extractions.owners_expected',
      'extractions.owners_received',
      'extractions.error_code',
      'extractions.error_message',
      'extractions.error_retryable',
      'extractions.purged_at',
    ]);
}

type FlatRow = Awaited<ReturnType<ReturnType<typeof selectLookupRows>['execute']>>[number];

function nest(row: FlatRow): LookupRow {
  const {
    status,
    stage,
    version,
    updated_at,
    employments_expected,
    employments_received,
    owners_expected,
    owners_received,
    error_code,
    error_message,
    error_retryable,
    purged_at,
    ...lookup
  } = row;
  return {
    ...lookup,
    extraction: {
      status,
      stage,
      version,
      updated_at,
      employments_expected,
      employments_received,
      owners_expected,
      owners_received,
      error_code,
      error_message,
      error_retryable,
      purged_at,
    },
  };
}

export async function findAnalystLookup(
  db: Kysely<Database>,
  analystId: string,
  lookupId: string,
): Promise<LookupRow | undefined> {
  const row = await selectLookupRows(db)
    .where('lookups.id', '=', lookupId)
    .where('lookups.analyst_id', '=', analystId)
    .executeTakeFirst();
  return row && nest(row);
}

export async function listAnalystLookupsOfCedula(
  db: Kysely<Database>,
  analystId: string,
  cedulaHashes: string[],
): Promise<LookupRow[]> {
  const rows = await selectLookupRows(db)
    .where('lookups.analyst_id', '=', analystId)
    .where('lookups.cedula_hash', 'in', cedulaHashes)
    .orderBy('lookups.created_at', 'desc')
    .execute();
  return rows.map(nest);
}

/** Erasing a person's data removes every lookup that shows it, whoever made it. */
export async function deleteLookupsOfExtraction(db: Kysely<Database>, extractionId: string): Promise<void> {
  await db.deleteFrom('lookups').where('extraction_id', '=', extractionId).execute();
}

export async function deleteLookup(db: Kysely<Database>, lookupId: string): Promise<void> {
  await db.deleteFrom('lookups').where('id', '=', lookupId).execute();
}

export async function countLookupsOfExtraction(db: Kysely<Database>, extractionId: string): Promise<number> {
  const row = await db
    .selectFrom('lookups')
    .select((select) => select.fn.countAll<number | string>().as('count'))
    .where('extraction_id', '=', extractionId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The lookups of an extraction with their analysts, oldest first (the first one created it). */
export async function findLookupsOfExtraction(
  db: Kysely<Database>,
  extractionId: string,
): Promise<Array<{ id: string; analyst_id: string; cedula_hash: string }>> {
  return db
    .selectFrom('lookups')
    .select(['id', 'analyst_id', 'cedula_hash'])
    .where('extraction_id', '=', extractionId)
    .orderBy('created_at')
    .execute();
}
