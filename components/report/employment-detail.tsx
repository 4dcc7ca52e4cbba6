import { formatCop, formatMonth } from '../../utils/locale/format.js';
import { enumLabel, type Translate } from '../../utils/locale/i18n.js';
import type {
  AtypicalReason,
  EmployerHistory,
  EmployerMonth,
} from '../../utils/report/credit/employer-months.js';
import { atypicalReasonText, employerNameOf } from '../../utils/report/summary-words.js';
import { useI18n } from '../shared/i18n-context.js';

/**
 * The month's novelties and how the figures read it: the novelties that leave it typical (vacation, a
 * permanent raise), then, for an atypical month, why (docs/credit-reading.md rules 2, 3 and 5). One
 * column, so the table fits the popup's width.
 */
function readingOf(month: EmployerMonth, t: Translate): string {
  const atypicalStatuses = new Set(
    month.atypical.flatMap((reason) =>
      reason.kind === 'status' || reason.kind === 'unknown_status' ? [reason.status] : [],
    ),
  );
  const typicalNovelties = month.statuses
    .filter((status) => !atypicalStatuses.has(status))
    .map((status) => enumLabel(t, status));
  const reasons = month.atypical.map((reason: AtypicalReason) => atypicalReasonText(reason, t));
  return [
    ...typicalNovelties,
    ...(reasons.length > 0 ? [`${t('detail.reading.atypical')}: ${reasons.join(', ')}`] : []),
  ].join(' · ');
}

/** Per employer, every month the figures read, newest first, and how each was read. */
export function EmploymentDetail({
  histories,
  open = false,
}: {
  histories: EmployerHistory[];
  /** Every employer's months shown, as the credit-file report prints them. */
  open?: boolean;
}) {
  const { t, language } = useI18n();
  if (histories.length === 0) return null;
  return (
    <section>
      <h2>{t('detail.title')}</h2>
      {histories.map((history) => (
        <details key={history.employerKey} open={open}>
          <summary>
            {employerNameOf(history, t)}{' '}
            <span class="hint">
              {history.idType ?? ''} {history.idNumber ?? ''}
            </span>
          </summary>
          {/* Wide: a table that may scroll, reachable and named for the keyboard; narrow (the popup,
              the panel): each month stacked, label beside value, never sideways. */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that may scroll must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable) */}
          <section class="table-scroll" tabIndex={0} aria-label={employerNameOf(history, t)}>
            <table class="detail-table">
              <thead>
                <tr>
                  <th scope="col">{t('detail.month')}</th>
                  <th scope="col">{t('detail.gross')}</th>
                  <th scope="col">{t('detail.net')}</th>
                  <th scope="col">{t('detail.type')}</th>
                  <th scope="col">{t('detail.changes')}</th>
                </tr>
              </thead>
              <tbody>
                {[...history.months].reverse().map((month) => (
                  <tr key={month.month}>
                    <td class="month" data-label={t('detail.month')}>
                      {formatMonth(month.month, language)}
                    </td>
                    <td class="money" data-label={t('detail.gross')}>
                      {month.base === null ? t('detail.reading.no_base') : formatCop(month.base, language)}
                    </td>
                    <td class="money" data-label={t('detail.net')}>
                      {formatCop(month.net, language)}
                    </td>
                    <td data-label={t('detail.type')}>
                      {month.employmentType ? enumLabel(t, month.employmentType) : ''}
                    </td>
                    <td data-label={t('detail.changes')}>{readingOf(month, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </details>
      ))}
    </section>
  );
}
