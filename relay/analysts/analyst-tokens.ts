import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashToken } from '../http/analyst-auth.js';
import { insertAnalyst } from '../store/queries/analysts-queries.js';
import type { Database } from '../store/schema.js';

/** Creates an analyst and returns the token, which exists only in this return value: we keep its hash. */
export async function createAnalyst(
  db: Kysely<Database>,
  name: string,
  now: Date,
): Promise<{ id: string; name: string; token: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('an analyst needs a name');
  const token = `lupa_${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await insertAnalyst(db, {
    id,
    name: trimmed,
    token_hash: hashToken(token),
    created_at: now.toISOString(),
    revoked_at: null,
  });
  return { id, name: trimmed, token };
}
