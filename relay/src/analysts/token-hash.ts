/** How the relay keeps bearer tokens: only their hash is stored, for static tokens and sessions alike. */
import { createHash } from 'node:crypto';

/** Access tokens say what they are, so the relay looks them up in sessions, not among static tokens. */
export const ACCESS_TOKEN_PREFIX = 'lupa_at_';

/** Tokens are random 256-bit values, so a plain SHA-256 is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
