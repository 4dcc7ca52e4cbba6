import type { Kysely } from 'kysely';
import type { Database, SignInCodesTable } from '../schema.js';

export type SignInCode = SignInCodesTable;

export async function insertSignInCode(db: Kysely<Database>, code: SignInCode): Promise<void> {
  await db.insertInto('sign_in_codes').values(code).execute();
}

/**
 * Takes a code once: whoever deletes the row has it, so two token requests racing with the same code
 * cannot both go on. An expired one is deleted and not returned.
 */
export async function takeSignInCode(
  db: Kysely<Database>,
  codeHash: string,
  now: string,
): Promise<SignInCode | undefined> {
  const found = await db
    .selectFrom('sign_in_codes')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!found) return undefined;
  const deleted = await db.deleteFrom('sign_in_codes').where('code_hash', '=', codeHash).executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 && found.expires_at > now ? found : undefined;
}

export async function deleteExpiredSignInCodes(db: Kysely<Database>, now: string): Promise<number> {
  const result = await db.deleteFrom('sign_in_codes').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
