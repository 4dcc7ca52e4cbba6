/**
 * The background's work on lookups: start them, follow them with long-polls until they end, store
 * the report. What is being followed lives in storage, not in memory, so when the browser stops the
 * service worker mid-lookup, the next start (an alarm, a message) picks every lookup up again.
 */

import type { Lookup } from '@lupa/contract';
import type { LookupCache } from '../storage/lookup-cache.js';
import { type RelayClient, RelayError } from './relay-client.js';

export type PendingLookup = { cedula: string; consentReference: string | null; version: number };

/** Where the followed lookups are kept (browser.storage.local in the extension). */
export type PendingStore = {
  load(): Promise<Record<string, PendingLookup>>;
  save(pending: Record<string, PendingLookup>): Promise<void>;
};

export type LookupEvent =
  | { kind: 'changed'; lookupId: string; status: 'pending' | 'ready' | 'failed' }
  | {
      kind: 'finished';
      lookupId: string;
      status: 'ready' | 'failed';
      displayName: string | null;
      cedulaMasked: string;
    };

export type PollerOptions = {
  client: () => Promise<RelayClient>;
  cache: () => Promise<LookupCache>;
  pending: PendingStore;
  announce(event: LookupEvent): void;
  /** Called when there is something to follow, so a timer can wake a stopped worker. */
  keepAwake(active: boolean): Promise<void>;
  waitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
};

export type StartOutcome = { lookupId: string; status: Lookup['status'] };

const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 20_000];
/**
 * Long-polls open at once. The relay admits MAX_WAITS_PER_ANALYST (20 by default) per analyst, shared
 * with the analyst's other browsers; lookups beyond this take turns, one wait each.
 */
export const MAX_OPEN_WAITS = 6;
/** A relay that says too_many_waits (another browser holds the analyst's waits) is asked again after this. */
const TOO_MANY_WAITS_DELAY_MS = 2_000;

/** At most `size` calls at once; the rest queue in order. */
function createSlots(size: number) {
  let inUse = 0;
  const queue: Array<() => void> = [];
  return async function use<T>(call: () => Promise<T>): Promise<T> {
    if (inUse >= size) await new Promise<void>((resolve) => queue.push(resolve));
    else inUse++;
    try {
      return await call();
    } finally {
      const next = queue.shift();
      if (next) next();
      else inUse--;
    }
  };
}

export function createLookupPoller(options: PollerOptions) {
  const following = new Set<string>();
  const inWaitSlot = createSlots(MAX_OPEN_WAITS);
  const waitSeconds = options.waitSeconds ?? 25;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Storage writes are read-modify-write: serialise them so two lookups never overwrite each other.
  let pendingWrites: Promise<unknown> = Promise.resolve();
  function updatePending(
    change: (pending: Record<string, PendingLookup>) => void,
  ): Promise<Record<string, PendingLookup>> {
    const write = pendingWrites.then(async () => {
      const pending = await options.pending.load();
      change(pending);
      await options.pending.save(pending);
      return pending;
    });
    pendingWrites = write.catch(() => undefined);
    return write;
  }

  async function finish(lookup: Lookup, known: PendingLookup) {
    const cache = await options.cache();
    let displayName: string | null = null;
    if (lookup.status === 'ready') {
      const report = await (await options.client()).getReport(lookup.id);
      displayName = report.owners[0]?.display_name ?? null;
      await cache.recordFromRelay(report.lookup, known);
      await cache.putReport(
        { lookupId: lookup.id, owners: report.owners, employments: report.employments, savedAt: Date.now() },
        displayName,
      );
    } else {
      await cache.recordFromRelay(lookup, known);
    }
    const remaining = await updatePending((pending) => {
      delete pending[lookup.id];
    });
    if (Object.keys(remaining).length === 0) await options.keepAwake(false);
    options.announce({
      kind: 'finished',
      lookupId: lookup.id,
      status: lookup.status as 'ready' | 'failed',
      displayName,
      cedulaMasked: lookup.cedulaMasked,
    });
  }

  async function follow(lookupId: string) {
    if (following.has(lookupId)) return;
    following.add(lookupId);
    let failures = 0;
    try {
      for (;;) {
        const known = (await options.pending.load())[lookupId];
        if (!known) return;
        let lookup: Lookup;
        try {
          const client = await options.client();
          lookup = await inWaitSlot(() =>
            client.getLookup(lookupId, { sinceVersion: known.version, waitSeconds }),
          );
          failures = 0;
          // Inside the try: a report that cannot be fetched yet is retried like any relay failure.
          if (lookup.status !== 'pending') {
            await finish(lookup, known);
            return;
          }
        } catch (error) {
          const code = error instanceof RelayError ? error.code : 'relay_unreachable';
          if (code === 'too_many_waits') {
            await sleep(TOO_MANY_WAITS_DELAY_MS);
            continue;
          }
          if (code === 'lookup_not_found') {
            await (await options.cache()).deleteLookup(lookupId);
            await updatePending((pending) => {
              delete pending[lookupId];
            });
            options.announce({ kind: 'changed', lookupId, status: 'failed' });
            return;
          }
          // The relay is down or unreachable: say so, keep the lookup, try again later.
          const cache = await options.cache();
          const cached = await cache.getLookup(lookupId);
          if (cached && cached.connectionProblem !== code) {
            await cache.putLookup({ ...cached, connectionProblem: code });
            options.announce({ kind: 'changed', lookupId, status: 'pending' });
          }
          if (failures >= RETRY_DELAYS_MS.length) return; // the keep-awake alarm resumes it later
          await sleep(RETRY_DELAYS_MS[failures++]!);
          continue;
        }
        if (lookup.version !== known.version) {
          await (await options.cache()).recordFromRelay(lookup, known);
          await updatePending((pending) => {
            if (pending[lookupId]) pending[lookupId].version = lookup.version;
          });
          options.announce({ kind: 'changed', lookupId, status: 'pending' });
        }
      }
    } finally {
      following.delete(lookupId);
    }
  }

  return {
    async start(input: {
      cedula: string;
      consentReference?: string;
      force?: boolean;
    }): Promise<StartOutcome> {
      const lookup = await (await options.client()).createLookup(input);
      const known: PendingLookup = {
        cedula: input.cedula,
        consentReference: input.consentReference ?? null,
        version: lookup.version,
      };
      await (await options.cache()).recordFromRelay(lookup, known);
      if (lookup.status !== 'pending') {
        await finish(lookup, known);
      } else {
        await updatePending((pending) => {
          pending[lookup.id] = known;
        });
        await options.keepAwake(true);
        void follow(lookup.id);
      }
      return { lookupId: lookup.id, status: lookup.status };
    },

    /** Follows every lookup left pending, e.g. after the service worker was stopped. */
    async resumeAll(): Promise<void> {
      const pending = await options.pending.load();
      const ids = Object.keys(pending);
      await options.keepAwake(ids.length > 0);
      for (const id of ids) void follow(id);
    },

    isFollowing: (lookupId: string) => following.has(lookupId),

    /** Stops following every lookup and forgets them ("Borrar todo"); a wait under way ends unread. */
    async forgetAll(): Promise<void> {
      await updatePending((pending) => {
        for (const id of Object.keys(pending)) delete pending[id];
      });
      await options.keepAwake(false);
    },
  };
}
