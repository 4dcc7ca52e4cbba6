import type { Kysely } from 'kysely';
import type { Database, SignInRequestsTable } from '../schema.js';

export type SignInRequest = SignInRequestsTable;

export async function insertSignInRequest(db: Kysely<Database>, request: SignInRequest): Promise<void> {
  await db.insertInto('sign_in_requests').values(request).execute();
}

/** A request waiting for the provider's answer; taken once (deleted), so a replayed state finds nothing. */
export async function takeWaitingSignIn(
  db: Kysely<Database>,
  id: string,
  now: string,
): Promise<SignInRequest | undefined> {
  const request = await db
    .selectFrom('sign_in_requests')
    .selectAll()
    .where('id', '=', id)
    .where('code_hash', 'is', null)
    .executeTakeFirst();
  if (!request) return undefined;
  const deleted = await db.deleteFrom('sign_in_requests').where('id', '=', id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1 || request.expires_at <= now) return undefined;
  return request;
}

/** The extension's code, taken once. */
export async function takeAnsweredSignIn(
  db: Kysely<Database>,
  codeHash: string,
  now: string,
): Promise<SignInRequest | undefined> {
  const request = await db
    .selectFrom('sign_in_requests')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!request) return undefined;
  const deleted = await db.deleteFrom('sign_in_requests').where('id', '=', request.id).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1 || request.expires_at <= now) return undefined;
  return request;
}

export async function deleteExpiredSignIns(db: Kysely<Database>, now: string): Promise<number> {
  const result = await db.deleteFrom('sign_in_requests').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
