import type { Kysely } from 'kysely';
import type { AnalystsTable, Database } from '../schema.js';

export type Analyst = Pick<AnalystsTable, 'id' | 'name' | 'created_at' | 'revoked_at'>;

export async function insertAnalyst(db: Kysely<Database>, analyst: AnalystsTable): Promise<void> {
  await db.insertInto('analysts').values(analyst).execute();
}

export async function findActiveAnalystByTokenHash(
  db: Kysely<Database>,
  tokenHash: string,
): Promise<Analyst | undefined> {
  return db
    .selectFrom('analysts')
    .select(['id', 'name', 'created_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function listAnalysts(db: Kysely<Database>): Promise<Analyst[]> {
  return db
    .selectFrom('analysts')
    .select(['id', 'name', 'created_at', 'revoked_at'])
    .orderBy('created_at')
    .execute();
}

export async function findAnalystNames(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('analysts').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Returns false when no active analyst has that id. */
export async function revokeAnalyst(db: Kysely<Database>, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('analysts')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Replaces an active analyst's token hash; the old token stops working with this commit. */
export async function replaceAnalystTokenHash(
  db: Kysely<Database>,
  id: string,
  tokenHash: string,
): Promise<boolean> {
  const result = await db
    .updateTable('analysts')
    .set({ token_hash: tokenHash })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** An analyst who may still act (a batch keeps running only for an analyst not revoked). */
export async function findActiveAnalyst(db: Kysely<Database>, id: string): Promise<Analyst | undefined> {
  return db
    .selectFrom('analysts')
    .select(['id', 'name', 'created_at', 'revoked_at'])
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}
