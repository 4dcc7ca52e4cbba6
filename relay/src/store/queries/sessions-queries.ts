import type { Kysely } from 'kysely';
import type { Database, SessionsTable } from '../schema.js';
import { type Analyst, withRoles } from './analysts-queries.js';

export type Session = SessionsTable;

export async function insertSession(db: Kysely<Database>, session: Session): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
}

/** The analyst behind a live access token (session not revoked or expired, analyst not revoked). */
export async function findAnalystOfAccess(
  db: Kysely<Database>,
  accessHash: string,
  now: string,
): Promise<Analyst | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('analysts', 'analysts.id', 'sessions.analyst_id')
    .select([
      'analysts.id',
      'analysts.name',
      'analysts.created_at',
      'analysts.revoked_at',
      'analysts.roles',
      'analysts.roles_source',
      'analysts.token_expires_at',
    ])
    .where('sessions.access_hash', '=', accessHash)
    .where('sessions.access_expires_at', '>', now)
    .where('sessions.revoked_at', 'is', null)
    .where('analysts.revoked_at', 'is', null)
    .executeTakeFirst();
  return row && withRoles(row);
}

export async function findSessionByRefresh(
  db: Kysely<Database>,
  refreshHash: string,
): Promise<Session | undefined> {
  return db.selectFrom('sessions').selectAll().where('refresh_hash', '=', refreshHash).executeTakeFirst();
}

export async function findSessionByAccess(
  db: Kysely<Database>,
  accessHash: string,
): Promise<Session | undefined> {
  return db.selectFrom('sessions').selectAll().where('access_hash', '=', accessHash).executeTakeFirst();
}

/** Swaps in new tokens only if the session still holds the refresh token presented (one winner). */
export async function rotateSessionTokens(
  db: Kysely<Database>,
  id: string,
  fromRefreshHash: string,
  next: Pick<Session, 'access_hash' | 'access_expires_at' | 'refresh_hash' | 'idp_refresh_sealed'>,
): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set(next)
    .where('id', '=', id)
    .where('refresh_hash', '=', fromRefreshHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Undoes a rotation whose provider check could not be made: the presented token works again. */
export async function restoreSessionTokens(
  db: Kysely<Database>,
  before: Pick<Session, 'id' | 'access_hash' | 'access_expires_at' | 'refresh_hash'>,
  rotatedToRefreshHash: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({
      access_hash: before.access_hash,
      access_expires_at: before.access_expires_at,
      refresh_hash: before.refresh_hash,
    })
    .where('id', '=', before.id)
    .where('refresh_hash', '=', rotatedToRefreshHash)
    .execute();
}

/** The provider's own refresh token, when it rotated it at this refresh. */
export async function updateSessionIdpRefresh(
  db: Kysely<Database>,
  id: string,
  idpRefreshSealed: string | null,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ idp_refresh_sealed: idpRefreshSealed })
    .where('id', '=', id)
    .execute();
}

export async function revokeSession(
  db: Kysely<Database>,
  id: string,
  reason: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Sessions over for a day (expired or revoked): nothing in them is needed any more. */
export async function findFinishedSessionIds(db: Kysely<Database>, before: string): Promise<string[]> {
  const rows = await db
    .selectFrom('sessions')
    .select('id')
    .where((eb) => eb.or([eb('expires_at', '<=', before), eb('revoked_at', '<=', before)]))
    .execute();
  return rows.map((row) => row.id);
}

export async function deleteSessions(db: Kysely<Database>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('sessions').where('id', 'in', ids).execute();
}
