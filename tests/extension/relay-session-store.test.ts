import { describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import type { StoredSession } from '../../utils/background/relay-session.js';
import { loadRelaySession, saveRelaySession } from '../../utils/storage/relay-session-store.js';

const RELAY = 'https://relay.banco.com.co';
const signedIn: StoredSession = {
  relayUrl: RELAY,
  accessToken: 'lupa_at_acceso',
  accessExpiresAt: 1_700_000_600_000,
  refreshToken: 'lupa_rt_renovacion',
};

describe('where the tokens are kept', () => {
  it('keeps the access token in storage.session only, and the refresh token in storage.local', async () => {
    await saveRelaySession(signedIn);
    const onDisk = JSON.stringify(await browser.storage.local.get(null));
    expect(onDisk).toContain('lupa_rt_renovacion');
    expect(onDisk).not.toContain('lupa_at_acceso');
    expect(JSON.stringify(await browser.storage.session.get(null))).toContain('lupa_at_acceso');
    expect(await loadRelaySession()).toEqual(signedIn);
  });

  it('after a browser restart (storage.session empty) has only the refresh token: the next request refreshes', async () => {
    await saveRelaySession(signedIn);
    await browser.storage.session.clear();
    expect(await loadRelaySession()).toEqual({
      relayUrl: RELAY,
      refreshToken: 'lupa_rt_renovacion',
      accessToken: '',
      accessExpiresAt: 0,
    });
  });

  it('moves an earlier version’s access token off the disk', async () => {
    await browser.storage.local.set({ relaySession: signedIn });
    const loaded = await loadRelaySession();
    expect(loaded?.refreshToken).toBe('lupa_rt_renovacion');
    expect(loaded?.accessExpiresAt).toBe(0);
    expect(JSON.stringify(await browser.storage.local.get(null))).not.toContain('lupa_at_acceso');
  });

  it('forgets both on sign-out', async () => {
    await saveRelaySession(signedIn);
    await saveRelaySession(undefined);
    expect(await loadRelaySession()).toBeUndefined();
    expect(await browser.storage.session.get(null)).toEqual({});
  });
});
