import type { Lookup } from '@lupa/contract';
import { describe, expect, it, vi } from 'vitest';
import {
  createLookupPoller,
  type LookupEvent,
  MAX_OPEN_WAITS,
  type PendingLookup,
} from '../../utils/background/lookup-poller.js';
import { type RelayClient, RelayError } from '../../utils/background/relay-client.js';
import { openLookupCache } from '../../utils/storage/lookup-cache.js';
import { relayLookup, relayReport } from './fixtures.js';

let dbCounter = 0;

/** A relay that answers long-polls from a script of lookup versions. */
function scriptedRelay(script: Array<Lookup | RelayError>) {
  const calls: Array<{ sinceVersion: number }> = [];
  const client = {
    createLookup: vi.fn(async () => relayLookup()),
    getLookup: vi.fn(async (_id: string, wait?: { sinceVersion: number }) => {
      calls.push({ sinceVersion: wait?.sinceVersion ?? -1 });
      const next = script.shift();
      if (!next) throw new Error('script exhausted');
      if (next instanceof RelayError) throw next;
      return next;
    }),
    getReport: vi.fn(async () => relayReport(relayLookup({ status: 'ready', stage: 'done', version: 7 }))),
    deleteLookup: vi.fn(),
    me: vi.fn(),
  } as unknown as RelayClient;
  return { client, calls };
}

async function setUp(script: Array<Lookup | RelayError>, stored: Record<string, PendingLookup> = {}) {
  const relay = scriptedRelay(script);
  const cache = await openLookupCache(`lupa-poller-${++dbCounter}`);
  let pending = { ...stored };
  const events: LookupEvent[] = [];
  const awake: boolean[] = [];
  const poller = createLookupPoller({
    client: async () => relay.client,
    cache: async () => cache,
    pending: {
      load: async () => structuredClone(pending),
      save: async (next) => {
        pending = structuredClone(next);
      },
    },
    announce: (event) => events.push(event),
    keepAwake: async (active) => void awake.push(active),
    sleep: async () => {},
  });
  return { relay, cache, poller, events, awake, pending: () => pending };
}

describe('lookup poller', () => {
  it('follows a lookup with long-polls on its version until ready, then stores the report', async () => {
    const { poller, relay, cache, events, awake, pending } = await setUp([
      relayLookup({ version: 3, stage: 'waiting_for_belvo' }),
      relayLookup({ version: 5, stage: 'fetching' }),
      relayLookup({ version: 7, status: 'ready', stage: 'done' }),
    ]);
    const started = await poller.start({ cedula: '1020304050', consentReference: 'SOL-1' });
    expect(started).toEqual({ lookupId: 'lookup-1', status: 'pending' });
    await vi.waitFor(() =>
      expect(events.at(-1)).toMatchObject({
        kind: 'finished',
        status: 'ready',
        displayName: 'María Fernanda Gómez Restrepo',
      }),
    );
    expect(relay.calls.map((call) => call.sinceVersion)).toEqual([1, 3, 5]);
    expect(await cache.getLookup('lookup-1')).toMatchObject({
      status: 'ready',
      displayName: 'María Fernanda Gómez Restrepo',
      cedula: '1020304050',
    });
    expect((await cache.getReport('lookup-1'))?.employments).toHaveLength(1);
    expect(pending()).toEqual({});
    expect(awake).toEqual([true, false]);
  });

  it('resumes every pending lookup from storage after the worker was stopped', async () => {
    const { poller, events, relay } = await setUp(
      [
        relayLookup({
          id: 'lookup-1',
          version: 9,
          status: 'failed',
          stage: 'done',
          error: { code: 'institution_down', message: 'down', retryable: true },
        }),
      ],
      {
        'lookup-1': { cedula: '1020304050', consentReference: null, version: 4 },
      },
    );
    await poller.resumeAll();
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ kind: 'finished', status: 'failed' }));
    expect(relay.calls[0]?.sinceVersion).toBe(4);
  });

  it('keeps the lookup and says so while the relay is unreachable, then carries on', async () => {
    const { poller, cache, events } = await setUp([
      new RelayError('relay_unreachable', 'connection refused'),
      new RelayError('relay_unreachable', 'connection refused'),
      relayLookup({ version: 7, status: 'ready', stage: 'done' }),
    ]);
    await poller.start({ cedula: '1020304050' });
    await vi.waitFor(() => expect(events.some((event) => event.kind === 'finished')).toBe(true));
    expect(events.filter((event) => event.kind === 'changed')).toHaveLength(1);
    expect((await cache.getLookup('lookup-1'))?.connectionProblem).toBeNull();
  });

  it('retries when the report cannot be fetched yet, then stores it', async () => {
    const { poller, relay, cache, events } = await setUp([
      relayLookup({ version: 7, status: 'ready', stage: 'done' }),
      relayLookup({ version: 7, status: 'ready', stage: 'done' }),
    ]);
    vi.mocked(relay.client.getReport).mockRejectedValueOnce(
      new RelayError('relay_unreachable', 'restarting'),
    );
    await poller.start({ cedula: '1020304050' });
    await vi.waitFor(() => expect(events.at(-1)).toMatchObject({ kind: 'finished', status: 'ready' }));
    expect(relay.client.getReport).toHaveBeenCalledTimes(2);
    expect(await cache.getReport('lookup-1')).toBeDefined();
  });

  it('stops following a lookup the relay no longer has', async () => {
    const { poller, cache, pending } = await setUp([new RelayError('lookup_not_found', 'gone', 404)]);
    await poller.start({ cedula: '1020304050' });
    await vi.waitFor(async () => expect(await cache.getLookup('lookup-1')).toBeUndefined());
    expect(pending()).toEqual({});
  });

  it('finishes at once when the relay reused a ready result', async () => {
    const { poller, relay, events } = await setUp([]);
    vi.mocked(relay.client.createLookup).mockResolvedValueOnce(
      relayLookup({ status: 'ready', stage: 'done', reused: true, version: 7 }),
    );
    expect(await poller.start({ cedula: '1020304050' })).toEqual({ lookupId: 'lookup-1', status: 'ready' });
    expect(events).toEqual([expect.objectContaining({ kind: 'finished', status: 'ready' })]);
    expect(relay.client.getLookup).not.toHaveBeenCalled();
  });

  it('follows one lookup only once even when resumed twice', async () => {
    const { poller, relay } = await setUp([relayLookup({ version: 7, status: 'ready', stage: 'done' })], {
      'lookup-1': { cedula: '1020304050', consentReference: null, version: 1 },
    });
    await Promise.all([poller.resumeAll(), poller.resumeAll()]);
    await vi.waitFor(() => expect(poller.isFollowing('lookup-1')).toBe(false));
    expect(relay.client.getLookup).toHaveBeenCalledTimes(1);
  });
});

describe('long-polls the relay admits', () => {
  it(`holds at most ${MAX_OPEN_WAITS} long-polls open however many lookups are pending, and follows them all`, async () => {
    const ids = Array.from({ length: 15 }, (_, index) => `lookup-${index}`);
    const stored = Object.fromEntries(
      ids.map((id) => [id, { cedula: '1020304050', consentReference: null, version: 1 }]),
    );
    let open = 0;
    let mostOpen = 0;
    const client = {
      getLookup: vi.fn(async (id: string) => {
        open++;
        mostOpen = Math.max(mostOpen, open);
        await new Promise((resolve) => setTimeout(resolve, 5));
        open--;
        return relayLookup({ id, version: 2, status: 'failed', stage: 'done' });
      }),
    } as unknown as RelayClient;
    const cache = await openLookupCache(`lupa-poller-${++dbCounter}`);
    let pending: Record<string, PendingLookup> = structuredClone(stored);
    const finished: string[] = [];
    const poller = createLookupPoller({
      client: async () => client,
      cache: async () => cache,
      pending: {
        load: async () => structuredClone(pending),
        save: async (next) => {
          pending = structuredClone(next);
        },
      },
      announce: (event) => void (event.kind === 'finished' && finished.push(event.lookupId)),
      keepAwake: async () => {},
      sleep: async () => {},
    });
    await poller.resumeAll();
    await vi.waitFor(() => expect(finished.sort()).toEqual([...ids].sort()));
    expect(mostOpen).toBe(MAX_OPEN_WAITS);
  });

  it('waits out too_many_waits (another browser holds the waits) without calling it a connection problem', async () => {
    const { poller, cache, events } = await setUp([
      new RelayError('too_many_waits', 'At most 20 long-polls at once', 429),
      relayLookup({ version: 7, status: 'ready', stage: 'done' }),
    ]);
    await poller.start({ cedula: '1020304050' });
    await vi.waitFor(() => expect(events.some((event) => event.kind === 'finished')).toBe(true));
    expect(events.filter((event) => event.kind === 'changed')).toEqual([]);
    expect((await cache.getLookup('lookup-1'))?.connectionProblem).toBeNull();
  });
});
