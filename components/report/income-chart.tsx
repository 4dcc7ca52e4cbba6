import { useState } from 'preact/hooks';
import { formatCop, formatMonth } from '../../utils/locale/format.js';
import type { Summary } from '../../utils/report/summary/summarize.js';
import { chartMonthNote } from '../../utils/report/summary-words.js';
import { useI18n } from '../shared/i18n-context.js';

const WIDTH = 340;
const HEIGHT = 120;
const AXIS = 16;

/** Income per month as bars: a picture of the last 24 months, with gaps visible as missing bars. */
export function IncomeChart({ months }: { months: Summary['monthlyIncome'] }) {
  const { t, language } = useI18n();
  // Rendered when opened: the panel in a CRM page should not build 24 rows nobody asked for.
  const [showValues, setShowValues] = useState(false);
  if (months.length === 0) return null;
  const top = Math.max(...months.map((month) => month.income), 1);
  const slot = WIDTH / months.length;
  const barHeight = (income: number) => ((HEIGHT - AXIS) * income) / top;
  const notes = months.map((month) => chartMonthNote(month, t));
  const anyAtypical = months.some((month) => month.atypical.length > 0);
  return (
    <figure style={{ margin: '8px 0' }}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT + 14}`}
        width="100%"
        role="img"
        aria-label={`${t('chart.title')}: ${formatMonth(months[0]!.month, language)} – ${formatMonth(months.at(-1)!.month, language)}`}
      >
        <title>{t('chart.title')}</title>
        <text x="0" y="10" font-size="9" fill="#5b6576">
          {formatCop(top, language)}
        </text>
        <line x1="0" x2={WIDTH} y1={HEIGHT} y2={HEIGHT} stroke="#d9dee7" />
        {months.map((month, index) => (
          <rect
            key={month.month}
            x={index * slot + 1}
            y={HEIGHT - barHeight(month.income)}
            width={Math.max(slot - 2, 1)}
            height={barHeight(month.income)}
            // An atypical month is drawn light: its spike or dip is not the regular pay.
            fill={month.contributed ? (month.atypical.length > 0 ? '#8fc1c6' : '#0f5c63') : 'none'}
          >
            <title>{`${formatMonth(month.month, language)}: ${
              month.contributed
                ? formatCop(month.income, language)
                : month.withoutBase
                  ? t('chart.withoutBase')
                  : '—'
            }${notes[index] ? ` (${notes[index]})` : ''}`}</title>
          </rect>
        ))}
        {months.map((month, index) => {
          const last = index === months.length - 1;
          // Every sixth month, and the last one anchored at its end so it is not cut off; none closer
          // than six months to the last, whose label would run into it.
          if (!last && (index % 6 !== 0 || index > months.length - 7)) return null;
          return (
            <text
              key={`label-${month.month}`}
              x={last ? WIDTH : index * slot}
              y={HEIGHT + 12}
              font-size="9"
              fill="#5b6576"
              text-anchor={last ? 'end' : 'start'}
            >
              {formatMonth(month.month, language)}
            </text>
          );
        })}
      </svg>
      <figcaption class="hint">
        {t('chart.title')}
        {anyAtypical && ` · ${t('chart.legend')}`}
      </figcaption>
      {/* The values as text, for whoever cannot hover a bar or see the picture. */}
      <details class="chart-values" onToggle={(event) => setShowValues(event.currentTarget.open)}>
        <summary>{t('chart.values')}</summary>
        {showValues && (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('detail.month')}</th>
                <th scope="col">{t('chart.income')}</th>
                <th scope="col">{t('chart.note')}</th>
              </tr>
            </thead>
            <tbody>
              {months.map((month, index) => (
                <tr key={month.month}>
                  <td class="month">{formatMonth(month.month, language)}</td>
                  <td class="money">
                    {month.contributed
                      ? formatCop(month.income, language)
                      : month.withoutBase
                        ? t('chart.withoutBase')
                        : t('chart.none')}
                  </td>
                  <td>{notes[index] ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </figure>
  );
}
