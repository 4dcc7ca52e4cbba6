/**
 * Runs durable jobs from the `jobs` table. Work is acknowledged to clients only after the job row is
 * committed, so a crash at any point leaves the job to be claimed again (at start on a single node,
 * after the lease on several). Jobs are claimed in batches and successful ones finished in batches, so
 * the bookkeeping costs a couple of commits per batch rather than two per job; a crash before a batch
 * of finishes is written only re-runs jobs, whose handlers are safe to run twice.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RelayMetrics } from '../observability/metrics.js';
import type { Store } from '../store/open-store.js';
import {
  claimDueJobs,
  finishJob,
  finishJobs,
  type Job,
  nextDueTime,
  releaseAllLeases,
  renewLeases,
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
  /** Jobs in flight at once; most of their time is spent waiting on Belvo. */
  concurrency?: number;
  /** How long a claimed job is this worker's; renewed every third of it while the job runs. */
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
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 30_000;
  const idlePollMs = options.idlePollMs ?? 1_000;
  const now = options.now ?? (() => new Date());
  let running = false;
  let dispatcher: Promise<void> | undefined;
  let resumeDispatcher: (() => void) | undefined;
  let wakeRequested = false;
  const inFlight = new Map<string, Promise<void>>();
  let leaseRenewal: NodeJS.Timeout | undefined;
  let finished: string[] = [];
  let finishing: Promise<void> | undefined;

  function wake() {
    wakeRequested = true;
    resumeDispatcher?.();
  }

  async function idle() {
    if (wakeRequested) return;
    const next = await nextDueTime(store.db).catch(() => undefined);
    const untilNext = next ? Date.parse(next) - now().getTime() : idlePollMs;
    const waitMs = Math.max(10, Math.min(untilNext, idlePollMs));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      resumeDispatcher = () => {
        clearTimeout(timer);
        resolve();
      };
      if (wakeRequested) resumeDispatcher();
    });
    resumeDispatcher = undefined;
  }

  /**
   * Writes finished jobs in batches. Drains until nothing is left, so a job that finishes while a
   * batch is being written goes in the next batch of the same flush instead of waiting for another.
   */
  function flushFinished(): Promise<void> {
    finishing ??= (async () => {
      try {
        while (finished.length > 0) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          const ids = finished;
          finished = [];
          await finishJobs(store.db, ids, now().toISOString()).catch((error: unknown) =>
            logger.error({ err: String(error) }, 'could not record finished jobs; they will run again'),
          );
        }
      } finally {
        finishing = undefined;
      }
    })();
    return finishing;
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
        finished.push(job.id);
        await flushFinished();
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

  async function dispatch() {
    while (running) {
      wakeRequested = false;
      const capacity = concurrency - inFlight.size;
      let claimed: Job[] = [];
      if (capacity > 0) {
        try {
          const at = now();
          claimed = await claimDueJobs(store.db, {
            workerId,
            now: at.toISOString(),
            leaseUntil: new Date(at.getTime() + leaseMs).toISOString(),
            limit: capacity,
            skipLocked: store.dialect === 'postgres',
          });
        } catch (error) {
          logger.error(
            { err: error instanceof Error ? error.message : String(error) },
            'could not claim jobs',
          );
        }
      }
      for (const job of claimed) {
        const work: Promise<void> = runOne(job)
          .catch((error: unknown) =>
            logger.error({ err: String(error), jobId: job.id }, 'job bookkeeping failed'),
          )
          .finally(() => {
            inFlight.delete(job.id);
            wake();
          });
        inFlight.set(job.id, work);
      }
      // A full batch may mean more is due; otherwise wait for a wake-up or the next due job.
      if (claimed.length === 0 || claimed.length < capacity) await idle();
    }
  }

  return {
    workerId,
    async start() {
      if (store.singleNode) await releaseAllLeases(store.db);
      running = true;
      dispatcher = dispatch();
      leaseRenewal = setInterval(() => {
        const leaseUntil = new Date(now().getTime() + leaseMs).toISOString();
        renewLeases(store.db, workerId, [...inFlight.keys()], leaseUntil).catch((error: unknown) =>
          logger.warn({ err: String(error) }, 'could not renew job leases'),
        );
      }, leaseMs / 3);
      leaseRenewal.unref();
    },
    /** Call after committing a job that is due now. */
    wake,
    async stop() {
      running = false;
      wake();
      await dispatcher;
      await Promise.all([...inFlight.values()]);
      clearInterval(leaseRenewal);
      await finishing;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
