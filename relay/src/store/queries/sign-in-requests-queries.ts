import type { Kysely } from 'kysely';
import type { Database, SignInRequestsTable } from '../schema.js';

export type SignInRequest = SignInRequestsTable;

export async function insertSignInRequest(db: Kysely<Database>, request: SignInRequest): Promise<void> {
  await db.insertInto('sign_in_requests').values(request).execute();
}

/**
 * Takes a request once: whoever deletes the row has it, so two requests racing with the same state or
 * code cannot both go on. An expired one is deleted and not returned.
 */
async function takeOnce(
  db: Kysely<Database>,
  found: SignInRequest | undefined,
  now: string,
): Promise<SignInRequest | undefined> {
  if (!found) return undefined;
  const deleted = await db.deleteFrom('sign_in_requests').where('id', '=', found.id).executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 && found.expires_at > now ? found : undefined;
}

/** A request waiting for the provider's answer: a replayed state finds nothing. */
export async function takeWaitingSignIn(
  db: Kysely<Database>,
  id: string,
  now: string,
): Promise<SignInRequest | undefined> {
  const found = await db
    .selectFrom('sign_in_requests')
    .selectAll()
    .where('id', '=', id)
    .where('code_hash', 'is', null)
    .executeTakeFirst();
  return takeOnce(db, found, now);
}

/** The extension's one-time code. */
export async function takeAnsweredSignIn(
  db: Kysely<Database>,
  codeHash: string,
  now: string,
): Promise<SignInRequest | undefined> {
  const found = await db
    .selectFrom('sign_in_requests')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  return takeOnce(db, found, now);
}

export async function deleteExpiredSignIns(db: Kysely<Database>, now: string): Promise<number> {
  const result = await db.deleteFrom('sign_in_requests').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
