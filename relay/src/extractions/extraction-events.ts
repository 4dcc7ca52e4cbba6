import type { MappedError } from '../belvo/belvo-errors.js';
import type { RelayContext } from '../relay-context.js';
import { markFailed } from '../store/queries/extractions-queries.js';

/** Ends a pending extraction with an explained error and wakes whoever waits for it. */
export async function failExtraction(
  ctx: RelayContext,
  extractionId: string,
  error: MappedError,
): Promise<void> {
  const changed = await markFailed(ctx.store.db, extractionId, error, ctx.now().toISOString());
  if (!changed) return;
  ctx.metrics.extractionsFinished.inc({ status: 'failed', code: error.code });
  ctx.logger.info({ extractionId, code: error.code }, 'extraction failed');
  ctx.notifier.notify(extractionId);
}
