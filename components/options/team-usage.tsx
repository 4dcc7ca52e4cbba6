/**
 * "Uso del equipo": the team's usage for supervisors and admins, per analyst and Bogotá day, with a
 * CSV download. The relay decides who may see it; the options show it to those it told us hold the
 * role.
 */
import type { Usage } from '@lupa/contract';
import { bogotaDay } from '@lupa/contract/bogota-day';
import type { CsvSeparator } from '@lupa/contract/csv';
import { usageCsv } from '@lupa/contract/usage-csv';
import { useId, useState } from 'preact/hooks';
import { formatDay } from '../../utils/locale/format.js';
import { errorMessage } from '../../utils/locale/i18n.js';
import { csvFileName } from '../../utils/report/csv-export.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';

const COUNTS = ['lookups', 'reuses', 'linksRegistered', 'failures'] as const;
const COUNT_LABELS = {
  lookups: 'usage.lookups',
  reuses: 'usage.reuses',
  linksRegistered: 'usage.links',
  failures: 'usage.failures',
} as const;

export function TeamUsage({
  services,
  separator,
  today = new Date(),
}: {
  services: ExtensionServices;
  separator: CsvSeparator;
  today?: Date;
}) {
  const { t } = useI18n();
  const ids = { from: useId(), to: useId() };
  const last = bogotaDay(today);
  const [period, setPeriod] = useState({ from: `${last.slice(0, 8)}01`, to: last });
  const [usage, setUsage] = useState<Usage | undefined>();
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  async function show(event: Event) {
    event.preventDefault();
    setLoading(true);
    setProblem(undefined);
    try {
      const reply = await services.send({ type: 'usage.get', ...period });
      if (reply.ok) setUsage({ from: reply.from, to: reply.to, rows: reply.rows });
      else {
        setUsage(undefined);
        setProblem(errorMessage(t, reply.error.code));
      }
    } finally {
      setLoading(false);
    }
  }

  const totals = Object.fromEntries(
    COUNTS.map((count) => [count, usage?.rows.reduce((sum, row) => sum + row[count], 0) ?? 0]),
  ) as Record<(typeof COUNTS)[number], number>;

  return (
    <section aria-labelledby="team-usage">
      <h2 id="team-usage">{t('usage.title')}</h2>
      <p class="hint">{t('usage.hint')}</p>
      <form class="row" onSubmit={(event) => void show(event)}>
        <label for={ids.from}>{t('usage.from')}</label>
        <input
          id={ids.from}
          type="date"
          required
          value={period.from}
          onInput={(event) => setPeriod({ ...period, from: event.currentTarget.value })}
        />
        <label for={ids.to}>{t('usage.to')}</label>
        <input
          id={ids.to}
          type="date"
          required
          value={period.to}
          onInput={(event) => setPeriod({ ...period, to: event.currentTarget.value })}
        />
        <button type="submit" disabled={loading}>
          {loading ? t('usage.loading') : t('usage.show')}
        </button>
      </form>
      {problem && (
        <p class="alert" role="alert">
          {problem}
        </p>
      )}
      {usage && usage.rows.length === 0 && <p class="hint">{t('usage.empty')}</p>}
      {usage && usage.rows.length > 0 && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that may scroll must be reachable by keyboard (WCAG 2.1.1, axe scrollable-region-focusable) */}
          <section class="table-scroll" tabIndex={0} aria-label={t('usage.title')}>
            <table>
              <caption class="visually-hidden">
                {t('usage.title')}: {formatDay(usage.from)} – {formatDay(usage.to)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('usage.day')}</th>
                  <th scope="col">{t('usage.analyst')}</th>
                  {COUNTS.map((count) => (
                    <th scope="col" key={count}>
                      {t(COUNT_LABELS[count])}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {usage.rows.map((row) => (
                  <tr key={`${row.day} ${row.analystId}`}>
                    <td>{formatDay(row.day)}</td>
                    <td>{row.analystName}</td>
                    {COUNTS.map((count) => (
                      <td class="money" key={count}>
                        {row[count]}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    {t('usage.total')}
                  </th>
                  {COUNTS.map((count) => (
                    <td class="money" key={count}>
                      {totals[count]}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </section>
          <button
            type="button"
            onClick={() =>
              services.download(
                csvFileName(`uso-equipo-${usage.from}-${usage.to}`),
                usageCsv(usage, separator),
                'text/csv;charset=utf-8',
              )
            }
          >
            {t('usage.download')}
          </button>
        </>
      )}
    </section>
  );
}
