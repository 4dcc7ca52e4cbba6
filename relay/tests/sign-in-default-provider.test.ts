/**
 * Sign-in against oidc-provider's default consent and refresh-token policy, which follows OpenID
 * Connect Core §11: `offline_access` yields a refresh token only when asked with prompt=consent, after
 * the person consents. Without one the relay could not ask the provider at each refresh, and a person
 * removed there would keep access until SESSION_HOURS. (ID tokens carry the person's claims, as the
 * providers of docs/rolling-out.md send them.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  idp = await startIdentityProvider({ relayPort: await freePort(), setUp: 'default' });
  idp.people.set('lucia', { email: 'lucia@banco.com.co', name: 'Lucía Licencia', groups: ['lupa'] });
  stack = await startStack({
    env: signInEnv(idp, { redirectUris: EXTENSION_REDIRECT, allowedDomains: 'banco.com.co' }),
  });
  flow = extensionSignIn(stack.relay.url, idp, EXTENSION_REDIRECT);
});
afterAll(async () => {
  await stack?.stop();
  await idp?.close();
});

describe('a provider that follows OpenID Connect Core §11', () => {
  it('gives the relay its refresh token, so a person removed there loses access at the next refresh', async () => {
    const tokens = await flow.tokensFor('lucia');
    expect(idp.consentsGiven()).toBeGreaterThan(0);
    const sessions = await stack.relay.ctx.store.db
      .selectFrom('sessions')
      .select('idp_refresh_sealed')
      .execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.idp_refresh_sealed).not.toBeNull();

    const renewed = await flow.refresh(tokens.refresh_token);
    expect(renewed.status).toBe(200);
    const next = (await renewed.json()) as { access_token: string; refresh_token: string };
    expect((await analystClient(stack.relay.url, next.access_token).get('v1/me')).status).toBe(200);

    idp.people.delete('lucia');
    const refused = await flow.refresh(next.refresh_token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('session_revoked');
    expect((await analystClient(stack.relay.url, next.access_token).get('v1/me')).status).toBe(401);
  });
});
