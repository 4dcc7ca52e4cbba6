import { createHash } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { Store } from '../store/open-store.js';
import { findActiveAnalystByTokenHash } from '../store/queries/analysts-queries.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';

/** Analyst tokens are random 256-bit values, so a plain SHA-256 is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function requireAnalyst(store: Store) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new ApiError(401, 'unauthorized', 'Send the analyst token as "Authorization: Bearer <token>"');
    }
    const analyst = await findActiveAnalystByTokenHash(store.db, hashToken(match[1]));
    if (!analyst) throw new ApiError(401, 'unauthorized', 'The analyst token is not valid or was revoked');
    c.set('analyst', analyst);
    await next();
  });
}
