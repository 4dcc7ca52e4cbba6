import { useMemo } from 'preact/hooks';
import { summarize } from '../utils/indicators.js';
import type { CachedLookup, CachedReport } from '../utils/lookup-cache.js';
import { EmploymentDetail } from './employment-detail.js';
import { useI18n } from './i18n-context.js';
import { IncomeChart } from './income-chart.js';
import { SummaryCard } from './summary-card.js';

export function ReportView({
  lookup,
  report,
  onExport,
  onAgain,
}: {
  lookup: CachedLookup;
  report: CachedReport;
  onExport(): void;
  onAgain(): void;
}) {
  const { t } = useI18n();
  const summary = useMemo(() => summarize(report.employments), [report]);
  return (
    <div>
      <SummaryCard
        header={{
          name: lookup.displayName,
          cedulaMasked: lookup.cedulaMasked,
          consultedAt: lookup.updatedAt,
        }}
        summary={summary}
      />
      <IncomeChart months={summary.monthlyIncome} />
      <div class="row">
        <button type="button" class="primary" onClick={onExport}>
          {t('export.one')}
        </button>
        <button type="button" onClick={onAgain}>
          {t('lookup.again')}
        </button>
      </div>
      <EmploymentDetail employments={report.employments} />
    </div>
  );
}
