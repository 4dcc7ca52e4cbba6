import { formatCedula, parseCedula } from '@lupa/contract/cedula';
import { CONSENT_REFERENCE_MAX } from '@lupa/contract/limits';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from './i18n-context.js';

export type LookupRequest = { cedula: string; consentReference: string | undefined };

/**
 * The cédula, the applicant's consent and an optional reference; Enter submits. With `fixedCedula`
 * (the overlay, which read it from the record) only the consent is asked for.
 */
export function LookupForm({
  busy,
  onSubmit,
  fixedCedula,
  blockedReason,
  initial,
  onCancel,
}: {
  busy: boolean;
  onSubmit(request: LookupRequest): void;
  fixedCedula?: string;
  /**
   * Why the query cannot be sent right now (the overlay while it is covered), shown by the button;
   * empty: disabled for a moment without a word (the overlay settling into view).
   */
  blockedReason?: string;
  /** What the analyst typed before ("Corregir cédula" after an error keeps it). */
  initial?: { cedula: string; consentReference?: string };
  /** Back to the result this consent step was opened from. */
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [cedula, setCedula] = useState(fixedCedula ?? initial?.cedula ?? '');
  const [consent, setConsent] = useState(false);
  // A consent ticked while the page covered the panel is not the analyst's: covered, it is cleared.
  useEffect(() => {
    if (blockedReason) setConsent(false);
  }, [blockedReason]);
  const [reference, setReference] = useState(initial?.consentReference ?? '');
  const [submitted, setSubmitted] = useState(false);
  const parsed = parseCedula(cedula);
  // Every screen that shows the form starts at the Cédula field (opening, "Nueva consulta",
  // "Corregir cédula"); autofocus alone does not fire when the form comes back within the page.
  const cedulaInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    cedulaInput.current?.focus();
  }, []);
  // Said when the analyst leaves the field or submits, not at every keystroke ("1" is not yet wrong).
  const [spokenProblem, setSpokenProblem] = useState('');
  const problemOf = (value: string) => {
    const result = parseCedula(value);
    return result.ok ? '' : t(`cedula.problem.${result.problem}`);
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSubmitted(true);
        setSpokenProblem(problemOf(cedula));
        if (!parsed.ok) {
          (event.currentTarget.querySelector('#cedula') as HTMLInputElement | null)?.focus();
          return;
        }
        if (!consent || busy || blockedReason) return;
        onSubmit({ cedula: parsed.cedula, consentReference: reference.trim() || undefined });
      }}
    >
      {fixedCedula !== undefined && parsed.ok && (
        // The whole number, so the analyst confirms exactly whom Lupa will look up.
        <p class="fixed-cedula">{t('lookup.fixedCedula', { cedula: formatCedula(parsed.cedula) })}</p>
      )}
      {fixedCedula === undefined && (
        <>
          <label for="cedula">{t('cedula.label')}</label>
          <input
            id="cedula"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            ref={cedulaInput}
            placeholder={t('cedula.placeholder')}
            value={cedula}
            aria-invalid={spokenProblem !== ''}
            aria-describedby="cedula-problem"
            onInput={(event) => {
              setCedula(event.currentTarget.value);
              // A problem already said goes away as soon as the number is right.
              if (spokenProblem && problemOf(event.currentTarget.value) === '') setSpokenProblem('');
            }}
            onBlur={(event) => {
              if (event.currentTarget.value.trim() !== '')
                setSpokenProblem(problemOf(event.currentTarget.value));
            }}
          />
          <p id="cedula-problem" class="problem" aria-live="polite">
            {spokenProblem}
          </p>
        </>
      )}
      <label class="check">
        <input
          type="checkbox"
          checked={consent}
          disabled={blockedReason !== undefined}
          onChange={(event) => setConsent(event.currentTarget.checked)}
        />
        <span>{t('consent.label')}</span>
      </label>
      {submitted && !consent && (
        <p class="problem" role="alert">
          {t('consent.required')}
        </p>
      )}
      <label for="consent-reference">{t('consent.reference')}</label>
      <input
        id="consent-reference"
        type="text"
        maxLength={CONSENT_REFERENCE_MAX}
        placeholder={t('consent.referencePlaceholder')}
        value={reference}
        onInput={(event) => setReference(event.currentTarget.value)}
      />
      <div class="row">
        <button
          type="submit"
          class="primary"
          disabled={busy || blockedReason !== undefined}
          aria-describedby={blockedReason ? 'lookup-blocked' : undefined}
        >
          {t('lookup.submit')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('lookup.cancel')}
          </button>
        )}
      </div>
      {blockedReason && (
        <p id="lookup-blocked" class="hint">
          {blockedReason}
        </p>
      )}
    </form>
  );
}
