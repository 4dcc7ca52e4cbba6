import { createMiddleware } from 'hono/factory';
import { ACCESS_TOKEN_PREFIX, hashToken } from '../analysts/token-hash.js';
import type { RelayContext } from '../relay-context.js';
import type { Store } from '../store/open-store.js';
import { type Analyst, findActiveAnalystByTokenHash } from '../store/queries/analysts-queries.js';
import { findAnalystOfAccess } from '../store/queries/sessions-queries.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';

/** Whether a bearer token is a signed-in session's (the other kind is a static token from the CLI). */
export const isSessionToken = (token: string) => token.startsWith(ACCESS_TOKEN_PREFIX);

/**
 * Who a bearer token is: a signed-in session's access token (short-lived, from /auth/token), or a
 * static token from `analysts add` (service accounts, development) while it has not expired. Either
 * way one indexed read of a hash, and a revoked analyst gets nothing.
 */
export async function analystOfBearer(store: Store, token: string, now: Date): Promise<Analyst | undefined> {
  const hash = hashToken(token);
  if (!isSessionToken(token)) return findActiveAnalystByTokenHash(store.db, hash, now.toISOString());
  return findAnalystOfAccess(store.db, hash, now.toISOString());
}

/**
 * Every /v1 route's first step. With REQUIRE_SIGN_IN the relay itself refuses static tokens (not
 * only the extension's settings), so a leaked or forgotten one opens nothing; operators keep the CLI.
 */
export type RelayAuth = Pick<RelayContext, 'store' | 'now' | 'config'>;

export function requireAnalyst(ctx: RelayAuth) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) {
      throw new ApiError(401, 'unauthorized', 'Send the analyst token as "Authorization: Bearer <token>"');
    }
    if (ctx.config.requireSignIn && !isSessionToken(match[1]))
      throw new ApiError(
        401,
        'sign_in_required',
        "This relay admits only analysts signed in with the lender's identity provider; sign in",
      );
    const analyst = await analystOfBearer(ctx.store, match[1], ctx.now());
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
