/**
 * Sign-in with the lender's identity provider (OpenID Connect, authorization code with PKCE). The
 * relay is the relying party; the extension talks only to the relay:
 *
 * 1. `start`: the extension (identity.launchWebAuthFlow) opens /auth/sign-in with its redirect URL,
 *    its state and its own PKCE challenge; the relay seals them, with a nonce and a PKCE verifier of
 *    its own, into the state it sends the browser to the provider with (nothing is stored).
 * 2. `callback`: the provider sends the browser back with a code; the relay exchanges it (checking
 *    issuer, audience, signature, nonce and PKCE through openid-client), applies the admission rule,
 *    creates or updates the analyst, and sends the browser to the extension's redirect URL with a
 *    one-time code of the relay's.
 * 3. `token`: the extension trades that code and its PKCE verifier for a short-lived access token and
 *    a refresh token.
 * 4. `refresh`: each refresh asks the provider again (its own refresh token), so a person removed
 *    there loses access at the next refresh, and rotates the refresh token; presenting a spent one
 *    again within REFRESH_GRACE_MS answers with the same new pair, later it revokes the whole
 *    session. `signOut` revokes it.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Role } from '@lupa/contract';
import * as client from 'openid-client';
import { ACCESS_TOKEN_PREFIX, hashToken } from '../analysts/token-hash.js';
import { isLoopback, type OidcConfig } from '../config.js';
import { Refusal } from '../refusal.js';
import type { RelayContext } from '../relay-context.js';
import {
  type Analyst,
  findActiveAnalyst,
  findAnalyst,
  findAnalystBySubject,
  insertAnalyst,
  updateAnalystFromProvider,
} from '../store/queries/analysts-queries.js';
import {
  findSessionByAccess,
  findSessionByRefresh,
  insertSession,
  restoreSessionTokens,
  revokeSession,
  rotateSessionTokens,
  updateSessionIdpRefresh,
} from '../store/queries/sessions-queries.js';
import { insertSignInCode, takeSignInCode } from '../store/queries/sign-in-codes-queries.js';
import {
  clearSuccessorsOfSession,
  deleteSpentToken,
  findSpentToken,
  insertSpentRefreshToken,
} from '../store/queries/spent-refresh-tokens-queries.js';
import { admission, rolesFromGroups } from './admission.js';
import { openSignInState, sealSignInState } from './sign-in-state.js';

const SIGN_IN_MS = 10 * 60_000;
const CODE_MS = 60_000;
/**
 * How long a just-spent refresh token still gets the pair it was exchanged for: two refreshes racing
 * (two nodes, or a service worker restarted mid-refresh) keep the session. Past it, a reuse is theft.
 */
export const REFRESH_GRACE_MS = 30_000;

export type SignInRefusalCode =
  | 'invalid_request'
  | 'invalid_grant'
  | 'sign_in_refused'
  | 'session_revoked'
  | 'session_expired'
  | 'sign_in_unavailable';

export class SignInRefusal extends Refusal<SignInRefusalCode> {}

export type Tokens = { accessToken: string; refreshToken: string; expiresIn: number };

const newSecret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createSignInService(ctx: RelayContext, oidc: OidcConfig) {
  const { db } = ctx.store;
  let discovered: Promise<client.Configuration> | undefined;

  function provider(): Promise<client.Configuration> {
    discovered ??= client
      .discovery(
        new URL(oidc.issuer),
        oidc.clientId,
        undefined,
        client.ClientSecretPost(oidc.clientSecret),
        isLoopback(oidc.issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        // Asked again next time: the provider may have been down for a moment.
        discovered = undefined;
        ctx.logger.warn({ err: String(error) }, 'identity provider discovery failed');
        throw new SignInRefusal('sign_in_unavailable', "The lender's identity provider does not answer");
      });
    return discovered;
  }

  const refreshing = new Map<string, Promise<Tokens>>();

  const sealIdpRefresh = (token: string | undefined, table: 'sign_in_codes' | 'sessions', id: string) =>
    token ? ctx.protector.seal(token, { table, column: 'idp_refresh_sealed', id }) : null;

  /**
   * Creates or updates the analyst the provider vouched for; refuses one an admin revoked. `roles`
   * undefined: the provider said nothing of roles, so the relay's stand (a newcomer is an analyst).
   */
  async function provision(claims: client.IDToken, roles: Role[] | undefined): Promise<Analyst> {
    const subject = `${claims.iss}|${claims.sub}`;
    const email = typeof claims.email === 'string' ? claims.email : null;
    const name =
      (typeof claims.name === 'string' && claims.name.trim()) ||
      email ||
      `Analista ${claims.sub.slice(0, 8)}`;
    const existing = await findAnalystBySubject(db, subject);
    if (existing?.revoked_at)
      throw new SignInRefusal('sign_in_refused', 'This person was revoked at the relay; ask an admin');
    if (existing) {
      const groupsConfigured = Object.keys(oidc.roleGroups).length > 0;
      let given = roles;
      if (given === undefined && existing.roles_source === 'identity_provider') {
        if (!groupsConfigured) {
          // OIDC_ROLE_GROUPS was removed: the relay manages these roles from now on, as they are.
          await updateAnalystFromProvider(db, existing.id, {
            name,
            email,
            roles: undefined,
            rolesSource: 'relay',
          });
          return { ...existing, name, roles_source: 'relay' };
        }
        // At sign-in a provider that sends no groups claim says "no groups" (Okta and Entra leave an
        // empty claim out): someone taken out of every group does not keep an admin's roles.
        given = rolesFromGroups([], oidc);
        if (given.length === 0)
          throw new SignInRefusal('sign_in_refused', 'no role: not a member of any role group');
      }
      await updateAnalystFromProvider(db, existing.id, { name, email, roles: given });
      return given
        ? { ...existing, name, roles: given, roles_source: 'identity_provider' }
        : { ...existing, name };
    }
    const id = randomUUID();
    const created_at = ctx.now().toISOString();
    await insertAnalyst(db, {
      id,
      name,
      // No static token: the hash of 32 random bytes nobody keeps.
      token_hash: hashToken(newSecret('')),
      created_at,
      revoked_at: null,
      roles: roles ?? ['analyst'],
      roles_source: roles ? 'identity_provider' : 'relay',
      // The static token above is one nobody holds: it has nothing to expire.
      token_expires_at: null,
      oidc_subject: subject,
      email,
    });
    const created = await findAnalyst(db, id);
    ctx.logger.info({ analystId: id, roles: created!.roles }, 'analyst created at first sign-in');
    return created!;
  }

  async function newSession(analystId: string, idpRefresh: string | undefined): Promise<Tokens> {
    const id = randomUUID();
    const now = ctx.now();
    const accessToken = newSecret(ACCESS_TOKEN_PREFIX);
    const refreshToken = newSecret('lupa_rt_');
    await insertSession(db, {
      id,
      analyst_id: analystId,
      access_hash: hashToken(accessToken),
      access_expires_at: new Date(now.getTime() + oidc.accessTokenMs).toISOString(),
      refresh_hash: hashToken(refreshToken),
      expires_at: new Date(now.getTime() + oidc.sessionMs).toISOString(),
      idp_refresh_sealed: sealIdpRefresh(idpRefresh, 'sessions', id),
      created_at: now.toISOString(),
      revoked_at: null,
      revoked_reason: null,
    });
    return { accessToken, refreshToken, expiresIn: oidc.accessTokenMs / 1000 };
  }

  async function end(sessionId: string, reason: string) {
    await revokeSession(db, sessionId, reason, ctx.now().toISOString());
    ctx.logger.info({ sessionId, reason }, 'session revoked');
  }

  /** The same new pair for a token spent within the grace; undefined when there is none to give. */
  async function graceAnswer(hash: string): Promise<Tokens | undefined> {
    const spent = await findSpentToken(db, hash);
    if (!spent?.successor_sealed) return undefined;
    if (ctx.now().getTime() - Date.parse(spent.spent_at) > REFRESH_GRACE_MS) return undefined;
    const successor = ctx.protector.openJson<Tokens>(spent.successor_sealed, {
      table: 'spent_refresh_tokens',
      column: 'successor_sealed',
      id: hash,
    });
    // Only while that pair is still the session's: once it was refreshed in turn, this is a reuse.
    const current = await findSessionByRefresh(db, hashToken(successor.refreshToken));
    if (current?.id !== spent.session_id || current.revoked_at) return undefined;
    if (current.access_hash !== hashToken(successor.accessToken)) return undefined;
    const now = ctx.now();
    if (current.expires_at <= now.toISOString() || !(await findActiveAnalyst(db, current.analyst_id)))
      return undefined;
    ctx.logger.info({ sessionId: current.id }, 'refresh token presented again within the grace');
    const left = Math.floor((Date.parse(current.access_expires_at) - now.getTime()) / 1000);
    return { ...successor, expiresIn: Math.max(1, Math.min(successor.expiresIn, left)) };
  }

  /** A spent token presented again past the grace: one of the two holders is not the analyst. */
  async function reused(hash: string): Promise<never> {
    const spent = await findSpentToken(db, hash);
    if (!spent) throw new SignInRefusal('invalid_grant', 'Unknown refresh token');
    await end(spent.session_id, 'refresh_token_reused');
    throw new SignInRefusal('session_revoked', 'This refresh token was already used; sign in again');
  }

  async function refreshOnce(hash: string): Promise<Tokens> {
    const session = await findSessionByRefresh(db, hash);
    if (!session) return (await graceAnswer(hash)) ?? reused(hash);
    if (session.revoked_at)
      throw new SignInRefusal('session_revoked', 'This session was ended; sign in again');
    const nowIso = ctx.now().toISOString();
    if (session.expires_at <= nowIso)
      throw new SignInRefusal('session_expired', 'The session is over; sign in again');
    const analyst = await findActiveAnalyst(db, session.analyst_id);
    if (!analyst) {
      await end(session.id, 'analyst_revoked');
      throw new SignInRefusal('session_revoked', 'This person was revoked at the relay');
    }
    let current: string | undefined;
    if (session.idp_refresh_sealed) {
      try {
        current = ctx.protector.open(session.idp_refresh_sealed, {
          table: 'sessions',
          column: 'idp_refresh_sealed',
          id: session.id,
        });
      } catch {
        // Sealed with a key since retired: the provider cannot be asked, so the session ends.
        await end(session.id, 'sealed_with_retired_key');
        throw new SignInRefusal('session_revoked', 'This session can no longer be renewed; sign in again');
      }
    }
    // The rotation is claimed before the provider is asked: of two nodes refreshing one token, one
    // asks (a provider that rotates its own refresh tokens would refuse the second) and the other
    // answers with the first one's pair, within the grace.
    const next: Tokens = {
      accessToken: newSecret(ACCESS_TOKEN_PREFIX),
      refreshToken: newSecret('lupa_rt_'),
      expiresIn: oidc.accessTokenMs / 1000,
    };
    const claimed = await db.transaction().execute(async (trx) => {
      const swapped = await rotateSessionTokens(trx, session.id, hash, {
        access_hash: hashToken(next.accessToken),
        access_expires_at: new Date(ctx.now().getTime() + oidc.accessTokenMs).toISOString(),
        refresh_hash: hashToken(next.refreshToken),
        idp_refresh_sealed: session.idp_refresh_sealed,
      });
      if (!swapped) return false;
      await clearSuccessorsOfSession(trx, session.id);
      await insertSpentRefreshToken(trx, {
        hash,
        session_id: session.id,
        spent_at: nowIso,
        successor_sealed: ctx.protector.sealJson(next, {
          table: 'spent_refresh_tokens',
          column: 'successor_sealed',
          id: hash,
        }),
      });
      return true;
    });
    if (!claimed) return (await graceAnswer(hash)) ?? reused(hash);
    if (current === undefined) return next;
    // Ask the provider whether the person may still enter.
    const config = await provider();
    let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>>;
    try {
      tokens = await client.refreshTokenGrant(config, current);
    } catch (error) {
      // Only the provider's "no" ends the session; its outage, or a relay misconfiguration, does not.
      if (error instanceof client.ResponseBodyError && error.error === 'invalid_grant') {
        await end(session.id, 'refused_by_provider');
        throw new SignInRefusal('session_revoked', 'The identity provider no longer admits this person');
      }
      await db.transaction().execute(async (trx) => {
        await restoreSessionTokens(trx, session, hashToken(next.refreshToken));
        await deleteSpentToken(trx, hash);
      });
      ctx.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'provider refresh failed',
      );
      throw new SignInRefusal('sign_in_unavailable', "The lender's identity provider does not answer");
    }
    const claims = tokens.claims();
    if (claims) {
      const admitted = admission(claims as Record<string, unknown>, oidc);
      if (!admitted.admitted) {
        await end(session.id, 'no_longer_admitted');
        throw new SignInRefusal('session_revoked', admitted.reason);
      }
      await updateAnalystFromProvider(db, analyst.id, {
        name: analyst.name,
        email: typeof claims.email === 'string' ? claims.email : null,
        roles: admitted.roles,
      });
    }
    if (tokens.refresh_token && tokens.refresh_token !== current)
      await updateSessionIdpRefresh(
        db,
        session.id,
        sealIdpRefresh(tokens.refresh_token, 'sessions', session.id),
      );
    return next;
  }

  return {
    /** Where to send the browser: the provider's authorization page. */
    async start(input: {
      redirectUri: string;
      state: string;
      codeChallenge: string;
      codeChallengeMethod: string;
    }): Promise<URL> {
      // Exactly a registered redirect: the code must reach this extension and nothing else.
      if (!oidc.redirectUris.includes(input.redirectUri))
        throw new SignInRefusal('invalid_request', 'redirect_uri is not one of OIDC_REDIRECT_URIS');
      if (input.codeChallengeMethod !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(input.codeChallenge))
        throw new SignInRefusal(
          'invalid_request',
          'Send a PKCE code_challenge with code_challenge_method=S256',
        );
      if (input.state.length === 0 || input.state.length > 512)
        throw new SignInRefusal('invalid_request', 'Send a state of 1 to 512 characters');
      const config = await provider();
      const nonce = client.randomNonce();
      const verifier = client.randomPKCECodeVerifier();
      const state = sealSignInState(ctx.protector, {
        nonce,
        codeVerifier: verifier,
        redirectUri: input.redirectUri,
        clientState: input.state,
        clientChallenge: input.codeChallenge,
        expiresAt: ctx.now().getTime() + SIGN_IN_MS,
      });
      return client.buildAuthorizationUrl(config, {
        redirect_uri: oidc.callbackUrl,
        scope: oidc.scopes,
        // OpenID Connect Core §11: offline access is asked with prompt=consent, or a compliant provider
        // gives no refresh token, and the relay could not ask it again at each refresh.
        ...(oidc.scopes.split(/\s+/).includes('offline_access') && { prompt: 'consent' }),
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
    },

    /**
     * The provider's answer. Returns where to send the browser: the extension's redirect URL with the
     * relay's one-time code, or with `error` when the person may not enter.
     */
    async callback(query: URLSearchParams): Promise<URL> {
      const sealedState = query.get('state') ?? '';
      const request = openSignInState(ctx.protector, sealedState, ctx.now());
      if (!request) throw new SignInRefusal('invalid_request', 'Unknown or expired sign-in; start again');
      const back = new URL(request.redirectUri);
      back.searchParams.set('state', request.clientState);
      const refuse = (reason: string) => {
        ctx.logger.info({ reason }, 'sign-in refused');
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', reason);
        return back;
      };
      // The provider's error code only (OAuth codes are lower case and underscores), never its text.
      if (query.has('error')) {
        const code = query.get('error') ?? '';
        return refuse(`the identity provider answered ${/^[a-z_]{1,40}$/.test(code) ? code : 'an error'}`);
      }
      const config = await provider();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        // The URL the provider redirected to, as registered: not rebuilt from the request's Host.
        tokens = await client.authorizationCodeGrant(config, new URL(`${oidc.callbackUrl}?${query}`), {
          pkceCodeVerifier: request.codeVerifier,
          expectedState: sealedState,
          expectedNonce: request.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        ctx.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'code exchange refused',
        );
        return refuse('the identity provider did not confirm this sign-in');
      }
      const claims = tokens.claims()!;
      const admitted = admission(claims as Record<string, unknown>, oidc);
      if (!admitted.admitted) return refuse(admitted.reason);
      let analyst: Analyst;
      try {
        analyst = await provision(claims, admitted.roles);
      } catch (error) {
        if (error instanceof SignInRefusal) return refuse(error.message);
        throw error;
      }
      const code = newSecret('');
      const codeHash = hashToken(code);
      const now = ctx.now();
      // The provider's code is spent with this exchange, so a replayed callback stops above.
      await insertSignInCode(db, {
        code_hash: codeHash,
        client_challenge: request.clientChallenge,
        analyst_id: analyst.id,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + CODE_MS).toISOString(),
        idp_refresh_sealed: sealIdpRefresh(tokens.refresh_token, 'sign_in_codes', codeHash),
      });
      back.searchParams.set('code', code);
      return back;
    },

    /** The extension's code and PKCE verifier → its first tokens. */
    async token(code: string, verifier: string): Promise<Tokens> {
      const request = await takeSignInCode(db, hashToken(code), ctx.now().toISOString());
      if (!request || !sameText(s256(verifier), request.client_challenge))
        throw new SignInRefusal(
          'invalid_grant',
          'The code is unknown, used, expired or not for this verifier',
        );
      const idpRefresh = request.idp_refresh_sealed
        ? ctx.protector.open(request.idp_refresh_sealed, {
            table: 'sign_in_codes',
            column: 'idp_refresh_sealed',
            id: request.code_hash,
          })
        : undefined;
      return newSession(request.analyst_id, idpRefresh);
    },

    async refresh(refreshToken: string): Promise<Tokens> {
      const hash = hashToken(refreshToken);
      // Two refreshes of one token on this node at once share the first one's answer.
      let running = refreshing.get(hash);
      if (!running) {
        running = refreshOnce(hash).finally(() => refreshing.delete(hash));
        refreshing.set(hash, running);
      }
      return running;
    },

    /** "Cerrar sesión": the session ends at the relay, and the provider's refresh token is revoked. */
    async signOut(token: string): Promise<void> {
      const hash = hashToken(token);
      const session = (await findSessionByRefresh(db, hash)) ?? (await findSessionByAccess(db, hash));
      if (!session) return;
      await end(session.id, 'signed_out');
      if (!session.idp_refresh_sealed) return;
      const idpRefresh = ctx.protector.open(session.idp_refresh_sealed, {
        table: 'sessions',
        column: 'idp_refresh_sealed',
        id: session.id,
      });
      await client
        .tokenRevocation(await provider(), idpRefresh, { token_type_hint: 'refresh_token' })
        .catch((error: unknown) => ctx.logger.warn({ err: String(error) }, 'provider revocation failed'));
    },
  };
}

export type SignInService = ReturnType<typeof createSignInService>;
