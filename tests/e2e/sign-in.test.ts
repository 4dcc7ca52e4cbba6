/**
 * "Iniciar sesión" in real Chromium: the options page asks the background, which opens the browser's
 * sign-in window (identity.launchWebAuthFlow) on the relay; the relay sends it to a real OpenID
 * provider on 127.0.0.1 (oidc-provider, which signs the chosen person in without a form) and back to
 * the extension's https://<id>.chromiumapp.org/ redirect, which Chromium hands to the extension.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../dev-extension-identity.js';
import {
  ANA,
  type IdentityProvider,
  signInEnv,
  startIdentityProvider,
} from '../../relay/tests/identity-provider.js';
import { freePort } from '../../relay/tests/relay-harness.js';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

let session: Session;
let idp: IdentityProvider;

beforeAll(async () => {
  idp = await startIdentityProvider({ relayPort: await freePort() });
  idp.people.set('ana', ANA);
  idp.signInAs('ana');
  session = await startSession({
    env: signInEnv(idp, {
      redirectUris: `https://${DEV_EXTENSION_ID}.chromiumapp.org/`,
      allowedDomains: 'banco.com.co',
    }),
  });
});
afterAll(async () => {
  await session?.stop();
  await idp?.close();
});

describe('sign-in with the lender’s identity provider (Chromium)', () => {
  it('signs in from the options, looks someone up with the session, and signs out', async () => {
    const options = await session.openPage('options.html');
    await options.getByLabel('URL del servidor de tu entidad').fill(session.stack.relay.url);
    await options.getByRole('button', { name: 'Iniciar sesión con la cuenta de tu entidad' }).click();
    await options.getByText('Sesión iniciada como Ana Ríos.').first().waitFor({ timeout: 20_000 });
    // The relay created the analyst from the provider's claims.
    const analysts = await session.stack.relay.ctx.store.db
      .selectFrom('analysts')
      .select(['name', 'email'])
      .where('oidc_subject', 'is not', null)
      .execute();
    expect(analysts).toEqual([{ name: 'Ana Ríos', email: 'ana@banco.com.co' }]);

    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '1020304050');
    await popup.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 30_000 });
    await popup.close();

    await options.getByRole('button', { name: 'Cerrar sesión' }).click();
    await options.getByText('Sesión cerrada.').waitFor();
    const revoked = await session.stack.relay.ctx.store.db
      .selectFrom('sessions')
      .select('revoked_reason')
      .execute();
    expect(revoked.map((row) => row.revoked_reason)).toEqual(['signed_out']);
    const after = await session.openPage('popup.html');
    await after.getByRole('button', { name: 'Abrir opciones' }).waitFor();
  });
});
