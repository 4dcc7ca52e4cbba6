import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { formatCop, formatDateTime, formatMonth, formatPercent } from '../../utils/locale/format.js';
import { enumLabel } from '../../utils/locale/i18n.js';
import type { Summary } from '../../utils/report/indicators/summarize.js';
import { FACT_FLAGS } from '../../utils/report/pila/credit-indicators.js';
import {
  employerNameOf,
  estimateText,
  flagText,
  libranzaHowOf,
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
        {summary.latestMonth === null || credit === null ? (
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
                          : ` · ${t('summary.libranza.none.no_net')}`}
                      </div>
                    )}
                  </li>
                ))}
              </ul>
            )}
            <dl class="figures">
              <Figure
                label={t('summary.regularIncome')}
                value={
                  credit.regularIncome.amount === null
                    ? t(`summary.regularIncome.none.${credit.regularIncome.reason ?? 'no_typical_month'}`)
                    : formatCop(credit.regularIncome.amount, language)
                }
                detail={credit.regularIncome.partial ? t('summary.regularIncome.partial') : undefined}
                how={t('summary.regularIncome.how')}
              />
              <Figure
                label={t('summary.estimate')}
                value={estimateText(credit.regularEstimate, t, language)}
                how={t('summary.estimate.how')}
              />
              <Figure
                label={t('summary.incomeChange')}
                value={formatPercent(credit.incomeChange.percent, language)}
                how={t('summary.incomeChange.how', {
                  from: formatMonth(credit.incomeChange.from, language),
                  to: formatMonth(credit.incomeChange.to, language),
                  percent: credit.policy.incomeDropPercent,
                })}
              />
              {credit.declared && (
                <Figure
                  label={t('summary.declared')}
                  value={
                    credit.declared.ratio === null
                      ? '—'
                      : `${new Intl.NumberFormat(language === 'es' ? 'es-CO' : 'en', { maximumFractionDigits: 2 }).format(credit.declared.ratio)} ×`
                  }
                  detail={[
                    formatCop(credit.declared.amount, language),
                    ...(credit.declared.comparedWith === 'mixed' ? [t('summary.declared.mixed')] : []),
                  ].join(' · ')}
                  how={t('summary.declared.how', { threshold: credit.policy.declaredRatioAbove })}
                />
              )}
              <Figure
                label={`${t('summary.latestIncome')} (${formatMonth(summary.latestMonth, language)})`}
                value={formatCop(summary.latestIncome, language)}
                how={t('summary.latestIncome.how')}
              />
              <Figure
                label={t('summary.calendarAverage')}
                value={formatCop(credit.calendarAverage12, language)}
                detail={[
                  t('summary.monthsWithContribution', { count: credit.monthsWithContribution12 }),
                  t('summary.contributedAverage', { amount: formatCop(summary.average12, language) }),
                  ...(credit.monthsWithoutBase12 > 0
                    ? [t('summary.calendarAverage.withoutBase', { count: credit.monthsWithoutBase12 })]
                    : []),
                ].join(' · ')}
                how={t('summary.calendarAverage.how')}
              />
              <Figure
                label={t('summary.trend')}
                value={formatPercent(summary.trendPercent, language)}
                how={t('summary.trend.how')}
              />
              <Figure
                label={t('summary.lastContribution')}
                value={formatMonth(summary.latestMonth, language)}
                detail={
                  summary.monthsSinceLastContribution === null
                    ? undefined
                    : t('summary.monthsAgo', { count: summary.monthsSinceLastContribution })
                }
                how={t('summary.lastContribution.how')}
              />
              <Figure
                label={t('summary.gaps')}
                value={String(summary.gaps.reduce((sum, gap) => sum + gap.months, 0))}
                detail={
                  summary.longestGap
                    ? t('summary.longestGap', {
                        count: summary.longestGap.months,
                        from: formatMonth(summary.longestGap.from, language),
                        to: formatMonth(summary.longestGap.to, language),
                      })
                    : t('summary.noGaps')
                }
              />
              <Figure
                label={t('summary.stability')}
                value={t('summary.stability.value', {
                  employers: credit.employers12,
                  separations: credit.separations24,
                })}
                detail={`${t('summary.employers')}: ${summary.employerCount}`}
                how={t('summary.stability.how')}
              />
              {credit.libranzaBound && (
                <Figure
                  label={t('summary.libranza')}
                  value={`≤ ${formatCop(credit.libranzaBound.amount, language)}`}
                  how={[
                    t('summary.libranza.how'),
                    ...summary.currentEmployers.map((employer) => libranzaHowOf(employer, t, language)),
                  ].join(' ')}
                />
              )}
              <Figure
                label={t('summary.workKinds')}
                value={summary.employmentTypes12.map((type) => enumLabel(t, type)).join(', ') || '—'}
                detail={
                  [
                    ...summary.salaryTypes12.map((type) => enumLabel(t, type)),
                    ...(summary.salaryComprehensive12 ? [t('summary.integral')] : []),
                  ].join(', ') || undefined
                }
              />
            </dl>
          </>
        )}
      </section>
    </Explained.Provider>
  );
}
