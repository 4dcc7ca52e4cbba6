/**
 * One line per person of a batch: who, what became of their lookup, and the summary's indicators with
 * the flags, as the summary computes them (amounts are PILA's reported bases unless the column says
 * estimate). Quoting and formula neutralisation as the per-month CSV (csv-export.ts).
 */
import type { Employment, Owner } from '@lupa/contract';
import { CSV_BOM, type CsvSeparator, csvCell } from '@lupa/contract/csv';
import { errorMessage, type Translate } from '../locale/i18n.js';
import { type IndicatorPolicy, tenureMonthsOf } from './credit/credit-indicators.js';
import { figureCellsOf, figureColumnsOf, hasData } from './figures.js';
import { summarize } from './summary/summarize.js';
import { employerNameOf, flagText } from './summary-words.js';

/** Who and what became of the lookup, then every figure's columns (figures.ts), then the alerts. */
export const PERSON_CSV_COLUMNS: readonly string[] = [
  'linea',
  'cedula',
  'nombre',
  'referencia_autorizacion',
  'estado',
  'motivo',
  'empleadores_actuales',
  'nit_empleadores_actuales',
  'antiguedad_meses_mayor',
  'nit_empleador_convenio',
  'convenio_empleador_actual',
  ...figureColumnsOf(),
  'alertas',
];

export type PersonOutcome = {
  line: number;
  cedula: string;
  /** ready, failed, refused or cancelled, as the relay says. */
  status: string;
  errorCode: string | null;
  /** The applicant's signed authorisation, as the batch file gave it. */
  consentReference?: string;
  /** The payroll agreement's employer, from the file's `nit_empleador` column (rule 16). */
  employerNit?: string;
  /** `consultedAt`: when the lookup was made, the consultation date when Belvo's records carry none. */
  report: { owners: Owner[]; employments: Employment[]; consultedAt: string } | null;
};

const STATUS = { ready: 'lista', failed: 'fallida', refused: 'rechazada', cancelled: 'cancelada' } as const;

const AGREEMENT_ANSWER = {
  current: 'sí',
  not_current: 'no',
  absent: 'no',
  invalid: 'NIT no válido',
} as const;

function personRow(
  outcome: PersonOutcome,
  t: Translate,
  policy: IndicatorPolicy | undefined,
): Array<string | number> {
  const status = STATUS[outcome.status as keyof typeof STATUS] ?? outcome.status;
  const who = [
    outcome.line,
    outcome.cedula,
    outcome.report?.owners[0]?.display_name ?? '',
    outcome.consentReference ?? '',
    status,
  ];
  const empty = (count: number) => Array.from({ length: count }, () => '');
  const afterReason = PERSON_CSV_COLUMNS.length - who.length - 1;
  // Why a person has no figures, in the words the screen uses.
  if (!outcome.report)
    return [...who, outcome.errorCode ? errorMessage(t, outcome.errorCode) : '', ...empty(afterReason)];
  const summary = summarize(outcome.report.employments, {
    consultedAt: outcome.report.consultedAt,
    policy,
    agreementNit: outcome.employerNit || null,
  });
  if (!hasData(summary)) return [...who, '', ...empty(afterReason - 1), t('csv.noRecords')];
  const credit = summary.credit;
  const longestTenure = Math.max(0, ...summary.currentEmployers.map(tenureMonthsOf));
  return [
    ...who,
    '',
    summary.currentEmployers.map((employer) => employerNameOf(employer, t)).join(' | '),
    summary.currentEmployers.map((employer) => employer.idNumber ?? '').join(' | '),
    longestTenure || '',
    outcome.employerNit ?? '',
    credit.agreement ? AGREEMENT_ANSWER[credit.agreement.kind] : '',
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
