import type { JobHandler } from '../jobs/job-runner.js';
import type { RelayContext } from '../relay-context.js';
import { findExtraction } from '../store/queries/extractions-queries.js';

/** Asks Belvo to delete the link and all its data (habeas data); retried until Belvo accepts. */
export function createDeleteLinkJob(ctx: RelayContext): JobHandler {
  return {
    maxAttempts: 10,
    async run(job) {
      const extraction = await findExtraction(ctx.store.db, job.subject_id);
      if (!extraction?.belvo_link_id) return undefined;
      await ctx.belvo.deleteLink(extraction.belvo_link_id);
      ctx.logger.info(
        { extractionId: extraction.id, linkId: extraction.belvo_link_id },
        'belvo link deletion requested',
      );
      return undefined;
    },
  };
}
