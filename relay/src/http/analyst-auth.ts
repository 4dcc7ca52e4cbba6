import { createMiddleware } from 'hono/factory';
import { ACCESS_TOKEN_PREFIX, hashToken } from '../analysts/token-hash.js';
import type { Store } from '../store/open-store.js';
import { type Analyst, findActiveAnalystByTokenHash } from '../store/queries/analysts-queries.js';
import { findAnalystOfAccess } from '../store/queries/sessions-queries.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';

/**
 * Who a bearer token is: a signed-in session's access token (short-lived, from /auth/token), or a
 * static token from `analysts add` (service accounts, development). Either way one indexed read of a
 * hash, and a revoked analyst gets nothing.
 */
export async function analystOfBearer(store: Store, token: string, now: Date): Promise<Analyst | undefined> {
  const hash = hashToken(token);
  if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return findActiveAnalystByTokenHash(store.db, hash);
  return findAnalystOfAccess(store.db, hash, now.toISOString());
}

export function requireAnalyst(store: Store, now: () => Date = () => new Date()) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new ApiError(401, 'unauthorized', 'Send the analyst token as "Authorization: Bearer <token>"');
    }
    const analyst = await analystOfBearer(store, match[1], now());
    if (!analyst)
      throw new ApiError(
        401,
        'unauthorized',
        'The token is not valid, expired or was revoked; sign in again',
      );
    c.set('analyst', analyst);
    await next();
  });
}
