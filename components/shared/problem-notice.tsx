import { useState } from 'preact/hooks';
import { diagnosticText, nextStepOf } from '../../utils/locale/next-steps.js';
import { useI18n } from './i18n-context.js';

/**
 * A problem and its next step. Where only support can help (the relay unreachable, the server's
 * credentials refused), the analyst gets a diagnostic to paste in their message: no cédula in it.
 */
export function ProblemNotice({
  message,
  code,
  relayUrl,
  extensionVersion,
  at,
}: {
  message: string;
  code?: string;
  relayUrl: string;
  extensionVersion?: string;
  /** When it failed: support finds the relay's log lines by this time. */
  at: Date;
}) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const supportNeeded = code !== undefined && nextStepOf(code) === 'contact_support';
  async function copy() {
    const text = diagnosticText({
      code: code ?? 'unknown',
      relayUrl,
      at,
      extensionVersion: extensionVersion ?? '—',
      browser: navigator.userAgent,
    });
    await navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  }
  return (
    <div class="problem">
      <p class="alert" role="alert">
        {message}
      </p>
      {supportNeeded && (
        <div class="row">
          <button type="button" onClick={() => void copy()}>
            {t('problem.copyDiagnostic')}
          </button>
          <span class="hint" aria-live="polite">
            {copied ? t('problem.diagnosticCopied') : ''}
          </span>
        </div>
      )}
    </div>
  );
}
