import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export async function insertSpentRefreshToken(
  db: Kysely<Database>,
  token: { hash: string; session_id: string; spent_at: string },
): Promise<void> {
  await db.insertInto('spent_refresh_tokens').values(token).execute();
}

/** The session a spent refresh token belonged to: presenting it again is a reuse. */
export async function findSessionOfSpentToken(
  db: Kysely<Database>,
  hash: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('spent_refresh_tokens')
    .select('session_id')
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row?.session_id;
}

export async function deleteSpentTokensOfSessions(db: Kysely<Database>, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.deleteFrom('spent_refresh_tokens').where('session_id', 'in', sessionIds).execute();
}
