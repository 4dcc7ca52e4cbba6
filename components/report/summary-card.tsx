import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formatCop, formatDateTime, formatMonth } from '../../utils/locale/format.js';
import { FACT_FLAGS } from '../../utils/report/credit/credit-indicators.js';
import { figuresOf, hasData } from '../../utils/report/figures.js';
import type { Summary } from '../../utils/report/summary/summarize.js';
import {
  employerNameOf,
  estimateText,
  flagText,
  measuredAtTexts,
  skippedTexts,
} from '../../utils/report/summary-words.js';
import { useI18n } from '../shared/i18n-context.js';

export type SummaryHeader = { name: string | null; cedulaMasked: string; consultedAt: string };

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
          <p class="notice">{t('summary.noData')}</p>
        ) : (
          <>
            {summary.flags.some((flag) => !FACT_FLAGS.has(flag)) && (
              <ul class="flags" aria-label={t('summary.flags')}>
                {summary.flags
                  .filter((flag) => !FACT_FLAGS.has(flag))
                  .map((flag) => (
                    <li key={flag}>{flagText(flag, credit, t, language)}</li>
                  ))}
              </ul>
            )}
            {summary.flags.some((flag) => FACT_FLAGS.has(flag)) && (
              <ul class="flags facts" aria-label={t('summary.facts')}>
                {summary.flags
                  .filter((flag) => FACT_FLAGS.has(flag))
                  .map((flag) => (
                    <li key={flag}>{flagText(flag, credit, t, language)}</li>
                  ))}
              </ul>
            )}
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
            <h2>{t('summary.currentEmployers')}</h2>
            {summary.currentEmployers.length === 0 ? (
              <p class="hint">
                {t('summary.noCurrentEmployer', {
                  month: formatMonth(credit.consultation.latestDueMonth, language),
                })}
              </p>
            ) : (
              <ul class="employers">
                {summary.currentEmployers.map((employer) => (
                  <li key={employer.employerKey}>
                    {employerNameOf(employer, t)}
                    {employer.idNumber && (
                      <span class="hint">
                        {' '}
                        · {employer.idType ?? 'ID'} {employer.idNumber}
                      </span>
                    )}
                    <span class="hint">
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
                    {employer.regularBase !== null && (
                      <div class="hint">
                        {t('summary.employerRegular', {
                          base: formatCop(employer.regularBase, language),
                          estimate: estimateText(employer.regularEstimate, t, language),
                        })}
                        {employer.libranza.kind === 'bound'
                          ? ` · ${t('summary.libranza.employer', { amount: `≤ ${formatCop(employer.libranza.amount, language)}` })}`
                          : ` · ${t(`summary.libranza.none.${employer.libranza.reason}`)}`}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
            <dl class="figures">
              {figuresOf(summary, { t, language }).map((figure) => (
                <Figure
                  key={figure.id}
                  label={figure.label}
                  value={figure.value}
                  detail={figure.detail}
                  how={figure.how}
                />
              ))}
            </dl>
          </>
        )}
      </section>
    </Explained.Provider>
  );
}
