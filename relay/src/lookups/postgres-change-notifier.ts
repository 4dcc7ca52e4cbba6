/**
 * Wakes long-polls on this node for changes committed on any node. PostgreSQL announces each committed
 * extraction version change, and each change to a batch or its rows, on a channel (triggers, see
 * migrations.ts); one dedicated connection per node listens.
 *
 * While that connection is down, announcements are lost. So it reconnects on its own, and then reads
 * which of the extractions waited for here changed since it was last known to be listening (a catch-up
 * read), and wakes those. A waiter woken without a real change reads its version and waits again.
 */
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { EXTRACTION_CHANGED_CHANNEL } from '../store/migrations.js';
import { findExtractionsChangedSince } from '../store/queries/extractions-queries.js';
import type { Database } from '../store/schema.js';
import { type ChangeNotifier, createLocalChangeNotifier, isBatchChangeKey } from './change-notifier.js';

export type PostgresChangeNotifierOptions = {
  databaseUrl: string;
  db: Kysely<Database>;
  logger: Logger;
  now?: () => Date;
  /** How often the listening connection proves it is alive; a silent dead socket is found within this. */
  heartbeatMs?: number;
  reconnectDelayMs?: { first: number; max: number };
};

/** Nodes' clocks differ a little and `updated_at` is written by the writer's clock: look back further. */
const CLOCK_SKEW_ALLOWANCE_MS = 60_000;
const CATCH_UP_CHUNK = 500;
export const LISTENER_APPLICATION_NAME = 'lupa-relay-change-listener';

export async function createPostgresChangeNotifier(
  options: PostgresChangeNotifierOptions,
): Promise<ChangeNotifier> {
  const { logger, db } = options;
  const now = options.now ?? (() => new Date());
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const reconnectDelay = options.reconnectDelayMs ?? { first: 100, max: 2_000 };
  const local = createLocalChangeNotifier();
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  /** The last moment this node was known to hear every announcement. */
  let heardAllUntil = now();
  let reconnectTimer: NodeJS.Timeout | undefined;
  let failedAttempts = 0;

  async function catchUp(since: Date) {
    // Batches are few and cheap to read again: their waiters are simply woken to look.
    const batches = local.waitedFor().filter(isBatchChangeKey);
    for (const key of batches) local.notify(key);
    const waited = local.waitedFor().filter((key) => !isBatchChangeKey(key));
    const sinceIso = new Date(since.getTime() - CLOCK_SKEW_ALLOWANCE_MS).toISOString();
    let woken = 0;
    for (let start = 0; start < waited.length; start += CATCH_UP_CHUNK) {
      const changed = await findExtractionsChangedSince(
        db,
        waited.slice(start, start + CATCH_UP_CHUNK),
        sinceIso,
      );
      for (const id of changed) local.notify(id);
      woken += changed.length;
    }
    logger.info(
      { waiting: waited.length + batches.length, woken: woken + batches.length },
      'change notifications resumed after a catch-up read',
    );
  }

  function lost(reason: string, failed: pg.Client) {
    if (failed !== client) return;
    client = undefined;
    if (listening) logger.warn({ reason }, 'change notifications lost; reconnecting');
    listening = false;
    failed.removeAllListeners('notification');
    failed.end().catch(() => {});
    scheduleConnect();
  }

  function scheduleConnect() {
    if (closed || reconnectTimer) return;
    const delay = Math.min(reconnectDelay.first * 2 ** failedAttempts, reconnectDelay.max);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    const connecting = new pg.Client({
      connectionString: options.databaseUrl,
      keepAlive: true,
      // Named, so an operator sees each node's listener in pg_stat_activity.
      application_name: LISTENER_APPLICATION_NAME,
    });
    client = connecting;
    connecting.on('error', (error) => lost(error.message, connecting));
    connecting.on('end', () => lost('connection ended', connecting));
    connecting.on('notification', (message) => {
      if (message.channel === EXTRACTION_CHANGED_CHANNEL && message.payload) local.notify(message.payload);
    });
    try {
      await connecting.connect();
      await connecting.query(`listen ${EXTRACTION_CHANGED_CHANNEL}`);
      // Heard from here on; what changed before is found by the catch-up read.
      const listenedAt = now();
      await catchUp(heardAllUntil);
      if (closed || connecting !== client) return;
      heardAllUntil = listenedAt;
      listening = true;
      failedAttempts = 0;
    } catch (error) {
      failedAttempts += 1;
      if (failedAttempts === 1 || failedAttempts % 10 === 0) {
        logger.warn(
          { err: error instanceof Error ? error.message : String(error), attempts: failedAttempts },
          'could not listen for change notifications; retrying',
        );
      }
      lost('connect failed', connecting);
    }
  }

  const heartbeat = setInterval(() => {
    const current = client;
    if (!current || !listening) return;
    const checkedAt = now();
    current.query('select 1').then(
      () => {
        if (current === client && listening) heardAllUntil = checkedAt;
      },
      (error: unknown) => lost(error instanceof Error ? error.message : String(error), current),
    );
  }, heartbeatMs);
  heartbeat.unref();

  await connect();

  return {
    // This node's own changes wake its waiters at once; the database's announcement reaches the others.
    notify: (key) => local.notify(key),
    subscribe: (key, listener) => local.subscribe(key, listener),
    isListening: () => listening,
    waitedFor: () => local.waitedFor(),
    async close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(reconnectTimer);
      const current = client;
      client = undefined;
      listening = false;
      await current?.end().catch(() => {});
      await local.close();
    },
  };
}
