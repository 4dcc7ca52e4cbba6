/**
 * The extension's IndexedDB cache (docs/architecture.md §5): lookups by id, cédula and time, and their reports.
 * Versioned upgrades; entries expire after the analyst's retention setting; "Borrar todo" empties it.
 */

import type { Employment, Lookup, LookupError, LookupStage, LookupStatus, Owner } from '@lupa/contract';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

export type CachedLookup = {
  id: string;
  cedula: string;
  cedulaMasked: string;
  /** The applicant's name once the report arrived (Belvo's owner display_name). */
  displayName: string | null;
  status: LookupStatus;
  stage: LookupStage;
  version: number;
  createdAt: string;
  updatedAt: string;
  reused: boolean;
  error: LookupError | null;
  /** A problem reaching the relay while following a pending lookup; cleared when it answers again. */
  connectionProblem: string | null;
  consentReference: string | null;
  savedAt: number;
};

export type CachedReport = { lookupId: string; owners: Owner[]; employments: Employment[]; savedAt: number };

interface LupaSchema extends DBSchema {
  lookups: {
    key: string;
    value: CachedLookup;
    indexes: { 'by-cedula': string; 'by-created': string; 'by-saved': number };
  };
  reports: { key: string; value: CachedReport };
}

export const CACHE_DB_NAME = 'lupa';
const CACHE_VERSION = 1;

export type LookupCache = Awaited<ReturnType<typeof openLookupCache>>;

export async function openLookupCache(name: string = CACHE_DB_NAME) {
  const db: IDBPDatabase<LupaSchema> = await openDB<LupaSchema>(name, CACHE_VERSION, {
    upgrade(database, oldVersion) {
      if (oldVersion < 1) {
        const lookups = database.createObjectStore('lookups', { keyPath: 'id' });
        lookups.createIndex('by-cedula', 'cedula');
        lookups.createIndex('by-created', 'createdAt');
        lookups.createIndex('by-saved', 'savedAt');
        database.createObjectStore('reports', { keyPath: 'lookupId' });
      }
    },
  });

  return {
    db,
    getLookup: (id: string) => db.get('lookups', id),
    putLookup: async (lookup: CachedLookup) => {
      await db.put('lookups', lookup);
    },
    /** Merges what the relay says now into the cached lookup, keeping what only the cache knows. */
    async recordFromRelay(
      lookup: Lookup,
      known: { cedula: string; consentReference: string | null },
      now = Date.now(),
    ) {
      const previous = await db.get('lookups', lookup.id);
      const record: CachedLookup = {
        id: lookup.id,
        cedula: known.cedula,
        cedulaMasked: lookup.cedulaMasked,
        displayName: previous?.displayName ?? null,
        status: lookup.status,
        stage: lookup.stage,
        version: lookup.version,
        createdAt: lookup.createdAt,
        updatedAt: lookup.updatedAt,
        reused: lookup.reused,
        error: lookup.error,
        connectionProblem: null,
        consentReference: known.consentReference,
        savedAt: now,
      };
      await db.put('lookups', record);
      return record;
    },
    getReport: (lookupId: string) => db.get('reports', lookupId),
    async putReport(report: CachedReport, displayName: string | null) {
      const transaction = db.transaction(['lookups', 'reports'], 'readwrite');
      await transaction.objectStore('reports').put(report);
      const lookup = await transaction.objectStore('lookups').get(report.lookupId);
      if (lookup) await transaction.objectStore('lookups').put({ ...lookup, displayName });
      await transaction.done;
    },
    /** Newest first. One getAll: a cursor costs a round trip per record, too slow for the popup. */
    async listRecent(limit = 500): Promise<CachedLookup[]> {
      const all = await db.getAllFromIndex('lookups', 'by-created');
      return all.reverse().slice(0, limit);
    },
    /** The newest lookup of this cédula, whatever its status. */
    async latestOfCedula(cedula: string): Promise<CachedLookup | undefined> {
      const all = await db.getAllFromIndex('lookups', 'by-cedula', cedula);
      return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    },
    /** A ready lookup of this cédula with its report, saved within `maxAgeMs`: it can open without the relay. */
    async findFreshReady(
      cedula: string,
      maxAgeMs: number,
      now = Date.now(),
    ): Promise<CachedLookup | undefined> {
      const candidates = await db.getAllFromIndex('lookups', 'by-cedula', cedula);
      const fresh = candidates
        .filter((lookup) => lookup.status === 'ready' && now - Date.parse(lookup.updatedAt) <= maxAgeMs)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      for (const lookup of fresh) if (await db.get('reports', lookup.id)) return lookup;
      return undefined;
    },
    async deleteLookup(id: string) {
      const transaction = db.transaction(['lookups', 'reports'], 'readwrite');
      await transaction.objectStore('lookups').delete(id);
      await transaction.objectStore('reports').delete(id);
      await transaction.done;
    },
    /** Removes finished lookups saved more than `retentionDays` ago; pending ones are still being followed. */
    async expire(retentionDays: number, now = Date.now()): Promise<number> {
      const cutoff = now - retentionDays * 86_400_000;
      const transaction = db.transaction(['lookups', 'reports'], 'readwrite');
      let removed = 0;
      let cursor = await transaction
        .objectStore('lookups')
        .index('by-saved')
        .openCursor(IDBKeyRange.upperBound(cutoff, true));
      while (cursor) {
        if (cursor.value.status !== 'pending') {
          await transaction.objectStore('reports').delete(cursor.value.id);
          await cursor.delete();
          removed++;
        }
        cursor = await cursor.continue();
      }
      await transaction.done;
      return removed;
    },
    async clearAll() {
      const transaction = db.transaction(['lookups', 'reports'], 'readwrite');
      await transaction.objectStore('lookups').clear();
      await transaction.objectStore('reports').clear();
      await transaction.done;
    },
    close: () => db.close(),
  };
}
