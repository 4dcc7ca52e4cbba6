import { formatCop, formatDateTime, formatMonth, formatPercent } from '../../utils/locale/format.js';
import { enumLabel } from '../../utils/locale/i18n.js';
import type { Summary } from '../../utils/report/indicators/summarize.js';
import { useI18n } from '../shared/i18n-context.js';

export type SummaryHeader = { name: string | null; cedulaMasked: string; consultedAt: string };

function Figure({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div class="figure">
      <dt>{label}</dt>
      <dd>{value}</dd>
      {detail && <dd class="hint">{detail}</dd>}
    </div>
  );
}

/** DESIGN §7 at a glance: who, current employers, income and its trend, gaps, flags. */
export function SummaryCard({ header, summary }: { header: SummaryHeader; summary: Summary }) {
  const { t, language } = useI18n();
  return (
    <section aria-label="Resumen">
      <h2>
        {header.name ?? '—'} <span class="hint">C.C. {header.cedulaMasked}</span>
      </h2>
      <p class="hint">
        {t('summary.consultedAt')}: {formatDateTime(header.consultedAt, language)}
      </p>
      {summary.latestMonth === null ? (
        <p class="notice">{t('summary.noData')}</p>
      ) : (
        <>
          {summary.flags.length > 0 && (
            <ul class="flags" aria-label={t('summary.flags')}>
              {summary.flags.map((flag) => (
                <li key={flag}>{t(`flag.${flag}`)}</li>
              ))}
            </ul>
          )}
          <h2>{t('summary.currentEmployers')}</h2>
          {summary.currentEmployers.length === 0 ? (
            <p class="hint">{t('summary.noCurrentEmployer')}</p>
          ) : (
            <ul class="employers">
              {summary.currentEmployers.map((employer) => (
                <li key={`${employer.idType}-${employer.idNumber}-${employer.name}`}>
                  {employer.name ?? t('summary.unnamedEmployer')}
                  {employer.idNumber && (
                    <span class="hint">
                      {' '}
                      · {employer.idType ?? 'ID'} {employer.idNumber}
                    </span>
                  )}
                  {employer.tenureMonths !== null && (
                    <span class="hint"> · {t('summary.tenure', { count: employer.tenureMonths })}</span>
                  )}
                </li>
              ))}
            </ul>
          )}
          <dl class="figures">
            <Figure
              label={`${t('summary.latestIncome')} (${formatMonth(summary.latestMonth, language)})`}
              value={formatCop(summary.latestIncome, language)}
            />
            <Figure label={t('summary.trend')} value={formatPercent(summary.trendPercent, language)} />
            <Figure label={t('summary.average6')} value={formatCop(summary.average6, language)} />
            <Figure
              label={t('summary.average12')}
              value={formatCop(summary.average12, language)}
              detail={t('summary.monthsWithContribution', { count: summary.monthsWithContribution12 })}
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
              label={t('summary.lastContribution')}
              value={formatMonth(summary.latestMonth, language)}
              detail={
                summary.monthsSinceLastContribution === null
                  ? undefined
                  : t('summary.monthsAgo', { count: summary.monthsSinceLastContribution })
              }
            />
            <Figure label={t('summary.employers')} value={String(summary.employerCount)} />
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
  );
}
