import type { Employment } from '@lupa/contract';
import { formatCop, formatMonth } from '../../utils/locale/format.js';
import { enumLabel } from '../../utils/locale/i18n.js';
import { useI18n } from '../shared/i18n-context.js';

/** Per employer, every month Belvo reported, newest first. */
export function EmploymentDetail({
  employments,
  open = false,
}: {
  employments: Employment[];
  /** Every employer's months shown, as the credit-file report prints them. */
  open?: boolean;
}) {
  const { t, language } = useI18n();
  if (employments.length === 0) return null;
  return (
    <section>
      <h2>{t('detail.title')}</h2>
      {employments.map((employment) => {
        const employer = employment.employer_data;
        const details = [...(employment.salary_and_benefit_details ?? [])].sort((a, b) =>
          (b.month ?? '').localeCompare(a.month ?? ''),
        );
        return (
          <details key={employment.id} open={open}>
            <summary>
              {employer?.name ?? '—'}{' '}
              <span class="hint">
                {employer?.id_type ?? ''} {employer?.id_number ?? ''}
              </span>
            </summary>
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th>{t('detail.month')}</th>
                    <th>{t('detail.gross')}</th>
                    <th>{t('detail.net')}</th>
                    <th>{t('detail.type')}</th>
                    <th>{t('detail.changes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {details.map((detail, index) => (
                    <tr key={`${detail.month}-${index}`}>
                      <td class="month">{detail.month ? formatMonth(detail.month, language) : '—'}</td>
                      <td class="money">{formatCop(detail.gross_amount, language)}</td>
                      <td class="money">{formatCop(detail.net_amount, language)}</td>
                      <td>{detail.employment_type ? enumLabel(t, detail.employment_type) : ''}</td>
                      <td>
                        {(detail.status_changes ?? []).map((status) => enumLabel(t, status)).join(', ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        );
      })}
    </section>
  );
}
