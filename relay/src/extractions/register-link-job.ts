/**
 * Registers the Belvo link for a new extraction. Runs as a durable job so that the analyst's request is
 * answered at once and a relay restart mid-registration resumes it.
 */
import { randomUUID } from 'node:crypto';
import { BelvoError } from '../belvo/belvo-errors.js';
import type { JobHandler } from '../jobs/job-runner.js';
import type { RelayContext } from '../relay-context.js';
import { appendAudit } from '../store/queries/audit-log-queries.js';
import { findExtraction, updatePendingExtraction } from '../store/queries/extractions-queries.js';
import { enqueueJob } from '../store/queries/jobs-queries.js';
import { findLookupsOfExtraction } from '../store/queries/lookups-queries.js';
import { findUnprocessedEventIdsOfLink } from '../store/queries/webhook-events-queries.js';
import { failExtraction } from './extraction-events.js';

const MAX_STALE_IN_DAYS = 999;

export function createRegisterLinkJob(ctx: RelayContext): JobHandler {
  const { db } = ctx.store;
  // Belvo keeps the data no longer than we do (stale_in is counted in days).
  const staleInDays = Math.min(
    MAX_STALE_IN_DAYS,
    Math.max(1, Math.ceil(ctx.config.retentionMs / 86_400_000)),
  );

  return {
    maxAttempts: 4,
    async run(job) {
      const extraction = await findExtraction(db, job.subject_id);
      if (extraction?.status !== 'pending' || extraction.belvo_link_id || !extraction.cedula_sealed) {
        return undefined;
      }
      let linkId: string;
      try {
        const link = await ctx.belvo.registerLink({
          cedula: ctx.protector.open(extraction.cedula_sealed, {
            table: 'extractions',
            column: 'cedula_sealed',
            id: extraction.id,
          }),
          externalId: extraction.external_id,
          staleInDays,
          // A previous attempt may have created the link before the relay died.
          lookForExisting: job.attempts > 1,
        });
        linkId = link.id;
      } catch (error) {
        if (error instanceof BelvoError) {
          await failExtraction(ctx, extraction.id, error.mapped);
          return undefined;
        }
        throw error;
      }

      const nowIso = ctx.now().toISOString();
      const reconcileAt = new Date(ctx.now().getTime() + ctx.config.webhookTimeoutMs).toISOString();
      await db.transaction().execute(async (trx) => {
        const stillWanted = await updatePendingExtraction(
          trx,
          extraction.id,
          { belvo_link_id: linkId, stage: 'waiting_for_belvo' },
          nowIso,
        );
        if (!stillWanted) {
          // Deleted while we registered: the new link must go too.
          await trx
            .updateTable('extractions')
            .set({ belvo_link_id: linkId })
            .where('id', '=', extraction.id)
            .execute();
          await enqueueJob(
            trx,
            {
              id: randomUUID(),
              kind: 'delete_link',
              subjectId: extraction.id,
              runAt: nowIso,
              dedupeKey: `delete:${extraction.id}`,
            },
            nowIso,
          );
          return;
        }
        // The paid step, charged to whoever's lookup created the extraction (the usage report).
        const [creator] = await findLookupsOfExtraction(trx, extraction.id);
        if (creator) {
          await appendAudit(trx, {
            id: randomUUID(),
            at: nowIso,
            action: 'link_registered',
            analyst_id: creator.analyst_id,
            cedula_hash: creator.cedula_hash,
            lookup_id: creator.id,
            extraction_id: extraction.id,
            consent_reference_sealed: null,
          });
        }
        await enqueueJob(
          trx,
          {
            id: randomUUID(),
            kind: 'reconcile',
            subjectId: extraction.id,
            runAt: reconcileAt,
            dedupeKey: `reconcile:${extraction.id}`,
          },
          nowIso,
        );
        // Webhooks that beat the link's creation answer were kept: process them now.
        for (const eventId of await findUnprocessedEventIdsOfLink(trx, linkId)) {
          await enqueueJob(
            trx,
            { id: randomUUID(), kind: 'process_webhook', subjectId: eventId, runAt: nowIso },
            nowIso,
          );
        }
      });
      ctx.logger.info({ extractionId: extraction.id, linkId }, 'belvo link registered');
      ctx.notifier.notify(extraction.id);
      ctx.wakeJobs();
      return undefined;
    },
    async giveUp(job) {
      await failExtraction(ctx, job.subject_id, {
        code: 'belvo_unavailable',
        message: 'The relay could not register the Belvo link',
        retryable: true,
      });
    },
  };
}
