/**
 * Runs durable jobs from the `jobs` table. Work is acknowledged to clients only after the job row is
 * committed, so a crash at any point leaves the job to be claimed again (at start on a single node,
 * after the lease on several).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RelayMetrics } from '../observability/metrics.js';
import type { Store } from '../store/open-store.js';
import {
  claimDueJob,
  finishJob,
  type Job,
  nextDueTime,
  releaseAllLeases,
  rescheduleJob,
} from '../store/queries/jobs-queries.js';
import type { JobKind } from '../store/schema.js';

/** A handler may ask to run again later without it counting as a failure. */
export type JobResult = { retryInMs: number; reason: string } | undefined;

export type JobHandler = {
  run(job: Job): Promise<JobResult>;
  /** After the last failed attempt: leave the subject in a final, explained state. */
  giveUp?(job: Job, error: unknown): Promise<void>;
  maxAttempts?: number;
};

export type JobRunnerOptions = {
  store: Store;
  handlers: Record<JobKind, JobHandler>;
  logger: Logger;
  metrics: RelayMetrics;
  concurrency?: number;
  leaseMs?: number;
  idlePollMs?: number;
  now?: () => Date;
};

const DEFAULT_MAX_ATTEMPTS = 6;

export function retryDelayMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(attempts - 1, 0), 300_000);
}

export function createJobRunner(options: JobRunnerOptions) {
  const { store, handlers, logger, metrics } = options;
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 300_000;
  const idlePollMs = options.idlePollMs ?? 1_000;
  const now = options.now ?? (() => new Date());
  let running = false;
  let wakeSleepers: Array<() => void> = [];
  const loops: Promise<void>[] = [];

  function wake() {
    const sleepers = wakeSleepers;
    wakeSleepers = [];
    for (const resume of sleepers) resume();
  }

  async function idle() {
    const next = await nextDueTime(store.db).catch(() => undefined);
    const untilNext = next ? Date.parse(next) - now().getTime() : idlePollMs;
    const waitMs = Math.max(10, Math.min(untilNext, idlePollMs));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      wakeSleepers.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async function runOne(job: Job) {
    const handler = handlers[job.kind];
    const log = logger.child({
      job: { id: job.id, kind: job.kind, subject: job.subject_id, attempt: job.attempts },
    });
    try {
      const result = await handler.run(job);
      if (result) {
        await rescheduleJob(
          store.db,
          job.id,
          new Date(now().getTime() + result.retryInMs).toISOString(),
          result.reason,
        );
        metrics.jobs.inc({ kind: job.kind, outcome: 'later' });
        log.debug({ reason: result.reason }, 'job deferred');
      } else {
        await finishJob(store.db, job.id, now().toISOString());
        metrics.jobs.inc({ kind: job.kind, outcome: 'done' });
      }
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      if (job.attempts >= (handler.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
        log.error({ err: detail }, 'job gave up');
        await handler.giveUp?.(job, error);
        await finishJob(store.db, job.id, now().toISOString(), detail);
        metrics.jobs.inc({ kind: job.kind, outcome: 'gave_up' });
      } else {
        log.warn({ err: detail }, 'job failed; will retry');
        const runAt = new Date(now().getTime() + retryDelayMs(job.attempts)).toISOString();
        await rescheduleJob(store.db, job.id, runAt, detail);
        metrics.jobs.inc({ kind: job.kind, outcome: 'retry' });
      }
    }
  }

  async function loop() {
    while (running) {
      let job: Job | undefined;
      try {
        const at = now();
        job = await claimDueJob(store.db, {
          workerId,
          now: at.toISOString(),
          leaseUntil: new Date(at.getTime() + leaseMs).toISOString(),
          skipLocked: store.dialect === 'postgres',
        });
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'could not claim a job',
        );
      }
      if (job) await runOne(job);
      else if (running) await idle();
    }
  }

  return {
    workerId,
    async start() {
      if (store.singleNode) await releaseAllLeases(store.db);
      running = true;
      for (let slot = 0; slot < concurrency; slot++) loops.push(loop());
    },
    /** Call after committing a job that is due now. */
    wake,
    async stop() {
      running = false;
      wake();
      await Promise.all(loops.splice(0));
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
