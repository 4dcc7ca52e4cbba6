import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formatDateTime, formatMonth } from '../../utils/locale/format.js';
import { FACT_FLAGS } from '../../utils/report/credit/credit-indicators.js';
import { figuresOf, hasData, type ReadSummary } from '../../utils/report/figures.js';
import type { Summary } from '../../utils/report/summary/summarize.js';
import {
  employerLineTexts,
  employerNameOf,
  flagText,
  measuredAtTexts,
  recordCheckTexts,
  skippedTexts,
  thresholdsText,
} from '../../utils/report/summary-words.js';
import { useI18n } from '../shared/i18n-context.js';

export type SummaryHeader = {
  name: string | null;
  /** The cédula as this place shows it: masked on screens, whole on the lender's credit file. */
  cedulaMasked: string;
  consultedAt: string;
};

/** On paper there is nothing to open: every figure prints how it is computed under it. */
const Explained = createContext(false);

/** A figure, what it says in a line, and how it is computed behind "¿Cómo se calcula?". */
function Figure({
  label,
  value,
  detail,
  how,
}: {
  label: string;
  value: string;
  detail?: string;
  how?: string;
}) {
  const { t } = useI18n();
  const explained = useContext(Explained);
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
      {detail && <dd class="hint">{detail}</dd>}
      {how && explained && <dd class="how-text">{how}</dd>}
      {how && !explained && (
        <dd>
          <details class="how">
            <summary>{t('summary.how')}</summary>
            <p>{how}</p>
          </details>
        </dd>
      )}
    </div>
  );
}

/**
 * What decides, on top: alerts (red), facts, what the CRM record's checks found, current employers with
 * tenure, pay and libranza bound, then the verifiable income, its estimate and the libranza bound.
 */
function DecisionStrip({ summary }: { summary: ReadSummary }) {
  const { t, language } = useI18n();
  const { credit } = summary;
  const risks = summary.flags.filter((flag) => !FACT_FLAGS.has(flag));
  const facts = summary.flags.filter((flag) => FACT_FLAGS.has(flag));
  const checks = recordCheckTexts(credit, t, language);
  return (
    <section class="decision" aria-label={t('summary.decision')}>
      {risks.length > 0 && (
        <ul class="flags" aria-label={t('summary.flags')}>
          {risks.map((flag) => (
            <li key={flag}>{flagText(flag, credit, t, language)}</li>
          ))}
        </ul>
      )}
      {facts.length > 0 && (
        <ul class="flags facts" aria-label={t('summary.facts')}>
          {facts.map((flag) => (
            <li key={flag}>{flagText(flag, credit, t, language)}</li>
          ))}
        </ul>
      )}
      {checks.length > 0 && (
        <ul class="checks" aria-label={t('summary.checks')}>
          {checks.map((check) => (
            <li key={check}>{check}</li>
          ))}
        </ul>
      )}
      {summary.currentEmployers.length > 0 && (
        <>
          <h3>{t('summary.currentEmployers')}</h3>
          <ul class="employers">
            {summary.currentEmployers.map((employer) => (
              <li key={employer.employerKey}>
                <strong>{employerNameOf(employer, t)}</strong>
                {employer.idNumber && (
                  <span class="hint">
                    {' '}
                    · {employer.idType ?? 'ID'} {employer.idNumber}
                  </span>
                )}
                <span>
                  {' '}
                  ·{' '}
                  {employer.tenure.atLeast
                    ? t('summary.tenureDataAtLeast', { count: employer.tenure.months })
                    : t('summary.tenureData', { count: employer.tenure.months })}
                  {employer.reportedTenure !== null &&
                    ` (${t('summary.tenureReported', { count: employer.reportedTenure })})`}
                </span>
                {!employer.filedLatestMonth && (
                  <span class="hint">
                    {' '}
                    · {t('summary.notFiledYet', { month: formatMonth(credit.latestMonth, language) })}
                  </span>
                )}
                {employerLineTexts(employer, credit, t, language).length > 0 && (
                  <div>{employerLineTexts(employer, credit, t, language).join(' · ')}</div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      <dl class="figures decision-figures">
        {figuresOf(summary, { t, language }, undefined, 'decision').map((figure) => (
          <Figure key={figure.id} {...figure} />
        ))}
      </dl>
    </section>
  );
}

/** Every other figure, one per concept: folded on screen, printed open. */
function MoreFigures({ summary }: { summary: ReadSummary }) {
  const { t, language } = useI18n();
  const explained = useContext(Explained);
  const figures = (
    <dl class="figures">
      {figuresOf(summary, { t, language }, undefined, 'more').map((figure) => (
        <Figure key={figure.id} {...figure} />
      ))}
    </dl>
  );
  const thresholds = <p class="hint">{thresholdsText(summary.credit.policy, t, language)}</p>;
  // The words the figures use, said once.
  const terms = explained ? (
    <p class="how-text">{t('summary.terms.text')}</p>
  ) : (
    <details class="how">
      <summary>{t('summary.terms')}</summary>
      <p>{t('summary.terms.text')}</p>
    </details>
  );
  if (explained)
    return (
      <section class="more-figures" aria-label={t('summary.more')}>
        <h3>{t('summary.more')}</h3>
        {figures}
        {thresholds}
        {terms}
      </section>
    );
  return (
    <details class="more-figures">
      <summary>{t('summary.more')}</summary>
      {figures}
      {thresholds}
      {terms}
    </details>
  );
}

/** The history and the credit indicators at a glance: who, current employers, income, flags. */
export function SummaryCard({
  header,
  summary,
  explained = false,
}: {
  header: SummaryHeader;
  summary: Summary;
  /** Every explanation shown in full, as the credit-file report prints them. */
  explained?: boolean;
}) {
  const { t, language } = useI18n();
  const credit = summary.credit;
  return (
    <Explained.Provider value={explained}>
      <section aria-label="Resumen">
        <h2>
          {header.name ?? '—'} <span class="hint">C.C. {header.cedulaMasked}</span>
        </h2>
        <p class="hint">
          {t('summary.consultedAt')}: {formatDateTime(header.consultedAt, language)}
        </p>
        {!hasData(summary) || credit === null ? (
          <>
            <p class="notice">{t('summary.noData')}</p>
            <p class="hint">{t('summary.noData.next')}</p>
          </>
        ) : (
          <>
            <DecisionStrip summary={summary} />
            {measuredAtTexts(summary, t, language).map((note) => (
              <p class="hint" key={note}>
                {note}
              </p>
            ))}
            {skippedTexts(summary.skipped, t).length > 0 && (
              <p class="hint">
                {t('summary.skipped')}: {skippedTexts(summary.skipped, t).join('; ')}
              </p>
            )}
            <MoreFigures summary={summary} />
          </>
        )}
      </section>
    </Explained.Provider>
  );
}
