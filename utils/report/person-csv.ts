/**
 * One line per person of a batch: who, what became of their lookup, and the summary's indicators with
 * the flags, as the summary computes them (amounts are PILA's reported bases unless the column says
 * estimate). Quoting and formula neutralisation as the per-month CSV (csv-export.ts).
 */
import type { Employment, Owner } from '@lupa/contract';
import { CSV_BOM, type CsvSeparator, csvCell } from '@lupa/contract/csv';
import type { Translate } from '../locale/i18n.js';
import { type IndicatorPolicy, tenureMonthsOf } from './credit/credit-indicators.js';
import { figureCellsOf, figureColumnsOf, hasData } from './figures.js';
import { summarize } from './summary/summarize.js';
import { employerNameOf, flagText } from './summary-words.js';

/** Who and what became of the lookup, then every figure's columns (figures.ts), then the alerts. */
export const PERSON_CSV_COLUMNS: readonly string[] = [
  'linea',
  'cedula',
  'nombre',
  'estado',
  'codigo_error',
  'empleadores_actuales',
  'antiguedad_meses_mayor',
  ...figureColumnsOf(),
  'alertas',
];

export type PersonOutcome = {
  line: number;
  cedula: string;
  /** ready, failed, refused or cancelled, as the relay says. */
  status: string;
  errorCode: string | null;
  /** `consultedAt`: when the lookup was made, the consultation date when Belvo's records carry none. */
  report: { owners: Owner[]; employments: Employment[]; consultedAt: string } | null;
};

const STATUS = { ready: 'lista', failed: 'fallida', refused: 'rechazada', cancelled: 'cancelada' } as const;

function personRow(
  outcome: PersonOutcome,
  t: Translate,
  policy: IndicatorPolicy | undefined,
): Array<string | number> {
  const status = STATUS[outcome.status as keyof typeof STATUS] ?? outcome.status;
  const who = [outcome.line, outcome.cedula, outcome.report?.owners[0]?.display_name ?? '', status];
  const empty = PERSON_CSV_COLUMNS.slice(who.length + 1).map(() => '');
  if (!outcome.report) return [...who, outcome.errorCode ?? '', ...empty];
  const summary = summarize(outcome.report.employments, { consultedAt: outcome.report.consultedAt, policy });
  if (!hasData(summary)) return [...who, '', ...empty.slice(0, -1), t('csv.noRecords')];
  const credit = summary.credit;
  const longestTenure = Math.max(0, ...summary.currentEmployers.map(tenureMonthsOf));
  return [
    ...who,
    '',
    summary.currentEmployers.map((employer) => employerNameOf(employer, t)).join(' | '),
    longestTenure || '',
    ...figureCellsOf(summary),
    summary.flags.map((flag) => flagText(flag, credit, t, 'es')).join(' | '),
  ];
}

export function personsCsv(
  outcomes: PersonOutcome[],
  separator: CsvSeparator,
  t: Translate,
  policy?: IndicatorPolicy,
): string {
  const lines = [PERSON_CSV_COLUMNS.join(separator)];
  for (const outcome of outcomes)
    lines.push(
      personRow(outcome, t, policy)
        .map((cell) => csvCell(cell, separator))
        .join(separator),
    );
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}
