import { useEffect, useId, useMemo, useRef, useState } from 'preact/hooks';
import type { RecordFacts } from '../../utils/messaging/protocol.js';
import type { IndicatorPolicy } from '../../utils/report/credit/credit-indicators.js';
import { type CaseInputs, summarize } from '../../utils/report/summary/summarize.js';
import { summaryAsText } from '../../utils/report/summary-text.js';
import type { CachedLookup, CachedReport } from '../../utils/storage/lookup-cache.js';
import type { PayrollAgreement } from '../../utils/storage/settings.js';
import { useI18n } from '../shared/i18n-context.js';
import { EmploymentDetail } from './employment-detail.js';
import { IncomeChart } from './income-chart.js';
import { SummaryCard } from './summary-card.js';

/**
 * A ready lookup: its actions (a main one, "Copiar resumen", "Consultar de nuevo"), the summary and the
 * income chart. The popup adds the per-employer detail and offers "Exportar CSV"; the overlay offers
 * "Ver detalle" instead.
 */
export function ReportView({
  lookup,
  report,
  action,
  onAgain,
  withDetail,
  policy,
  onPrint,
  chartLater = false,
  record = null,
  agreements = [],
  initialDeclared = null,
  initialAgreementNit = null,
}: {
  lookup: CachedLookup;
  report: CachedReport;
  /** The main action, given what the analyst added here (the overlay's "Ver detalle" hands it over). */
  action: { label: string; run(inputs: CaseInputs): void };
  onAgain(): void;
  withDetail: boolean;
  /** The organisation's thresholds (settings). */
  policy: IndicatorPolicy;
  /**
   * Opens the credit-file report of this lookup, where there is room to offer it (not in a CRM page),
   * with what the analyst typed here.
   */
  onPrint?: (inputs: CaseInputs) => void;
  /** What the CRM record shows of the applicant (the CRM panel): its agreement NIT and name. */
  record?: RecordFacts | null;
  /** The lender's payroll agreements, to pick the agreement's employer from. */
  agreements?: PayrollAgreement[];
  /** The declared income the analyst typed in the page that opened this one. */
  initialDeclared?: number | null;
  /** The agreement's NIT from the page that opened this one (typed there, or the CRM record's). */
  initialAgreementNit?: string | null;
  /**
   * Draws the chart once its place is on screen (the CRM panel): the panel is shown as soon as its
   * figures are, and the chart's 24 bars, below them, follow when the analyst can see them.
   */
  chartLater?: boolean;
}) {
  const { t, language } = useI18n();
  const declaredId = useId();
  const agreementId = useId();
  const agreementListId = useId();
  const [copied, setCopied] = useState<'copied' | 'copyFailed' | undefined>();
  // What the applicant declared, as the analyst types it ($ 4.500.000, 4500000…): digits only.
  const [declared, setDeclared] = useState(initialDeclared ? String(initialDeclared) : '');
  const declaredIncome = Number(declared.replace(/\D/g, '')) || null;
  // The agreement's employer: from the CRM record when it shows one, else as the analyst types or picks it.
  const [agreement, setAgreement] = useState(record?.employerNit ?? initialAgreementNit ?? '');
  // Another record (the CRM page moved on) brings its own NIT, or none.
  useEffect(
    () => setAgreement(record?.employerNit ?? initialAgreementNit ?? ''),
    [record?.employerNit, initialAgreementNit],
  );
  const agreementNit = agreementNitOf(agreement, agreements);
  const pilaName = report.owners[0]?.display_name ?? lookup.displayName;
  const [chartShown, setChartShown] = useState(!chartLater);
  const chartRoom = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (chartShown) return;
    const show = () => setChartShown(true);
    const room = chartRoom.current;
    if (!room || typeof IntersectionObserver !== 'function') {
      const timer = setTimeout(show, 50);
      return () => clearTimeout(timer);
    }
    // Once its room is on screen: after the CRM page has shown the panel (a hidden frame has no
    // viewport), and only if the analyst scrolls down to it.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) show();
    });
    observer.observe(room);
    return () => observer.disconnect();
  }, [chartShown]);
  const crmName = record?.applicantName ?? null;
  const inputs: CaseInputs = { declaredIncome, agreementNit, crmName };
  const summary = useMemo(
    () =>
      summarize(report.employments, {
        consultedAt: lookup.createdAt,
        policy,
        declaredIncome,
        agreementNit,
        names: { crm: crmName, pila: pilaName },
      }),
    [report, lookup.createdAt, policy, declaredIncome, agreementNit, crmName, pilaName],
  );
  const header = {
    name: lookup.displayName,
    cedulaMasked: lookup.cedulaMasked,
    consultedAt: lookup.updatedAt,
    consentReference: lookup.consentReference,
  };
  async function copySummary() {
    try {
      await navigator.clipboard.writeText(summaryAsText(header, summary, t, language));
      setCopied('copied');
    } catch {
      setCopied('copyFailed');
    }
  }
  return (
    <div>
      {/* The actions first: within the popup's first 600 px whatever the summary's length. */}
      <div class="row">
        <button type="button" class="primary" onClick={() => action.run(inputs)}>
          {action.label}
        </button>
        <button type="button" onClick={() => void copySummary()}>
          {t('summary.copy')}
        </button>
        {onPrint && (
          <button type="button" onClick={() => onPrint(inputs)}>
            {t('creditFile.open')}
          </button>
        )}
        <button type="button" onClick={onAgain}>
          {t('lookup.again')}
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {copied ? t(`summary.${copied}`) : ''}
      </p>
      <SummaryCard header={header} summary={summary} />
      <div class="declared">
        <label for={declaredId}>{t('report.declared')}</label>
        <input
          id={declaredId}
          inputMode="numeric"
          autoComplete="off"
          value={declared}
          onInput={(event) => setDeclared(event.currentTarget.value)}
        />
        <label for={agreementId}>{t('report.agreement')}</label>
        <input
          id={agreementId}
          list={agreements.length > 0 ? agreementListId : undefined}
          autoComplete="off"
          value={agreement}
          onInput={(event) => setAgreement(event.currentTarget.value)}
        />
        {record?.employerNit && <p class="hint">{t('report.agreement.fromCrm')}</p>}
        {agreements.length > 0 && (
          <datalist id={agreementListId}>
            {agreements.map((option) => (
              <option key={option.nit} value={`${option.name} (NIT ${option.nit})`} />
            ))}
          </datalist>
        )}
      </div>
      {chartShown ? (
        <IncomeChart months={summary.monthlyIncome} />
      ) : (
        summary.monthlyIncome.length > 0 && <div class="chart-placeholder" ref={chartRoom} />
      )}
      {withDetail && <EmploymentDetail histories={summary.histories} />}
    </div>
  );
}

/** The NIT in what the analyst typed or picked: "Andina (NIT 900482317)" gives 900482317. */
export function agreementNitOf(text: string, agreements: PayrollAgreement[]): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const picked = agreements.find((agreement) => `${agreement.name} (NIT ${agreement.nit})` === trimmed);
  return picked ? picked.nit : trimmed;
}
