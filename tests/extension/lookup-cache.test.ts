import { afterEach, describe, expect, it } from 'vitest';
import { type LookupCache, openLookupCache } from '../../utils/storage/lookup-cache.js';
import { cachedLookup, relayLookup } from './fixtures.js';

let cache: LookupCache;
let counter = 0;
const open = async () => {
  cache = await openLookupCache(`lupa-test-${++counter}`);
  return cache;
};
afterEach(() => cache?.close());

const DAY = 86_400_000;

describe('lookup cache', () => {
  it('keeps what the relay said and what only the cache knows', async () => {
    await open();
    await cache.recordFromRelay(relayLookup(), { cedula: '1020304050', consentReference: 'SOL-1' });
    await cache.putReport(
      { lookupId: 'lookup-1', owners: [], employments: [], savedAt: Date.now() },
      'María',
    );
    const updated = await cache.recordFromRelay(relayLookup({ status: 'ready', stage: 'done', version: 5 }), {
      cedula: '1020304050',
      consentReference: 'SOL-1',
    });
    expect(updated).toMatchObject({
      status: 'ready',
      version: 5,
      displayName: 'María',
      cedula: '1020304050',
      consentReference: 'SOL-1',
    });
  });

  it('lists newest first, up to a limit', async () => {
    await open();
    for (let day = 1; day <= 5; day++) {
      await cache.putLookup(cachedLookup({ id: `l${day}`, createdAt: `2026-11-0${day}T10:00:00.000Z` }));
    }
    expect((await cache.listRecent(3)).map((lookup) => lookup.id)).toEqual(['l5', 'l4', 'l3']);
  });

  it('finds a fresh ready lookup with its report, and nothing stale, pending or without report', async () => {
    await open();
    const now = Date.parse('2026-11-27T16:00:00.000Z');
    await cache.putLookup(
      cachedLookup({ id: 'stale', status: 'ready', updatedAt: '2026-11-25T10:00:00.000Z' }),
    );
    await cache.putLookup(
      cachedLookup({ id: 'pending', status: 'pending', updatedAt: '2026-11-27T15:59:00.000Z' }),
    );
    await cache.putLookup(
      cachedLookup({ id: 'no-report', status: 'ready', updatedAt: '2026-11-27T15:00:00.000Z' }),
    );
    expect(await cache.findFreshReady('1020304050', DAY, now)).toBeUndefined();
    await cache.putLookup(
      cachedLookup({ id: 'fresh', status: 'ready', updatedAt: '2026-11-27T12:00:00.000Z' }),
    );
    await cache.putReport({ lookupId: 'fresh', owners: [], employments: [], savedAt: now }, null);
    expect((await cache.findFreshReady('1020304050', DAY, now))?.id).toBe('fresh');
    expect(await cache.findFreshReady('52123456', DAY, now)).toBeUndefined();
  });

  it('expires finished lookups past the retention, keeping pending ones', async () => {
    await open();
    const now = Date.now();
    await cache.putLookup(cachedLookup({ id: 'old', status: 'ready', savedAt: now - 10 * DAY }));
    await cache.putReport({ lookupId: 'old', owners: [], employments: [], savedAt: now - 10 * DAY }, null);
    await cache.putLookup(cachedLookup({ id: 'old-pending', status: 'pending', savedAt: now - 10 * DAY }));
    await cache.putLookup(cachedLookup({ id: 'recent', status: 'ready', savedAt: now - DAY }));
    expect(await cache.expire(7, now)).toBe(1);
    expect(await cache.getLookup('old')).toBeUndefined();
    expect(await cache.getReport('old')).toBeUndefined();
    expect(await cache.getLookup('old-pending')).toBeDefined();
    expect(await cache.getLookup('recent')).toBeDefined();
  });

  it('deletes one lookup with its report, or everything', async () => {
    await open();
    await cache.putLookup(cachedLookup({ id: 'a' }));
    await cache.putReport({ lookupId: 'a', owners: [], employments: [], savedAt: 0 }, null);
    await cache.putLookup(cachedLookup({ id: 'b' }));
    await cache.deleteLookup('a');
    expect(await cache.getReport('a')).toBeUndefined();
    expect((await cache.listRecent()).map((lookup) => lookup.id)).toEqual(['b']);
    await cache.clearAll();
    expect(await cache.listRecent()).toEqual([]);
  });
});
