import type { Kysely } from 'kysely';
import type { Database, SpentRefreshTokensTable } from '../schema.js';

export async function insertSpentRefreshToken(
  db: Kysely<Database>,
  token: SpentRefreshTokensTable,
): Promise<void> {
  await db.insertInto('spent_refresh_tokens').values(token).execute();
}

/** A spent refresh token: presenting it again is a reuse, unless within the grace. */
export async function findSpentToken(
  db: Kysely<Database>,
  hash: string,
): Promise<SpentRefreshTokensTable | undefined> {
  return db.selectFrom('spent_refresh_tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
}

/** A session keeps one successor at most: the one of the token spent last. */
export async function clearSuccessorsOfSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db
    .updateTable('spent_refresh_tokens')
    .set({ successor_sealed: null })
    .where('session_id', '=', sessionId)
    .where('successor_sealed', 'is not', null)
    .execute();
}

/** The successors' pairs are kept for the grace only. */
export async function clearSuccessorsSpentBefore(db: Kysely<Database>, before: string): Promise<void> {
  await db
    .updateTable('spent_refresh_tokens')
    .set({ successor_sealed: null })
    .where('spent_at', '<', before)
    .where('successor_sealed', 'is not', null)
    .execute();
}

export async function deleteSpentTokensOfSessions(db: Kysely<Database>, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.deleteFrom('spent_refresh_tokens').where('session_id', 'in', sessionIds).execute();
}

export async function deleteSpentToken(db: Kysely<Database>, hash: string): Promise<void> {
  await db.deleteFrom('spent_refresh_tokens').where('hash', '=', hash).execute();
}
