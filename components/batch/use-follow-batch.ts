import type { Batch } from '@lupa/contract';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../utils/locale/i18n.js';
import type { ActiveBatch, ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';

/** How long a failed wait (relay down, worker restarting) rests before it is tried again. */
const RETRY_MS = 2_000;

/**
 * The batch this page follows: picked up again when the page reopens, and followed with long waits
 * until it ends. `followProblem` says why the page is retrying, and clears when a wait answers.
 */
export function useFollowBatch(services: ExtensionServices) {
  const { t } = useI18n();
  const [batch, setBatch] = useState<Batch | undefined>();
  const [fileLines, setFileLines] = useState<ActiveBatch['lines']>({});
  const [followProblem, setFollowProblem] = useState<string | undefined>();

  useEffect(() => {
    void services.loadActiveBatch().then(async (active) => {
      if (!active) return;
      const reply = await services.send({ type: 'batch.get', batchId: active.id });
      if (reply.ok) {
        setFileLines(active.lines);
        setBatch(reply);
      } else await services.saveActiveBatch(undefined);
    });
  }, [services]);

  const batchId = batch?.id;
  const running = batch?.status === 'running';
  const version = useRef('');
  version.current = batch?.version ?? '';
  useEffect(() => {
    if (!batchId || !running) return;
    let stopped = false;
    void (async () => {
      while (!stopped) {
        const reply = await services
          .send({ type: 'batch.get', batchId, sinceVersion: version.current })
          .catch(() => ({ ok: false as const, error: { code: 'relay_unreachable' } }));
        if (stopped) return;
        if (reply.ok) {
          setFollowProblem(undefined);
          version.current = reply.version;
          setBatch(reply);
          if (reply.status !== 'running') return;
        } else {
          setFollowProblem(t('batch.retrying', { reason: errorMessage(t, reply.error.code) }));
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [batchId, running, services, t]);

  return { batch, setBatch, fileLines, setFileLines, followProblem };
}
