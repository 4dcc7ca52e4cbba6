/**
 * One line per person of a batch: who, what became of their lookup, and the summary's indicators with
 * the flags, as the summary computes them (amounts are PILA's reported bases unless the column says
 * estimate). Quoting and formula neutralisation as the per-month CSV (csv-export.ts).
 */
import type { Employment, Owner } from '@lupa/contract';
import { CSV_BOM, type CsvSeparator, csvCell } from '@lupa/contract/csv';
import type { Translate } from '../locale/i18n.js';
import { summarize } from './indicators/summarize.js';
import type { IndicatorPolicy } from './pila/credit-indicators.js';
import { employerNameOf, flagText } from './summary-words.js';

export const PERSON_CSV_COLUMNS = [
  'linea',
  'cedula',
  'nombre',
  'estado',
  'codigo_error',
  'empleadores_actuales',
  'antiguedad_meses_mayor',
  'ingreso_regular',
  'ingreso_estimado',
  'tipo_estimado',
  'cambio_ingreso_pct',
  'ultimo_mes',
  'base_ultimo_mes',
  'promedio_12_meses_calendario',
  'meses_con_aporte_12',
  'tendencia_anual_pct',
  'meses_sin_aporte',
  'empleadores_12_meses',
  'retiros_24_meses',
  'alertas',
] as const;

export type PersonOutcome = {
  line: number;
  cedula: string;
  /** ready, failed, refused or cancelled, as the relay says. */
  status: string;
  errorCode: string | null;
  /** `consultedAt`: when the lookup was made, the consultation date when Belvo's records carry none. */
  report: { owners: Owner[]; employments: Employment[]; consultedAt: string } | null;
};

const ESTIMATE_KIND = {
  exact: 'estimado',
  at_least: 'mínimo',
  at_most: 'máximo',
  mixed: 'suma de mínimos y máximos',
} as const;
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
  const credit = summary.credit;
  if (!credit) return [...who, '', ...empty.slice(0, -1), t('csv.noRecords')];
  const estimate = credit.regularEstimate;
  const value = (number: number | null) => (number === null ? '' : number);
  return [
    ...who,
    '',
    summary.currentEmployers.map((employer) => employerNameOf(employer, t)).join(' | '),
    value(Math.max(0, ...summary.currentEmployers.map((employer) => employer.tenure.months)) || null),
    value(credit.regularIncome.amount),
    estimate.kind === 'none' ? '' : estimate.amount,
    estimate.kind === 'none' ? '' : ESTIMATE_KIND[estimate.kind],
    value(credit.incomeChange.percent === null ? null : Math.round(credit.incomeChange.percent * 10) / 10),
    summary.latestMonth ?? '',
    value(summary.latestIncome),
    value(credit.calendarAverage12 === null ? null : Math.round(credit.calendarAverage12)),
    credit.monthsWithContribution12,
    value(summary.trendPercent === null ? null : Math.round(summary.trendPercent * 10) / 10),
    summary.gaps.reduce((sum, gap) => sum + gap.months, 0),
    credit.employers12,
    credit.separations24,
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
