import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@lupa/contract';
import type { Kysely } from 'kysely';
import { insertAnalyst, replaceAnalystTokenHash } from '../store/queries/analysts-queries.js';
import type { Database } from '../store/schema.js';
import { hashToken } from './token-hash.js';

const newToken = () => `lupa_${randomBytes(32).toString('base64url')}`;

/** How long a static token works unless `analysts add --expires-days` says otherwise. */
export const STATIC_TOKEN_DEFAULT_DAYS = 90;
/** A static token is a service account's or a test bench's: a year is the most it may live. */
export const STATIC_TOKEN_MAX_DAYS = 366;

const DAY_MS = 86_400_000;

const expiryOf = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();

/** Creates an analyst and returns the token, which exists only in this return value: we keep its hash. */
export async function createAnalyst(
  db: Kysely<Database>,
  name: string,
  now: Date,
  roles: readonly Role[] = ['analyst'],
  expiresDays = STATIC_TOKEN_DEFAULT_DAYS,
): Promise<{ id: string; name: string; roles: readonly Role[]; token: string; expiresAt: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('an analyst needs a name');
  const token = newToken();
  const id = randomUUID();
  const expiresAt = expiryOf(now, expiresDays);
  await insertAnalyst(db, {
    id,
    name: trimmed,
    token_hash: hashToken(token),
    created_at: now.toISOString(),
    revoked_at: null,
    roles,
    roles_source: 'relay',
    token_expires_at: expiresAt,
  });
  return { id, name: trimmed, roles, token, expiresAt };
}

/**
 * Gives an active analyst a new token and retires the old one at once; the analyst keeps their id, so
 * their lookups and audit entries stay theirs. Returns undefined when no active analyst has that id.
 */
export async function rotateAnalystToken(
  db: Kysely<Database>,
  id: string,
  now: Date,
  expiresDays = STATIC_TOKEN_DEFAULT_DAYS,
): Promise<{ token: string; expiresAt: string } | undefined> {
  const token = newToken();
  const expiresAt = expiryOf(now, expiresDays);
  return (await replaceAnalystTokenHash(db, id, { hash: hashToken(token), expiresAt }))
    ? { token, expiresAt }
    : undefined;
}
