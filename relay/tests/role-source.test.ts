/**
 * One source per role, and who may use /v1 at all, against a real OpenID provider on 127.0.0.1: a
 * provider that sends no groups (Google's set-up) leaves roles to the relay, and what the relay's
 * admins and operators set survives the person's refresh and next sign-in. With REQUIRE_SIGN_IN the
 * relay refuses static tokens itself; static tokens expire.
 */
import type { TokenResponse } from '@lupa/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnalyst } from '../src/analysts/analyst-tokens.js';
import { analystOfBearer } from '../src/http/analyst-auth.js';
import { runCli } from './cli-runner.js';
import {
  extensionSignIn,
  type IdentityProvider,
  signInEnv,
  startIdentityProvider,
} from './identity-provider.js';
import { analystClient, freePort, type Stack, startStack } from './relay-harness.js';

const EXTENSION_REDIRECT = 'https://lupatestextensionid.chromiumapp.org/';
let stack: Stack;
let idp: IdentityProvider;
let flow: ReturnType<typeof extensionSignIn>;

beforeAll(async () => {
  idp = await startIdentityProvider({ relayPort: await freePort() });
  // No groups claim at all: roles cannot come from the provider for these two.
  idp.people.set('gina', { email: 'gina@banco.com.co', name: 'Gina Google', email_verified: true });
  idp.people.set('jefa', { email: 'jefa@banco.com.co', name: 'Julia Jefa', email_verified: true });
  stack = await startStack({
    env: signInEnv(idp, {
      redirectUris: EXTENSION_REDIRECT,
      allowedDomains: 'banco.com.co',
      // Set, but this provider sends no groups: the relay manages these people's roles.
      OIDC_ROLE_GROUPS: 'supervisor=lupa-supervisores',
      REQUIRE_SIGN_IN: 'true',
    }),
  });
  flow = extensionSignIn(stack.relay.url, idp, EXTENSION_REDIRECT);
});
afterAll(async () => {
  await stack?.stop();
  await idp?.close();
});

const codeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string } }).error.code;
const rolesOf = async (accessToken: string) =>
  ((await analystClient(stack.relay.url, accessToken).get('v1/me').json()) as { roles: string[] }).roles;
const idOf = async (accessToken: string) =>
  ((await analystClient(stack.relay.url, accessToken).get('v1/me').json()) as { id: string }).id;

describe('roles the relay manages', () => {
  it('refuses static tokens on /v1 with REQUIRE_SIGN_IN, and admits a signed-in analyst', async () => {
    const refused = await stack.api.get('v1/me');
    expect(refused.status).toBe(401);
    expect(await codeOf(refused)).toBe('sign_in_required');
    const tokens = await flow.tokensFor('gina');
    expect(await rolesOf(tokens.access_token)).toEqual(['analyst']);
  });

  it('keeps a grant and a demotion through the person’s refresh and next sign-in', async () => {
    const jefa = await flow.tokensFor('jefa');
    const jefaId = await idOf(jefa.access_token);
    // The operator makes Julia an admin at the command line (the CLI is not /v1).
    expect(runCli(['analysts', 'roles', jefaId, 'analyst,admin'], stack.env).status).toBe(0);
    const admin = analystClient(stack.relay.url, jefa.access_token);

    const gina = await flow.tokensFor('gina');
    const ginaId = await idOf(gina.access_token);
    const granted = await admin.post(`v1/analysts/${ginaId}/roles`, {
      json: { roles: ['analyst', 'supervisor'] },
    });
    expect(granted.status).toBe(200);
    expect(((await granted.json()) as { rolesSource: string }).rolesSource).toBe('relay');

    const refreshed = (await (await flow.refresh(gina.refresh_token)).json()) as TokenResponse;
    expect(await rolesOf(refreshed.access_token)).toEqual(['analyst', 'supervisor']);

    const demoted = await admin.post(`v1/analysts/${ginaId}/roles`, { json: { roles: ['analyst'] } });
    expect(demoted.status).toBe(200);
    const usage = { searchParams: { from: '2026-11-01', to: '2026-11-30' } };
    const afterRefresh = (await (await flow.refresh(refreshed.refresh_token)).json()) as TokenResponse;
    expect(await rolesOf(afterRefresh.access_token)).toEqual(['analyst']);
    expect(
      (await analystClient(stack.relay.url, afterRefresh.access_token).get('v1/usage', usage)).status,
    ).toBe(403);
    const nextSignIn = await flow.tokensFor('gina');
    expect(await rolesOf(nextSignIn.access_token)).toEqual(['analyst']);
  });

  it('takes the provider’s roles from someone it then sends without groups (left every group) at sign-in', async () => {
    idp.people.set('rosa', {
      email: 'rosa@banco.com.co',
      name: 'Rosa Supervisora',
      email_verified: true,
      groups: ['lupa-supervisores'],
    });
    const first = await flow.tokensFor('rosa');
    expect(await rolesOf(first.access_token)).toEqual(['analyst', 'supervisor']);
    // Okta and Entra leave an empty groups claim out altogether.
    idp.people.set('rosa', { email: 'rosa@banco.com.co', name: 'Rosa Supervisora', email_verified: true });
    const again = await flow.tokensFor('rosa');
    expect(await rolesOf(again.access_token)).toEqual(['analyst']);
  });

  it('lets nobody change their own roles', async () => {
    const jefa = await flow.tokensFor('jefa');
    const jefaId = await idOf(jefa.access_token);
    const own = await analystClient(stack.relay.url, jefa.access_token).post(`v1/analysts/${jefaId}/roles`, {
      json: { roles: ['analyst', 'admin', 'dpo'] },
    });
    expect(own.status).toBe(403);
    expect(await codeOf(own)).toBe('own_roles_unchangeable');
  });
});

describe('static tokens', () => {
  it('stop working when they expire (checked on the relay’s clock)', async () => {
    const days = 2;
    const issued = new Date(Date.now() - (days + 1) * 86_400_000);
    const expired = await createAnalyst(stack.relay.ctx.store.db, 'Token Viejo', issued, ['analyst'], days);
    const fresh = await createAnalyst(stack.relay.ctx.store.db, 'Token Nuevo', new Date(), ['analyst'], days);
    expect(await analystOfBearer(stack.relay.ctx.store, expired.token, new Date())).toBeUndefined();
    expect((await analystOfBearer(stack.relay.ctx.store, fresh.token, new Date()))?.name).toBe('Token Nuevo');
    const later = new Date(Date.now() + (days + 1) * 86_400_000);
    expect(await analystOfBearer(stack.relay.ctx.store, fresh.token, later)).toBeUndefined();
  });

  it('are issued for 90 days unless the operator says otherwise, and refused past a year', async () => {
    const added = runCli(['analysts', 'add', 'Servicio', 'Nómina', '--expires-days', '30'], stack.env);
    expect(added.status, added.stderr).toBe(0);
    const until = /works until (\S+)\./.exec(added.stdout)?.[1];
    expect(Date.parse(until!) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(Date.parse(until!) - Date.now()).toBeLessThan(31 * 86_400_000);
    const byDefault = runCli(['analysts', 'add', 'Por', 'Defecto'], stack.env);
    const defaultUntil = /works until (\S+)\./.exec(byDefault.stdout)?.[1];
    expect(Math.round((Date.parse(defaultUntil!) - Date.now()) / 86_400_000)).toBe(90);
    const tooLong = runCli(['analysts', 'add', 'Eterno', '--expires-days', '5000'], stack.env);
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain('--expires-days takes a whole number of days from 1 to 366');
  });
});
