import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin, QueryId } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createJobRunner, type JobHandler, retryDelayMs } from '../src/jobs/job-runner.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics } from '../src/observability/metrics.js';
import { openStore, type Store } from '../src/store/open-store.js';
import { enqueueJob } from '../src/store/queries/jobs-queries.js';
import type { JobKind } from '../src/store/schema.js';
import { createTestDatabase } from './test-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  handlers: Partial<Record<JobKind, JobHandler>>,
  clock: { offsetMs: number } = { offsetMs: 0 },
  wrapDb: (db: Store['db']) => Store['db'] = (db) => db,
  leaseMs?: number,
) {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-jobs-'));
  const database = await createTestDatabase(dir);
  const opened: Store = await openStore(database.url);
  const store: Store = { ...opened, db: wrapDb(opened.db) };
  const idle: JobHandler = { run: async () => undefined };
  const now = () => new Date(Date.now() + clock.offsetMs);
  const newRunner = () =>
    createJobRunner({
      store,
      logger: createLogger('silent'),
      metrics: createMetrics(),
      idlePollMs: 20,
      leaseMs,
      now,
      handlers: {
        register_link: idle,
        process_webhook: idle,
        reconcile: idle,
        delete_link: idle,
        purge: idle,
        advance_batch: idle,
        ...handlers,
      },
    });
  const runner = newRunner();
  const others: ReturnType<typeof newRunner>[] = [];
  cleanups.push(async () => {
    await runner.stop();
    for (const other of others) await other.stop();
    await opened.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  /** Another worker on the same store, as a second relay node would run. */
  const anotherRunner = () => {
    const other = newRunner();
    others.push(other);
    return other;
  };
  const enqueue = async (kind: JobKind, subjectId: string, dedupeKey?: string) => {
    await enqueueJob(
      store.db,
      { id: randomUUID(), kind, subjectId, runAt: now().toISOString(), dedupeKey },
      now().toISOString(),
    );
    runner.wake();
  };
  const job = (subjectId: string) =>
    store.db.selectFrom('jobs').selectAll().where('subject_id', '=', subjectId).executeTakeFirstOrThrow();
  return { store, runner, anotherRunner, enqueue, job };
}

describe('job runner', () => {
  it('runs every job once and records it finished, many at a time', async () => {
    const seen: string[] = [];
    const { runner, enqueue, store } = await setUp({
      process_webhook: {
        run: async (job) => {
          seen.push(job.subject_id);
          await new Promise((resolve) => setTimeout(resolve, 5));
          return undefined;
        },
      },
    });
    await runner.start();
    await Promise.all(Array.from({ length: 50 }, (_, index) => enqueue('process_webhook', `event-${index}`)));
    await expect.poll(() => seen.length).toBe(50);
    expect(new Set(seen).size).toBe(50);
    await expect
      .poll(
        async () =>
          (await store.db.selectFrom('jobs').select('id').where('finished_at', 'is', null).execute()).length,
      )
      .toBe(0);
  });

  it('records as finished a job that ends while an earlier batch of finishes is being written', async () => {
    // Holds the first "finished" write open, so the second job ends while it is in flight.
    let firstWriteIssued: () => void = () => {};
    const writeIssued = new Promise<void>((resolve) => {
      firstWriteIssued = resolve;
    });
    let openWrite: () => void = () => {};
    const writeHeld = new Promise<void>((resolve) => {
      openWrite = resolve;
    });
    let gated: QueryId | undefined;
    const holdFirstFinish: KyselyPlugin = {
      transformQuery(args) {
        // Only an update that sets finished_at: claims and lease releases merely test it.
        if (
          !gated &&
          args.node.kind === 'UpdateQueryNode' &&
          JSON.stringify((args.node as { updates?: unknown }).updates ?? []).includes('"finished_at"')
        ) {
          gated = args.queryId;
          firstWriteIssued();
        }
        return args.node;
      },
      async transformResult(args) {
        if (args.queryId === gated) await writeHeld;
        return args.result;
      },
    };
    let releaseSecond: () => void = () => {};
    const secondMayEnd = new Promise<void>((resolve) => {
      releaseSecond = resolve;
    });
    const { runner, enqueue, store } = await setUp(
      {
        purge: { run: async () => undefined },
        reconcile: {
          run: async () => {
            await secondMayEnd;
            return undefined;
          },
        },
      },
      { offsetMs: 0 },
      (db) => db.withPlugin(holdFirstFinish),
    );
    await enqueue('reconcile', 'second');
    await enqueue('purge', 'first');
    await runner.start();
    await writeIssued;
    releaseSecond();
    await new Promise((resolve) => setTimeout(resolve, 50));
    openWrite();
    const finishedAt = async (kind: 'purge' | 'reconcile') =>
      (
        await store.db
          .selectFrom('jobs')
          .select('finished_at')
          .where('kind', '=', kind)
          .executeTakeFirstOrThrow()
      ).finished_at;
    await expect.poll(() => finishedAt('purge')).not.toBeNull();
    // Nothing finishes after the second job: the flush already under way must write it too.
    await expect.poll(() => finishedAt('reconcile')).not.toBeNull();
  });

  it('ignores a second enqueue with the same dedupe key', async () => {
    const runs: string[] = [];
    const { runner, enqueue } = await setUp({ purge: { run: async (job) => void runs.push(job.id) } });
    await enqueue('purge', 'retention', 'purge:1');
    await enqueue('purge', 'retention', 'purge:1');
    await runner.start();
    await expect.poll(() => runs.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toHaveLength(1);
  });

  it('retries a failing job with backoff, then gives up and lets the handler explain', async () => {
    const clock = { offsetMs: 0 };
    const givenUp: string[] = [];
    let attempts = 0;
    const { runner, enqueue, job } = await setUp(
      {
        delete_link: {
          maxAttempts: 3,
          run: async () => {
            attempts++;
            throw new Error(`Belvo said no (${attempts})`);
          },
          giveUp: async (failed) => void givenUp.push(failed.subject_id),
        },
      },
      clock,
    );
    await runner.start();
    await enqueue('delete_link', 'extraction-1');
    await expect.poll(() => attempts).toBe(1);
    const afterFirst = await job('extraction-1');
    expect(afterFirst.last_error).toBe('Belvo said no (1)');
    expect(Date.parse(afterFirst.run_at) - Date.now()).toBeGreaterThan(retryDelayMs(1) - 1_000);

    clock.offsetMs += retryDelayMs(1) + 1;
    runner.wake();
    await expect.poll(() => attempts).toBe(2);
    clock.offsetMs += retryDelayMs(2) + 1;
    runner.wake();
    await expect.poll(() => givenUp).toEqual(['extraction-1']);
    expect(attempts).toBe(3);
    expect((await job('extraction-1')).finished_at).not.toBeNull();
  });

  it('runs a deferred job again when asked, without counting a failure', async () => {
    const clock = { offsetMs: 0 };
    let runs = 0;
    const { runner, enqueue, job } = await setUp(
      {
        reconcile: { run: async () => (++runs === 1 ? { retryInMs: 60_000, reason: 'not yet' } : undefined) },
      },
      clock,
    );
    await runner.start();
    await enqueue('reconcile', 'extraction-2');
    await expect.poll(async () => (await job('extraction-2')).last_error).toBe('not yet');
    expect(runs).toBe(1);
    clock.offsetMs += 60_001;
    runner.wake();
    await expect.poll(async () => (await job('extraction-2')).finished_at).not.toBeNull();
    expect(runs).toBe(2);
  });

  it('runs a job a dead worker held: at start on a single node, once its lease ends on several', async () => {
    const { runner, enqueue, store, job } = await setUp({ register_link: { run: async () => undefined } });
    await enqueue('register_link', 'extraction-3');
    const leaseEnds = new Date(Date.now() + 1_500).toISOString();
    await store.db.updateTable('jobs').set({ locked_by: 'dead-process', locked_until: leaseEnds }).execute();
    await runner.start();
    await expect.poll(async () => (await job('extraction-3')).finished_at, { timeout: 5_000 }).not.toBeNull();
    const finishedAt = (await job('extraction-3')).finished_at!;
    // SQLite serves one process, so what an earlier run of it held is free at once; on PostgreSQL
    // another node may still be alive and working, so only an ended lease frees the job.
    if (store.singleNode) expect(finishedAt < leaseEnds).toBe(true);
    else expect(finishedAt >= leaseEnds).toBe(true);
  });

  it('keeps renewing the lease of a long job, so another worker never takes it over', async () => {
    let runs = 0;
    const { runner, anotherRunner, enqueue, job } = await setUp(
      {
        reconcile: {
          run: async () => {
            runs++;
            await new Promise((resolve) => setTimeout(resolve, 1_500));
            return undefined;
          },
        },
      },
      { offsetMs: 0 },
      (db) => db,
      300,
    );
    await runner.start();
    await anotherRunner().start();
    await enqueue('reconcile', 'extraction-4');
    await expect.poll(async () => (await job('extraction-4')).finished_at, { timeout: 5_000 }).not.toBeNull();
    expect(runs).toBe(1);
  });

  it('runs each job once when several workers claim from the same store', async () => {
    const seen: string[] = [];
    const { runner, anotherRunner, enqueue } = await setUp({
      process_webhook: {
        run: async (job) => {
          seen.push(job.subject_id);
          await new Promise((resolve) => setTimeout(resolve, 2));
          return undefined;
        },
      },
    });
    await runner.start();
    await anotherRunner().start();
    await anotherRunner().start();
    await Promise.all(Array.from({ length: 90 }, (_, index) => enqueue('process_webhook', `event-${index}`)));
    await expect.poll(() => seen.length).toBe(90);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toHaveLength(90);
    expect(new Set(seen).size).toBe(90);
  });
});
