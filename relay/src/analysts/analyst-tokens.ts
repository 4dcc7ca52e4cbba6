import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@lupa/contract';
import type { Kysely } from 'kysely';
import { insertAnalyst, replaceAnalystTokenHash } from '../store/queries/analysts-queries.js';
import type { Database } from '../store/schema.js';
import { hashToken } from './token-hash.js';

const newToken = () => `lupa_${randomBytes(32).toString('base64url')}`;

/** Creates an analyst and returns the token, which exists only in this return value: we keep its hash. */
export async function createAnalyst(
  db: Kysely<Database>,
  name: string,
  now: Date,
  roles: readonly Role[] = ['analyst'],
): Promise<{ id: string; name: string; roles: readonly Role[]; token: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('an analyst needs a name');
  const token = newToken();
  const id = randomUUID();
  await insertAnalyst(db, {
    id,
    name: trimmed,
    token_hash: hashToken(token),
    created_at: now.toISOString(),
    revoked_at: null,
    roles,
  });
  return { id, name: trimmed, roles, token };
}

/**
 * Gives an active analyst a new token and retires the old one at once; the analyst keeps their id, so
 * their lookups and audit entries stay theirs. Returns undefined when no active analyst has that id.
 */
export async function rotateAnalystToken(db: Kysely<Database>, id: string): Promise<string | undefined> {
  const token = newToken();
  return (await replaceAnalystTokenHash(db, id, hashToken(token))) ? token : undefined;
}
