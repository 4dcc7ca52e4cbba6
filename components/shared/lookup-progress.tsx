import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../utils/locale/i18n.js';
import type { CachedLookup } from '../../utils/storage/lookup-cache.js';
import { useI18n } from './i18n-context.js';

/**
 * The stage in words and the seconds since the lookup started, while Belvo works. Not a live region:
 * the page that shows it announces stage changes once, never the ticking seconds.
 */
export function LookupProgress({
  lookup,
  now = () => Date.now(),
  closable = false,
}: {
  lookup: CachedLookup;
  now?: () => number;
  /** In the popup, which may be closed while the lookup goes on (not in the CRM panel). */
  closable?: boolean;
}) {
  const { t } = useI18n();
  const elapsed = () => Math.max(0, Math.round((now() - Date.parse(lookup.createdAt)) / 1000));
  const [seconds, setSeconds] = useState(elapsed);
  useEffect(() => {
    const timer = setInterval(() => setSeconds(elapsed()), 1000);
    return () => clearInterval(timer);
  }, [lookup.createdAt]);

  return (
    <div>
      <div class="progress">
        <span class="spinner" aria-hidden="true" />
        <span>{t(`lookup.stage.${lookup.stage}`)}</span>
        <span class="hint">{t('lookup.elapsed', { seconds })}</span>
      </div>
      {lookup.connectionProblem && <p class="alert">{errorMessage(t, lookup.connectionProblem)}</p>}
      {closable && <p class="hint">{t('lookup.keepsRunning')}</p>}
    </div>
  );
}
