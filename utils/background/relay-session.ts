/**
 * The analyst's sign-in with the lender's identity provider, through the relay (its /auth routes):
 * the extension's side of the code flow with PKCE. The browser's sign-in window
 * (identity.launchWebAuthFlow) goes to the relay, which sends it to the provider and back to the
 * extension's redirect URL with a one-time code; the code and this module's PKCE verifier buy a
 * short-lived access token (kept in storage.session) and a refresh token (storage.local; see
 * relay-session-store.ts), refreshed before the access token lapses. One refresh at a time: the relay
 * rotates the refresh token and treats a second use of the same one as theft (after a short grace, in
 * which it answers with the same new pair: a worker stopped before it saved them loses nothing).
 */
import { TokenResponseSchema } from '@lupa/contract';

export type StoredSession = {
  relayUrl: string;
  accessToken: string;
  /** Epoch ms. */
  accessExpiresAt: number;
  refreshToken: string;
};

export class SessionError extends Error {
  constructor(
    readonly code: 'sign_in_refused' | 'sign_in_cancelled' | 'session_expired' | 'session_revoked' | string,
    message: string,
  ) {
    super(message);
    this.name = 'SessionError';
  }
}

/** Refreshed when less than this is left, so a request never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export function createRelaySession(deps: {
  load(): Promise<StoredSession | undefined>;
  save(session: StoredSession | undefined): Promise<void>;
  /** identity.launchWebAuthFlow({ url, interactive: true }): the URL the window ended on. */
  launchWebAuthFlow(url: string): Promise<string>;
  /** identity.getRedirectURL(): where the relay sends the window back. */
  redirectUrl(): string;
  fetch?: typeof fetch;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  let refreshing: Promise<StoredSession> | undefined;

  async function tokenRequest(relayUrl: string, body: Record<string, string>): Promise<StoredSession> {
    let response: Response;
    try {
      response = await fetchImpl(`${relayUrl}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (error) {
      throw new SessionError('relay_unreachable', error instanceof Error ? error.message : String(error));
    }
    const json = await response.json().catch(() => undefined);
    if (!response.ok) {
      const code =
        (json as { error?: { code?: string } } | undefined)?.error?.code ?? 'relay_invalid_response';
      throw new SessionError(
        code === 'invalid_grant' ? 'session_expired' : code,
        `the relay answered ${response.status}`,
      );
    }
    const tokens = TokenResponseSchema.safeParse(json);
    if (!tokens.success)
      throw new SessionError('relay_invalid_response', 'the relay answered outside the contract');
    return {
      relayUrl,
      accessToken: tokens.data.access_token,
      accessExpiresAt: now() + tokens.data.expires_in * 1000,
      refreshToken: tokens.data.refresh_token,
    };
  }

  async function refresh(current: StoredSession): Promise<StoredSession> {
    try {
      const next = await tokenRequest(current.relayUrl, {
        grant_type: 'refresh_token',
        refresh_token: current.refreshToken,
      });
      await deps.save(next);
      return next;
    } catch (error) {
      // Over for good (revoked, expired, removed at the provider): forget it, the analyst signs in again.
      if (error instanceof SessionError && ['session_revoked', 'session_expired'].includes(error.code))
        await deps.save(undefined);
      throw error;
    }
  }

  return {
    /** Opens the sign-in window; resolves once the relay gave tokens. */
    async signIn(relayUrl: string): Promise<StoredSession> {
      const verifier = randomText();
      const state = randomText();
      const start = new URL(`${relayUrl}/auth/sign-in`);
      start.searchParams.set('redirect_uri', deps.redirectUrl());
      start.searchParams.set('state', state);
      start.searchParams.set('code_challenge', await s256(verifier));
      start.searchParams.set('code_challenge_method', 'S256');
      let landed: URL;
      try {
        landed = new URL(await deps.launchWebAuthFlow(start.href));
      } catch (error) {
        throw new SessionError('sign_in_cancelled', error instanceof Error ? error.message : String(error));
      }
      // Only the answer to this sign-in: another window's code, or a forged one, is not taken.
      if (landed.searchParams.get('state') !== state)
        throw new SessionError('sign_in_refused', 'the sign-in answered with another state');
      const error = landed.searchParams.get('error');
      if (error)
        throw new SessionError('sign_in_refused', landed.searchParams.get('error_description') ?? error);
      const code = landed.searchParams.get('code');
      if (!code) throw new SessionError('sign_in_refused', 'the sign-in gave no code');
      const session = await tokenRequest(relayUrl, {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
      });
      await deps.save(session);
      return session;
    },

    /** A valid access token for `relayUrl`, refreshed first if it is about to lapse. */
    async accessToken(relayUrl: string): Promise<string | undefined> {
      const current = await deps.load();
      if (!current || current.relayUrl !== relayUrl) return undefined;
      if (current.accessExpiresAt - now() > REFRESH_MARGIN_MS) return current.accessToken;
      refreshing ??= refresh(current).finally(() => {
        refreshing = undefined;
      });
      return (await refreshing).accessToken;
    },

    /** "Cerrar sesión": at the relay (which revokes it at the provider too), then here. */
    async signOut(): Promise<void> {
      const current = await deps.load();
      await deps.save(undefined);
      if (!current) return;
      await fetchImpl(`${current.relayUrl}/auth/sign-out`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: current.refreshToken }),
        cache: 'no-store',
      }).catch(() => undefined);
    },
  };
}

export type RelaySession = ReturnType<typeof createRelaySession>;
