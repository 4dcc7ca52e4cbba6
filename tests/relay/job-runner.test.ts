import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KyselyPlugin, QueryId } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createJobRunner, type JobHandler, retryDelayMs } from '../../relay/jobs/job-runner.js';
import { createLogger } from '../../relay/observability/logger.js';
import { createMetrics } from '../../relay/observability/metrics.js';
import { openStore, type Store } from '../../relay/store/open-store.js';
import { enqueueJob } from '../../relay/store/queries/jobs-queries.js';
import type { JobKind } from '../../relay/store/schema.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(
  handlers: Partial<Record<JobKind, JobHandler>>,
  clock: { offsetMs: number } = { offsetMs: 0 },
  wrapDb: (db: Store['db']) => Store['db'] = (db) => db,
) {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-jobs-'));
  const opened: Store = await openStore(`sqlite:${join(dir, 'jobs.db')}`);
  const store: Store = { ...opened, db: wrapDb(opened.db) };
  const idle: JobHandler = { run: async () => undefined };
  const now = () => new Date(Date.now() + clock.offsetMs);
  const runner = createJobRunner({
    store,
    logger: createLogger('silent'),
    metrics: createMetrics(),
    idlePollMs: 20,
    now,
    handlers: {
      register_link: idle,
      process_webhook: idle,
      reconcile: idle,
      delete_link: idle,
      purge: idle,
      ...handlers,
    },
  });
  cleanups.push(async () => {
    await runner.stop();
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
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
  return { store, runner, enqueue, job };
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

  it('frees the jobs a killed process held when the single-node store starts again', async () => {
    const { runner, enqueue, store, job } = await setUp({ register_link: { run: async () => undefined } });
    await enqueue('register_link', 'extraction-3');
    await store.db
      .updateTable('jobs')
      .set({ locked_by: 'dead-process', locked_until: '2999-01-01T00:00:00.000Z' })
      .execute();
    await runner.start();
    await expect.poll(async () => (await job('extraction-3')).finished_at).not.toBeNull();
  });
});
