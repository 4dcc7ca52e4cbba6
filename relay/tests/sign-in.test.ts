/**
 * Sign-in with the lender's identity provider, end to end over HTTP against a real OpenID provider on
 * 127.0.0.1 (oidc-provider): the extension's side is played here the way identity.launchWebAuthFlow
 * does it (follow the redirects, read the code off the extension's redirect URL).
 */
import { existsSync, statSync } from 'node:fs';
import type { TokenResponse } from '@lupa/contract';
import ky from 'ky';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../src/extractions/purge.js';
import { runCli } from './cli-runner.js';
import {
  ANA,
  CLIENT_ID,
  extensionSignIn,
  type IdentityProvider,
  signInEnv,
  startIdentityProvider,
} from './identity-provider.js';
import { analystClient, freePort, type Stack, startStack } from './relay-harness.js';

const EXTENSION_REDIRECT = 'https://lupatestextensionid.chromiumapp.org/';
let stack: Stack;
let idp: IdentityProvider;
let clockOffsetMs = 0;

beforeAll(async () => {
  idp = await startIdentityProvider({ relayPort: await freePort() });
  idp.people.set('ana', ANA);
  idp.people.set('sara', {
    email: 'sara@banco.com.co',
    name: 'Sara Supervisora',
    groups: ['lupa', 'lupa-supervisores'],
  });
  idp.people.set('intrusa', { email: 'eva@otro.com', name: 'Eva', groups: ['lupa'] });
  stack = await startStack({
    now: () => new Date(Date.now() + clockOffsetMs),
    env: signInEnv(idp, {
      redirectUris: EXTENSION_REDIRECT,
      allowedDomains: 'banco.com.co',
      OIDC_ALLOWED_GROUPS: 'lupa',
      OIDC_ROLE_GROUPS: 'supervisor=lupa-supervisores',
    }),
  });
  flow = extensionSignIn(stack.relay.url, idp, EXTENSION_REDIRECT);
});
afterAll(async () => {
  await stack?.stop();
  await idp?.close();
});

let flow: ReturnType<typeof extensionSignIn>;
const auth = () => flow.auth;
const signIn = (who: string) => flow.signIn(who);
const tokensFor = (who: string) => flow.tokensFor(who);
const refresh = (refreshToken: string) => flow.refresh(refreshToken);
/** A sign-in start as anyone can send it: the extension's redirect, a made-up state and challenge. */
function anonymousStart(): URL {
  const start = new URL(`${stack.relay.url}/auth/sign-in`);
  start.searchParams.set('redirect_uri', EXTENSION_REDIRECT);
  start.searchParams.set('state', 'estado');
  start.searchParams.set('code_challenge', 'a'.repeat(43));
  start.searchParams.set('code_challenge_method', 'S256');
  return start;
}

const codeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;

describe('sign-in with the identity provider', () => {
  it('creates the analyst at first sign-in and gives a short-lived access token that works on /v1', async () => {
    const tokens = await tokensFor('ana');
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(tokens.access_token).toMatch(/^lupa_at_/);
    const me = (await analystClient(stack.relay.url, tokens.access_token).get('v1/me').json()) as {
      name: string;
      roles: string[];
    };
    expect(me).toMatchObject({ name: 'Ana Ríos', roles: ['analyst'] });
    // A second sign-in is the same analyst.
    const again = await tokensFor('ana');
    const meAgain = (await analystClient(stack.relay.url, again.access_token).get('v1/me').json()) as {
      id: string;
    };
    expect(meAgain.id).toBe((me as unknown as { id: string }).id);
  });

  it('gives roles from the provider’s groups', async () => {
    const tokens = await tokensFor('sara');
    const client = analystClient(stack.relay.url, tokens.access_token);
    expect(((await client.get('v1/me').json()) as { roles: string[] }).roles).toEqual([
      'analyst',
      'supervisor',
    ]);
    expect(
      (await client.get('v1/usage', { searchParams: { from: '2026-11-01', to: '2026-11-30' } })).status,
    ).toBe(200);
  });

  it('refuses a person outside the allowed domains, back at the extension with error=access_denied', async () => {
    const { landed, state } = await signIn('intrusa');
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('error_description')).toContain('otro.com');
    expect(landed.searchParams.get('state')).toBe(state);
    expect(landed.searchParams.has('code')).toBe(false);
  });

  it('rotates the refresh token, and a spent one presented again revokes the whole session', async () => {
    const first = await tokensFor('ana');
    const second = (await (await refresh(first.refresh_token)).json()) as TokenResponse;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await analystClient(stack.relay.url, second.access_token).get('v1/me')).status).toBe(200);
    // The old access token is replaced.
    expect((await analystClient(stack.relay.url, first.access_token).get('v1/me')).status).toBe(401);

    // Past the 30 s grace, the spent token is a stolen one.
    clockOffsetMs = 31_000;
    let reused: Response;
    try {
      reused = await refresh(first.refresh_token);
    } finally {
      clockOffsetMs = 0;
    }
    expect(reused.status).toBe(401);
    expect(await codeOf(reused)).toBe('session_revoked');
    // Both holders are out: the current access token and the current refresh token stop working.
    expect((await analystClient(stack.relay.url, second.access_token).get('v1/me')).status).toBe(401);
    expect(await codeOf(await refresh(second.refresh_token))).toBe('session_revoked');
  });

  it('keeps the session through two refreshes at once: both get the same new pair', async () => {
    const first = await tokensFor('ana');
    const [a, b] = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [pairA, pairB] = (await Promise.all([a.json(), b.json()])) as TokenResponse[];
    expect(pairB).toEqual(pairA);
    expect((await analystClient(stack.relay.url, pairA!.access_token).get('v1/me')).status).toBe(200);
    expect((await refresh(pairA!.refresh_token)).status).toBe(200);
  });

  it('answers a just-spent token again within 30 s with the same pair (a worker stopped before saving it)', async () => {
    const first = await tokensFor('ana');
    const saved = (await (await refresh(first.refresh_token)).json()) as TokenResponse;
    clockOffsetMs = 20_000;
    try {
      const again = await refresh(first.refresh_token);
      expect(again.status).toBe(200);
      const repeated = (await again.json()) as TokenResponse;
      expect(repeated).toMatchObject({
        access_token: saved.access_token,
        refresh_token: saved.refresh_token,
      });
      // The time that pair has left, not a fresh lifetime.
      expect(repeated.expires_in).toBeLessThanOrEqual(saved.expires_in - 20);
      expect(repeated.expires_in).toBeGreaterThan(saved.expires_in - 25);
    } finally {
      clockOffsetMs = 0;
    }
    // Once that pair was refreshed in turn, the old token is a reuse even within the grace.
    const next = (await (await refresh(saved.refresh_token)).json()) as TokenResponse;
    const late = await refresh(first.refresh_token);
    expect(late.status).toBe(401);
    expect(await codeOf(late)).toBe('session_revoked');
    expect((await analystClient(stack.relay.url, next.access_token).get('v1/me')).status).toBe(401);
  });

  it('passes on the provider’s error code, never its text, to the extension', async () => {
    const start = anonymousStart();
    const toProvider = new URL((await fetch(start, { redirect: 'manual' })).headers.get('location')!);
    const state = toProvider.searchParams.get('state')!;
    const descriptionOf = async (error: string) => {
      const callback = new URL(`${stack.relay.url}/auth/callback`);
      callback.searchParams.set('state', state);
      callback.searchParams.set('error', error);
      const back = new URL((await fetch(callback, { redirect: 'manual' })).headers.get('location')!);
      expect(back.href.startsWith(EXTENSION_REDIRECT)).toBe(true);
      return back.searchParams.get('error_description');
    };
    expect(await descriptionOf('access_denied')).toBe('the identity provider answered access_denied');
    expect(await descriptionOf('Llame al 018000 <b>ya</b>')).toBe('the identity provider answered an error');
  });

  it('asks for offline access with prompt=consent (OpenID Connect Core §11)', async () => {
    const start = anonymousStart();
    const toProvider = new URL((await fetch(start, { redirect: 'manual' })).headers.get('location')!);
    expect(toProvider.searchParams.get('scope')).toContain('offline_access');
    expect(toProvider.searchParams.get('prompt')).toBe('consent');
  });

  it('"Cerrar sesión" ends the session', async () => {
    const tokens = await tokensFor('ana');
    expect((await auth().post('sign-out', { json: { refresh_token: tokens.refresh_token } })).status).toBe(
      200,
    );
    expect((await analystClient(stack.relay.url, tokens.access_token).get('v1/me')).status).toBe(401);
    expect(await codeOf(await refresh(tokens.refresh_token))).toBe('session_revoked');
  });

  it('takes access away at the next refresh from a person removed at the provider', async () => {
    idp.people.set('temporal', { email: 'temporal@banco.com.co', name: 'Tomás Temporal', groups: ['lupa'] });
    const tokens = await tokensFor('temporal');
    idp.people.delete('temporal');
    const response = await refresh(tokens.refresh_token);
    expect(response.status).toBe(401);
    expect(await codeOf(response)).toBe('session_revoked');
    expect((await analystClient(stack.relay.url, tokens.access_token).get('v1/me')).status).toBe(401);
  });

  it('drops a role at the next refresh when the person left its group', async () => {
    idp.people.set('rota', {
      email: 'rota@banco.com.co',
      name: 'Rosa Rota',
      groups: ['lupa', 'lupa-supervisores'],
    });
    const tokens = await tokensFor('rota');
    idp.people.set('rota', { email: 'rota@banco.com.co', name: 'Rosa Rota', groups: ['lupa'] });
    const next = (await (await refresh(tokens.refresh_token)).json()) as TokenResponse;
    const me = (await analystClient(stack.relay.url, next.access_token).get('v1/me').json()) as {
      roles: string[];
    };
    expect(me.roles).toEqual(['analyst']);
  });

  it("refuses to edit roles the provider's groups set, at the API and the CLI, and says who sets each analyst's", async () => {
    await tokensFor('sara');
    const admin = await stack.newAnalyst('Adán Admin', ['admin']);
    type Team = {
      analysts: Array<{ id: string; name: string; rolesSource: string; tokenExpiresAt: string | null }>;
    };
    const team = (await admin.api.get('v1/analysts').json()) as Team;
    const sara = team.analysts.find((member) => member.name === 'Sara Supervisora')!;
    expect(sara).toMatchObject({ rolesSource: 'identity_provider', tokenExpiresAt: null });
    expect(team.analysts.find((member) => member.id === admin.id)?.rolesSource).toBe('relay');

    const demoted = await admin.api.post(`v1/analysts/${sara.id}/roles`, { json: { roles: ['analyst'] } });
    expect(demoted.status).toBe(409);
    expect(await codeOf(demoted)).toBe('roles_managed_by_identity_provider');
    const cli = runCli(['analysts', 'roles', sara.id, 'analyst'], stack.env);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toContain("identity provider's groups");
    // Nothing changed, and no change was audited.
    const saraNow = await tokensFor('sara');
    const me = (await analystClient(stack.relay.url, saraNow.access_token).get('v1/me').json()) as {
      roles: string[];
    };
    expect(me.roles).toEqual(['analyst', 'supervisor']);
    const audited = await stack.relay.ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'roles_changed')
      .execute();
    expect(audited).toEqual([]);
  });

  it.each([
    ['another audience', { aud: 'otra-aplicacion' }],
    ['another issuer', { iss: 'https://idp.atacante.example' }],
  ])('refuses an ID token for %s', async (_what, claims) => {
    idp.tamperIdTokens(claims);
    try {
      const { landed } = await signIn('ana');
      expect(landed.searchParams.get('error')).toBe('access_denied');
      expect(landed.searchParams.has('code')).toBe(false);
    } finally {
      idp.tamperIdTokens(undefined);
    }
  });

  it('refuses, as a bearer token on /v1, a token the provider issued (for Lupa or another application)', async () => {
    for (const audience of [CLIENT_ID, 'otra-aplicacion']) {
      const idToken = await idp.idTokenFor('ana', audience);
      expect((await analystClient(stack.relay.url, idToken).get('v1/me')).status).toBe(401);
    }
  });

  it('refuses a tampered state at the callback, and a tampered code_verifier at the token endpoint', async () => {
    const callback = await ky.get(`${stack.relay.url}/auth/callback`, {
      searchParams: { state: 'inventado', code: 'x' },
      throwHttpErrors: false,
      redirect: 'manual',
    });
    expect(callback.status).toBe(400);
    expect(await codeOf(callback)).toBe('invalid_request');

    const { landed, verifier } = await signIn('ana');
    const code = landed.searchParams.get('code')!;
    const wrong = await auth().post('token', {
      json: {
        grant_type: 'authorization_code',
        code,
        code_verifier: `${verifier.slice(0, -1)}${verifier.endsWith('A') ? 'B' : 'A'}`,
      },
    });
    expect(wrong.status).toBe(400);
    expect(await codeOf(wrong)).toBe('invalid_grant');
    // The code is spent by that attempt: the right verifier now gets nothing either.
    const late = await auth().post('token', {
      json: { grant_type: 'authorization_code', code, code_verifier: verifier },
    });
    expect(await codeOf(late)).toBe('invalid_grant');
  });

  it('refuses a redirect URL that is not the extension’s', async () => {
    const response = await ky.get(`${stack.relay.url}/auth/sign-in`, {
      searchParams: {
        redirect_uri: 'https://atacante.example/robar',
        state: 's',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      },
      throwHttpErrors: false,
      redirect: 'manual',
    });
    expect(response.status).toBe(400);
    expect(await codeOf(response)).toBe('invalid_request');
  });

  it('stores nothing for 1,000 anonymous sign-in starts: the state travels sealed, and a forged one is refused', async () => {
    const rowsPerTable = async () => {
      const tables = await stack.relay.ctx.store.db.introspection.getTables();
      const counts: Record<string, number> = {};
      for (const { name } of tables) {
        const row = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(
          stack.relay.ctx.store.db,
        );
        counts[name] = Number(row.rows[0]!.n);
      }
      return counts;
    };
    const sqliteFile = stack.env.DATABASE_URL!.startsWith('sqlite:')
      ? stack.env.DATABASE_URL!.slice(7)
      : null;
    const bytesOnDisk = () =>
      sqliteFile
        ? [sqliteFile, `${sqliteFile}-wal`].map((file) => (existsSync(file) ? statSync(file).size : 0))
        : [];
    const before = await rowsPerTable();
    const sizeBefore = bytesOnDisk();
    const start = anonymousStart();
    let sentToProvider = 0;
    for (let round = 0; round < 50; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, index) => {
          start.searchParams.set('state', `anonimo-${round}-${index}`);
          const response = await fetch(start, { redirect: 'manual' });
          await response.arrayBuffer();
          return response.headers.get('location') ?? '';
        }),
      );
      sentToProvider += answers.filter((location) => location.startsWith(idp.issuer)).length;
    }
    expect(sentToProvider).toBe(1_000);
    expect(await rowsPerTable()).toEqual(before);
    expect(bytesOnDisk()).toEqual(sizeBefore);

    // The state is sealed by the relay: a made-up or altered one is refused at the callback.
    const { landed } = await signIn('ana');
    expect(landed.searchParams.has('code')).toBe(true);
    const location = await fetch(start, { redirect: 'manual' }).then(
      (response) => response.headers.get('location')!,
    );
    const sealed = new URL(location).searchParams.get('state')!;
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const state of [altered, 'v2.inventado']) {
      const callback = await fetch(
        `${stack.relay.url}/auth/callback?state=${encodeURIComponent(state)}&code=x`,
        {
          redirect: 'manual',
        },
      );
      expect(callback.status).toBe(400);
      expect(await codeOf(callback)).toBe('invalid_request');
    }
  });

  it('keeps static tokens from `analysts add` working beside sign-in', async () => {
    expect((await stack.api.get('v1/me')).status).toBe(200);
  });

  it('forgets ended sessions and abandoned sign-ins a day later (the retention purge)', async () => {
    const { db } = stack.relay.ctx.store;
    const ended = await db.selectFrom('sessions').select('id').where('revoked_at', 'is not', null).execute();
    expect(ended.length).toBeGreaterThan(0);
    clockOffsetMs = 25 * 3_600_000;
    try {
      await purgeExpired(stack.relay.ctx);
    } finally {
      clockOffsetMs = 0;
    }
    const left = await db.selectFrom('sessions').select('id').where('revoked_at', 'is not', null).execute();
    expect(left).toEqual([]);
    // Spent tokens stay only for live sessions, where presenting one again must still revoke them.
    const spentOf = await db.selectFrom('spent_refresh_tokens').select('session_id').execute();
    const live = await db.selectFrom('sessions').select('id').where('revoked_at', 'is', null).execute();
    expect(spentOf.every(({ session_id }) => live.some(({ id }) => id === session_id))).toBe(true);
    expect(await db.selectFrom('sign_in_codes').select('code_hash').execute()).toEqual([]);
  });
});
