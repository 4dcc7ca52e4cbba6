import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChangeNotifier } from '../../src/lookups/change-notifier.js';
import {
  createPostgresChangeNotifier,
  LISTENER_APPLICATION_NAME,
} from '../../src/lookups/postgres-change-notifier.js';
import { createLogger } from '../../src/observability/logger.js';
import { openStore, type Store } from '../../src/store/open-store.js';
import { insertExtraction, newPendingExtraction } from '../../src/store/queries/extractions-queries.js';
import { createTestDatabase } from '../test-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One database and a notifier per "node", each with its own log. */
async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-notify-'));
  const database = await createTestDatabase(dir, 'postgres');
  const store: Store = await openStore(database.url);
  cleanups.push(async () => {
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const node = async (reconnectDelayMs = { first: 100, max: 2_000 }) => {
    const logLines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _encoding, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    const notifier: ChangeNotifier = await createPostgresChangeNotifier({
      databaseUrl: database.url,
      db: store.db,
      logger,
      reconnectDelayMs,
    });
    cleanups.push(() => notifier.close());
    return { notifier, logLines };
  };
  const addExtraction = async (at = new Date().toISOString()) => {
    const id = randomUUID();
    await insertExtraction(
      store.db,
      newPendingExtraction({
        id,
        cedulaHash: randomUUID(),
        cedulaSealed: null,
        externalId: randomUUID(),
        at,
      }),
    );
    return id;
  };
  const bumpVersion = (id: string) =>
    store.db
      .updateTable('extractions')
      .set({ version: sql`version + 1`, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  const wokenBy = (notifier: ChangeNotifier, id: string) => {
    const woken = { count: 0 };
    const unsubscribe = notifier.subscribe(id, () => woken.count++);
    cleanups.push(unsubscribe);
    return woken;
  };
  return { store, node, addExtraction, bumpVersion, wokenBy };
}

describe('change notifications across nodes (PostgreSQL LISTEN/NOTIFY)', () => {
  it('wakes a waiter on another node when a change is committed, and only for that extraction', async () => {
    const { node, addExtraction, bumpVersion, wokenBy } = await setUp();
    const { notifier: nodeB } = await node();
    const [changed, untouched] = [await addExtraction(), await addExtraction()];
    const onChanged = wokenBy(nodeB, changed);
    const onUntouched = wokenBy(nodeB, untouched);
    // Written without going through any notifier, as another node's commit is.
    await bumpVersion(changed);
    await expect.poll(() => onChanged.count).toBe(1);
    expect(onUntouched.count).toBe(0);
  });

  it('does not announce a change that was rolled back', async () => {
    const { store, node, addExtraction, bumpVersion, wokenBy } = await setUp();
    const { notifier: nodeB } = await node();
    const [rolledBack, committed] = [await addExtraction(), await addExtraction()];
    const onRolledBack = wokenBy(nodeB, rolledBack);
    const onCommitted = wokenBy(nodeB, committed);
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('extractions')
          .set({ version: sql`version + 1` })
          .where('id', '=', rolledBack)
          .execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // Notifications are delivered in commit order: once the later commit is heard, the earlier would be.
    await bumpVersion(committed);
    await expect.poll(() => onCommitted.count).toBe(1);
    expect(onRolledBack.count).toBe(0);
  });

  it('reconnects after losing its connection and wakes waiters whose extraction changed meanwhile', async () => {
    const { store, node, addExtraction, bumpVersion, wokenBy } = await setUp();
    // A long first reconnection delay keeps the change below inside the deaf window.
    const { notifier: nodeB, logLines } = await node({ first: 1_000, max: 1_000 });
    // Older than the allowance for clock differences between nodes, so the catch-up read must skip it.
    const lastChangedLongAgo = new Date(Date.now() - 10 * 60_000).toISOString();
    const [changedWhileDeaf, unchanged] = [await addExtraction(), await addExtraction(lastChangedLongAgo)];
    const onChanged = wokenBy(nodeB, changedWhileDeaf);
    const onUnchanged = wokenBy(nodeB, unchanged);
    expect(nodeB.isListening()).toBe(true);

    const terminated = await sql<{ terminated: boolean }>`
      select pg_terminate_backend(pid) as terminated from pg_stat_activity
      where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()`.execute(
      store.db,
    );
    expect(terminated.rows).toEqual([{ terminated: true }]);
    await expect.poll(() => nodeB.isListening()).toBe(false);
    await bumpVersion(changedWhileDeaf);

    await expect.poll(() => nodeB.isListening(), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => onChanged.count).toBe(1);
    expect(logLines.join('')).toContain('change notifications lost; reconnecting');
    expect(logLines.join('')).toMatch(/"waiting":2,"woken":1.*catch-up read/);
    expect(onUnchanged.count).toBe(0);

    // And it hears announcements again.
    await bumpVersion(unchanged);
    await expect.poll(() => onUnchanged.count).toBe(1);
  });
});
