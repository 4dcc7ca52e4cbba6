/**
 * Where a signed-in analyst's tokens are kept. The refresh token must outlive a browser restart, so it
 * is in storage.local; the access token, which opens the relay's API for ten minutes, lives in
 * storage.session only: memory, never written to the profile on disk, gone when the browser closes
 * (the next request then refreshes). Content scripts cannot read storage.session; storage.local they
 * can, as for every extension (Lupa's own content script never reads it), so the refresh token there
 * is worth one rotation: presented after the analyst's own refresh, it ends the session.
 */
import { browser } from 'wxt/browser';
import type { StoredSession } from '../background/relay-session.js';

const REFRESH_KEY = 'relaySession';
const ACCESS_KEY = 'relayAccess';

type KeptRefresh = Pick<StoredSession, 'relayUrl' | 'refreshToken'>;
type KeptAccess = Pick<StoredSession, 'relayUrl' | 'accessToken' | 'accessExpiresAt'>;

export async function loadRelaySession(): Promise<StoredSession | undefined> {
  const kept = (await browser.storage.local.get(REFRESH_KEY))[REFRESH_KEY] as
    | (KeptRefresh & Partial<KeptAccess>)
    | undefined;
  if (!kept) return undefined;
  // Written by an earlier version with the access token beside the refresh token: it leaves the disk.
  if (kept.accessToken !== undefined)
    await browser.storage.local.set({
      [REFRESH_KEY]: { relayUrl: kept.relayUrl, refreshToken: kept.refreshToken } satisfies KeptRefresh,
    });
  const access = (await browser.storage.session.get(ACCESS_KEY))[ACCESS_KEY] as KeptAccess | undefined;
  return access?.relayUrl === kept.relayUrl
    ? { ...access, refreshToken: kept.refreshToken }
    : // No access token in this browser session: expired already, so the next request refreshes.
      { relayUrl: kept.relayUrl, refreshToken: kept.refreshToken, accessToken: '', accessExpiresAt: 0 };
}

export async function saveRelaySession(session: StoredSession | undefined): Promise<void> {
  if (!session) {
    await browser.storage.session.remove(ACCESS_KEY);
    await browser.storage.local.remove(REFRESH_KEY);
    return;
  }
  const { relayUrl, refreshToken, accessToken, accessExpiresAt } = session;
  await browser.storage.session.set({
    [ACCESS_KEY]: { relayUrl, accessToken, accessExpiresAt } satisfies KeptAccess,
  });
  await browser.storage.local.set({ [REFRESH_KEY]: { relayUrl, refreshToken } satisfies KeptRefresh });
}
