/**
 * Durable jobs. A job is claimed with a lease; a worker that dies leaves a lease that expires, and the
 * job is claimed again. Handlers are written to be safe to run twice.
 */
import { type Kysely, sql } from 'kysely';
import type { Database, JobKind, JobsTable } from '../schema.js';

export type Job = JobsTable;

export type NewJob = { id: string; kind: JobKind; subjectId: string; runAt: string; dedupeKey?: string };

export async function enqueueJob(db: Kysely<Database>, job: NewJob, now: string): Promise<void> {
  await enqueueJobs(db, [job], now);
}

const JOBS_PER_INSERT = 500;

/** Many jobs in as few statements as possible; a job whose dedupe key exists already is left out. */
export async function enqueueJobs(db: Kysely<Database>, jobs: NewJob[], now: string): Promise<void> {
  for (let start = 0; start < jobs.length; start += JOBS_PER_INSERT) {
    await db
      .insertInto('jobs')
      .values(
        jobs.slice(start, start + JOBS_PER_INSERT).map((job) => ({
          id: job.id,
          kind: job.kind,
          subject_id: job.subjectId,
          dedupe_key: job.dedupeKey ?? null,
          run_at: job.runAt,
          attempts: 0,
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: now,
          finished_at: null,
        })),
      )
      .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
      .execute();
  }
}

/** Claims up to `limit` due jobs in one statement (one commit), oldest first. */
export async function claimDueJobs(
  db: Kysely<Database>,
  options: { workerId: string; now: string; leaseUntil: string; limit: number; skipLocked: boolean },
): Promise<Job[]> {
  const { workerId, now, leaseUntil, limit, skipLocked } = options;
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where('finished_at', 'is', null)
    .where('run_at', '<=', now)
    .where((where) => where.or([where('locked_until', 'is', null), where('locked_until', '<=', now)]))
    .orderBy('run_at')
    .limit(limit);
  if (skipLocked) due = due.modifyEnd(sql`for update skip locked`);
  return db
    .updateTable('jobs')
    .set({ locked_by: workerId, locked_until: leaseUntil, attempts: sql`attempts + 1` })
    .where('id', 'in', due)
    .where((where) => where.or([where('locked_until', 'is', null), where('locked_until', '<=', now)]))
    .returningAll()
    .execute();
}

/** Marks many jobs done in one commit. */
export async function finishJobs(db: Kysely<Database>, ids: string[], now: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ finished_at: now, locked_by: null, locked_until: null, last_error: null })
    .where('id', 'in', ids)
    .execute();
}

export async function finishJob(
  db: Kysely<Database>,
  id: string,
  now: string,
  error?: string,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ finished_at: now, locked_by: null, locked_until: null, last_error: error ?? null })
    .where('id', '=', id)
    .execute();
}

export async function rescheduleJob(
  db: Kysely<Database>,
  id: string,
  runAt: string,
  error?: string,
): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ run_at: runAt, locked_by: null, locked_until: null, last_error: error ?? null })
    .where('id', '=', id)
    .execute();
}

/** Single-node stores only: whatever a previous run of this process held is free again at start. */
export async function releaseAllLeases(db: Kysely<Database>): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ locked_by: null, locked_until: null })
    .where('finished_at', 'is', null)
    .where('locked_by', 'is not', null)
    .execute();
}

/** Extends the leases of the jobs this worker still runs, so a long job is not taken over while alive. */
export async function renewLeases(
  db: Kysely<Database>,
  workerId: string,
  ids: string[],
  leaseUntil: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('jobs')
    .set({ locked_until: leaseUntil })
    .where('locked_by', '=', workerId)
    .where('finished_at', 'is', null)
    .where('id', 'in', ids)
    .execute();
}

/** When the next job can be claimed: a leased job only once its lease ends. */
export async function nextDueTime(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select(
      sql<string | null>`min(case when locked_until > run_at then locked_until else run_at end)`.as('next'),
    )
    .where('finished_at', 'is', null)
    .executeTakeFirst();
  return (row?.next as string | null) ?? undefined;
}

export async function deleteJobsFinishedBefore(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db.deleteFrom('jobs').where('finished_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countUnfinishedJobs(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('jobs')
    .select((select) => select.fn.countAll<number | string>().as('count'))
    .where('finished_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
