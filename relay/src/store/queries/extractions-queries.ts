/**
 * Every change to an extraction bumps `version` in the same statement, which is what long-polls watch.
 */
import { type Kysely, sql, type Updateable } from 'kysely';
import type { Database, ExtractionsTable } from '../schema.js';

export type Extraction = ExtractionsTable;
export type Resource = 'employments' | 'owners';

export async function insertExtraction(db: Kysely<Database>, extraction: ExtractionsTable): Promise<void> {
  await db.insertInto('extractions').values(extraction).execute();
}

/** A new extraction as it starts: pending, its link still to be registered, nothing received yet. */
export function newPendingExtraction(fields: {
  id: string;
  cedulaHash: string;
  cedulaSealed: string | null;
  externalId: string;
  at: string;
}): ExtractionsTable {
  return {
    id: fields.id,
    cedula_hash: fields.cedulaHash,
    cedula_sealed: fields.cedulaSealed,
    external_id: fields.externalId,
    belvo_link_id: null,
    status: 'pending',
    stage: 'registering',
    version: 1,
    employments_expected: null,
    employments_received: 0,
    employments_done: 0,
    employments_sealed: null,
    owners_expected: null,
    owners_received: 0,
    owners_done: 0,
    owners_sealed: null,
    error_code: null,
    error_message: null,
    error_retryable: null,
    created_at: fields.at,
    updated_at: fields.at,
    ready_at: null,
    purged_at: null,
    link_deletion_requested_at: null,
  };
}

export async function findExtraction(db: Kysely<Database>, id: string): Promise<Extraction | undefined> {
  return db.selectFrom('extractions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Of `ids`, those changed at or after `since` (a notifier catching up after it could not listen). */
export async function findExtractionsChangedSince(
  db: Kysely<Database>,
  ids: string[],
  since: string,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('extractions')
    .select('id')
    .where('id', 'in', ids)
    .where('updated_at', '>=', since)
    .execute();
  return rows.map((row) => row.id);
}

export async function findExtractionByLinkId(
  db: Kysely<Database>,
  linkId: string,
): Promise<Extraction | undefined> {
  return db.selectFrom('extractions').selectAll().where('belvo_link_id', '=', linkId).executeTakeFirst();
}

/**
 * The newest extraction of this person that is still running or ready with its report kept.
 * `cedulaHashes`: the person's hash under every key in use (see DataProtector.cedulaHashes).
 */
export async function findReusableExtraction(
  db: Kysely<Database>,
  cedulaHashes: string[],
  readySince: string,
): Promise<Extraction | undefined> {
  return db
    .selectFrom('extractions')
    .selectAll()
    .where('cedula_hash', 'in', cedulaHashes)
    .where('purged_at', 'is', null)
    .where('link_deletion_requested_at', 'is', null)
    .where((where) =>
      where.or([
        where('status', '=', 'pending'),
        where.and([where('status', '=', 'ready'), where('ready_at', '>=', readySince)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findPendingExtraction(
  db: Kysely<Database>,
  cedulaHashes: string[],
): Promise<Extraction | undefined> {
  return db
    .selectFrom('extractions')
    .selectAll()
    .where('cedula_hash', 'in', cedulaHashes)
    .where('status', '=', 'pending')
    .where('link_deletion_requested_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Applies a change to a pending extraction. Returns false when it was no longer pending, so a late or
 * repeated event never rewrites a finished result.
 */
export async function updatePendingExtraction(
  db: Kysely<Database>,
  id: string,
  changes: Updateable<ExtractionsTable>,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('extractions')
    .set({ ...changes, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markReadyIfComplete(db: Kysely<Database>, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('extractions')
    .set({ status: 'ready', stage: 'done', ready_at: now, updated_at: now, version: sql`version + 1` })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('employments_done', '=', 1)
    .where('owners_done', '=', 1)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function markFailed(
  db: Kysely<Database>,
  id: string,
  error: { code: string; message: string; retryable: boolean },
  now: string,
): Promise<boolean> {
  return updatePendingExtraction(
    db,
    id,
    {
      status: 'failed',
      stage: 'done',
      error_code: error.code,
      error_message: error.message,
      error_retryable: error.retryable ? 1 : 0,
    },
    now,
  );
}

/** Drops everything personal about an extraction; the row stays so late webhooks still find their link. */
export async function erasePersonalData(
  db: Kysely<Database>,
  id: string,
  now: string,
  also: Updateable<ExtractionsTable> = {},
): Promise<void> {
  await db
    .updateTable('extractions')
    .set({
      ...also,
      cedula_sealed: null,
      employments_sealed: null,
      owners_sealed: null,
      purged_at: now,
      updated_at: now,
      version: sql`version + 1`,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Takes the extraction's row lock for the rest of the transaction (a no-op write: SQLite has no
 * SELECT … FOR UPDATE, and its writers are serialised anyway), so two analysts deleting their lookups
 * of one extraction at once cannot both see the other's lookup and both leave the data behind.
 */
export async function lockExtraction(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('extractions').set({ id: sql`id` }).where('id', '=', id).execute();
}

/** Every extraction of a person, under any of the cédula's hashes (one per key in use). */
export async function findExtractionIdsOfCedula(
  db: Kysely<Database>,
  cedulaHashes: string[],
): Promise<string[]> {
  const rows = await db
    .selectFrom('extractions')
    .select('id')
    .where('cedula_hash', 'in', cedulaHashes)
    .execute();
  return rows.map((row) => row.id);
}

export async function findExpiredExtractionIds(db: Kysely<Database>, olderThan: string): Promise<string[]> {
  const rows = await db
    .selectFrom('extractions')
    .select('id')
    .where('purged_at', 'is', null)
    .where('updated_at', '<', olderThan)
    .where('status', 'in', ['ready', 'failed'])
    .execute();
  return rows.map((row) => row.id);
}

export async function findPendingExtractionIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('extractions').select('id').where('status', '=', 'pending').execute();
  return rows.map((row) => row.id);
}
