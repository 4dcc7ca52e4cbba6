import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createRelaySession, type StoredSession } from '../../utils/background/relay-session.js';

const RELAY = 'https://relay.banco.com.co';
const REDIRECT = 'https://abcdef.chromiumapp.org/';

type Answer = { status: number; body: unknown };

function setUp(
  options: { answer?: (start: URL) => string; respond?: (grant: string) => Answer | undefined } = {},
) {
  let stored: StoredSession | undefined;
  let clock = 1_000_000;
  const requests: Array<{ url: string; body: Record<string, string> }> = [];
  const launched: URL[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Record<string, string>;
    requests.push({ url: String(url), body });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const answer = options.respond?.(body.grant_type!) ?? {
      status: 200,
      body: {
        access_token: `lupa_at_${requests.length}`,
        refresh_token: `lupa_rt_${requests.length}`,
        token_type: 'Bearer',
        expires_in: 600,
      },
    };
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { 'content-type': 'application/json' },
    });
  });
  const session = createRelaySession({
    load: async () => stored,
    save: async (next) => {
      stored = next;
    },
    launchWebAuthFlow: async (url) => {
      const start = new URL(url);
      launched.push(start);
      const answer =
        options.answer ?? ((at: URL) => `${REDIRECT}?code=el-codigo&state=${at.searchParams.get('state')}`);
      return answer(start);
    },
    redirectUrl: () => REDIRECT,
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => clock,
  });
  return {
    session,
    requests,
    launched,
    stored: () => stored,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('signing in through the relay', () => {
  it('opens the relay’s sign-in with a PKCE challenge, and trades the code with its verifier', async () => {
    const { session, launched, requests, stored } = setUp();
    await session.signIn(RELAY);
    const start = launched[0]!;
    expect(`${start.origin}${start.pathname}`).toBe(`${RELAY}/auth/sign-in`);
    expect(start.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(start.searchParams.get('code_challenge_method')).toBe('S256');
    expect(requests[0]).toMatchObject({
      url: `${RELAY}/auth/token`,
      body: { grant_type: 'authorization_code', code: 'el-codigo' },
    });
    const verifier = requests[0]!.body.code_verifier!;
    expect(createHash('sha256').update(verifier).digest('base64url')).toBe(
      start.searchParams.get('code_challenge'),
    );
    expect(stored()).toMatchObject({ relayUrl: RELAY, accessToken: 'lupa_at_1', refreshToken: 'lupa_rt_1' });
  });

  it.each([
    ['an answer for another state', () => `${REDIRECT}?code=robado&state=otro`, 'sign_in_refused'],
    [
      'access_denied',
      (at: URL) => `${REDIRECT}?error=access_denied&state=${at.searchParams.get('state')}`,
      'sign_in_refused',
    ],
    ['no code', (at: URL) => `${REDIRECT}?state=${at.searchParams.get('state')}`, 'sign_in_refused'],
    [
      'a closed window',
      () => {
        throw new Error('The user did not approve access.');
      },
      'sign_in_cancelled',
    ],
  ])('refuses %s, and asks the relay for nothing', async (_what, answer, code) => {
    const { session, requests, stored } = setUp({ answer });
    await expect(session.signIn(RELAY)).rejects.toMatchObject({ code });
    expect(requests).toEqual([]);
    expect(stored()).toBeUndefined();
  });
});

describe('the access token', () => {
  it('is used as is while it has more than a minute left, then refreshed once for concurrent requests', async () => {
    const { session, requests, advance } = setUp();
    await session.signIn(RELAY);
    expect(await session.accessToken(RELAY)).toBe('lupa_at_1');
    advance(540_001);
    const tokens = await Promise.all([
      session.accessToken(RELAY),
      session.accessToken(RELAY),
      session.accessToken(RELAY),
    ]);
    expect(tokens).toEqual(['lupa_at_2', 'lupa_at_2', 'lupa_at_2']);
    expect(requests.map((request) => request.body.grant_type)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(requests[1]!.body.refresh_token).toBe('lupa_rt_1');
  });

  it.each(['session_revoked', 'session_expired'])(
    'is forgotten with its session when the relay answers %s',
    async (code) => {
      const { session, advance, stored } = setUp({
        respond: (grant) =>
          grant === 'refresh_token' ? { status: 401, body: { error: { code } } } : undefined,
      });
      await session.signIn(RELAY);
      advance(600_000);
      await expect(session.accessToken(RELAY)).rejects.toMatchObject({ code });
      expect(stored()).toBeUndefined();
    },
  );

  it('keeps the session when the provider is only down for a moment', async () => {
    const { session, advance, stored } = setUp({
      respond: (grant) =>
        grant === 'refresh_token'
          ? { status: 503, body: { error: { code: 'sign_in_unavailable' } } }
          : undefined,
    });
    await session.signIn(RELAY);
    advance(600_000);
    await expect(session.accessToken(RELAY)).rejects.toMatchObject({ code: 'sign_in_unavailable' });
    expect(stored()).toBeDefined();
  });

  it('is none for another relay than the one signed in to', async () => {
    const { session } = setUp();
    await session.signIn(RELAY);
    expect(await session.accessToken('https://otro-relay.example')).toBeUndefined();
  });
});
