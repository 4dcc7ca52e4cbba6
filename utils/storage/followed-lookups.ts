/**
 * The lookups the background follows until they finish (lookup-poller.ts), kept in
 * browser.storage.local so a stopped worker loses none. The popup reads which are followed to open on
 * a running one, without waiting for the whole history.
 */
import { browser } from 'wxt/browser';
import type { PendingLookup } from '../background/lookup-poller.js';

export const FOLLOWED_LOOKUPS_KEY = 'pendingLookups';

export async function loadFollowedLookups(): Promise<Record<string, PendingLookup>> {
  return (
    ((await browser.storage.local.get(FOLLOWED_LOOKUPS_KEY))[FOLLOWED_LOOKUPS_KEY] as
      | Record<string, PendingLookup>
      | undefined) ?? {}
  );
}

export async function saveFollowedLookups(pending: Record<string, PendingLookup>): Promise<void> {
  await browser.storage.local.set({ [FOLLOWED_LOOKUPS_KEY]: pending });
}
