/**
 * Minimum retention: report payloads and cédulas go after RETENTION_HOURS; the audit log stays;
 * sign-in requests and sessions go once over.
 * Runs on a timer while serving (as a deduplicated job) and on demand from the CLI.
 */
import { randomUUID } from 'node:crypto';
import type { JobHandler } from '../jobs/job-runner.js';
import type { RelayContext } from '../relay-context.js';
import { REFRESH_GRACE_MS } from '../sign-in/sign-in-service.js';
import { appendRelayAudit } from '../store/queries/audit-log-queries.js';
import { deleteBatchRowsOf } from '../store/queries/batch-rows-queries.js';
import { deleteBatches, listBatchesCreatedBefore } from '../store/queries/batches-queries.js';
import {
  erasePersonalData,
  findExpiredExtractionIds,
  findExtraction,
} from '../store/queries/extractions-queries.js';
import { deleteJobsFinishedBefore, enqueueJob } from '../store/queries/jobs-queries.js';
import { deleteSessions, findFinishedSessionIds } from '../store/queries/sessions-queries.js';
import { deleteExpiredSignInCodes } from '../store/queries/sign-in-codes-queries.js';
import {
  clearSuccessorsSpentBefore,
  deleteSpentTokensOfSessions,
} from '../store/queries/spent-refresh-tokens-queries.js';
import { deleteWebhookEventsReceivedBefore } from '../store/queries/webhook-events-queries.js';

export type PurgeReport = {
  reportsPurged: number;
  webhookEventsDeleted: number;
  jobsDeleted: number;
  batchesDeleted: number;
};

export async function purgeExpired(ctx: RelayContext): Promise<PurgeReport> {
  const { db } = ctx.store;
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - ctx.config.retentionMs).toISOString();
  const ids = await findExpiredExtractionIds(db, cutoff);
  for (const id of ids) {
    await db.transaction().execute(async (trx) => {
      const extraction = await findExtraction(trx, id);
      if (!extraction || extraction.purged_at) return;
      await erasePersonalData(trx, id, now.toISOString());
      await appendRelayAudit(trx, 'report_purged', extraction, now.toISOString());
    });
    ctx.notifier.notify(id);
  }
  const webhookEventsDeleted = await deleteWebhookEventsReceivedBefore(db, cutoff);
  const jobsDeleted = await deleteJobsFinishedBefore(db, cutoff);
  // Batches hold sealed cédulas and consent references: kept no longer than the reports.
  const batchIds = await listBatchesCreatedBefore(db, cutoff);
  await db.transaction().execute(async (trx) => {
    await deleteBatchRowsOf(trx, batchIds);
    await deleteBatches(trx, batchIds);
  });
  // Sign-ins: unused codes at once, sessions a day after they ended (their provider tokens too).
  await deleteExpiredSignInCodes(db, now.toISOString());
  await clearSuccessorsSpentBefore(db, new Date(now.getTime() - REFRESH_GRACE_MS).toISOString());
  const sessionIds = await findFinishedSessionIds(db, new Date(now.getTime() - 86_400_000).toISOString());
  await db.transaction().execute(async (trx) => {
    await deleteSpentTokensOfSessions(trx, sessionIds);
    await deleteSessions(trx, sessionIds);
  });
  await ctx.store.compact();
  const report = {
    reportsPurged: ids.length,
    webhookEventsDeleted,
    jobsDeleted,
    batchesDeleted: batchIds.length,
  };
  ctx.logger.info(report, 'retention purge');
  return report;
}

export function createPurgeJob(ctx: RelayContext): JobHandler {
  return {
    async run() {
      await purgeExpired(ctx);
      return undefined;
    },
  };
}

/** One purge per interval across the whole deployment, whichever node enqueues it first. */
export async function schedulePurge(ctx: RelayContext, intervalMs: number): Promise<void> {
  const now = ctx.now();
  const slot = Math.floor(now.getTime() / intervalMs);
  await enqueueJob(
    ctx.store.db,
    {
      id: randomUUID(),
      kind: 'purge',
      subjectId: 'retention',
      runAt: now.toISOString(),
      dedupeKey: `purge:${slot}`,
    },
    now.toISOString(),
  );
  ctx.wakeJobs();
}
