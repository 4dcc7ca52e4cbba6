/**
 * CSV as docs/architecture.md §8 describes it: one row per employer and month, written for Excel in Spanish, quoted per RFC 4180
 * with formulas neutralised (`csvCell`); the file starts with a UTF-8 BOM so Excel reads accents right. Codes read as on screen (Asalariado, Salario
 * fijo), with Belvo's codes in their own columns for systems; the consultation's time is Bogotá's,
 * dd/mm/aaaa hh:mm (and ISO with its offset for systems); the month is text Excel does not turn into a date.
 */

import type { Employment, Owner } from '@lupa/contract';
import { BOGOTA_OFFSET_MS } from '@lupa/contract/bogota-day';
import { CSV_BOM, type CsvSeparator, csvCell } from '@lupa/contract/csv';
import { enumLabel, type Translate, translator } from '../locale/i18n.js';
import { estimateIncome, type IncomeEstimate } from './credit/income-estimate.js';

export type ExportableReport = {
  cedula: string;
  consultedAt: string;
  owners: Owner[];
  employments: Employment[];
};

export const CSV_COLUMNS = [
  'cedula',
  'nombre',
  'empleador',
  'tipo_id_empleador',
  'id_empleador',
  'actividad_economica',
  'mes',
  'ingreso_bruto',
  'ingreso_neto',
  'tipo_vinculacion',
  'tipo_salario',
  'salario_integral',
  'fondo_pension',
  'eps',
  'novedades',
  'antiguedad_meses',
  'consultado',
  // Beyond the raw columns: what the amount is and what it suggests (utils/report/credit/income-estimate.ts).
  // ingreso_bruto is PILA's reported base; the estimate is never mixed into it.
  'ingreso_estimado',
  'tipo_estimado',
  'regla_estimado',
  'tope_25_smmlv',
  // For systems: Belvo's codes and the month as ISO text.
  'tipo_vinculacion_codigo',
  'tipo_salario_codigo',
  'novedades_codigo',
  'mes_iso',
  'consultado_iso',
] as const;

/** `2026-11-27T10:00:00-05:00` → `27/11/2026 10:00`: dd/mm/aaaa as analysts write it, Bogotá time. */
export function bogotaDateTime(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})/.exec(bogotaTime(iso));
  return match ? `${match[3]}/${match[2]}/${match[1]} ${match[4]}` : iso;
}

/** `2026-11-27T15:00:00.000Z` → `2026-11-27T10:00:00-05:00`, the time the analyst's clock showed. */
export function bogotaTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${new Date(at.getTime() + BOGOTA_OFFSET_MS).toISOString().slice(0, 19)}-05:00`;
}

/**
 * `2026-10` with a non-breaking hyphen (U+2011): it reads the same, and Excel keeps it as text
 * instead of turning it into "oct-26". `mes_iso` has the plain value.
 */
export function monthAsText(month: string): string {
  return month.replace('-', '\u2011');
}

/** How an estimate reads in a cell: exact for the rule's figure, or the direction of the bound. */
const ESTIMATE_KIND = { exact: 'estimado', at_least: 'mínimo', at_most: 'máximo' } as const;
const ESTIMATE_RULE = {
  contractor_40: 'contratista: base / 0,4',
  contractor_minimum_base: 'contratista en base mínima: hasta 2,5 SMMLV',
  integral_70: 'salario integral: base / 0,7',
  base_lower_bound: 'la base es un mínimo',
} as const;
const NO_ESTIMATE = {
  no_smmlv_for_year: 'sin SMMLV del año',
  no_base: 'sin base',
  unknown_employment_type: 'vinculación no reconocida',
} as const;

function estimateCells(estimate: IncomeEstimate): Array<string | number> {
  if (estimate.kind === 'none') return ['', '', NO_ESTIMATE[estimate.reason], ''];
  return [
    estimate.amount,
    ESTIMATE_KIND[estimate.kind],
    ESTIMATE_RULE[estimate.rule],
    estimate.atCeiling ? 'sí' : 'no',
  ];
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const yesNo = (value: unknown) => (value === true ? 'sí' : value === false ? 'no' : '');

const EMPTY_ESTIMATE = ['', '', '', ''];

// The same few codes fill thousands of cells: each is translated once per language.
const labels = new WeakMap<Translate, Map<string, string>>();
function labelOf(t: Translate, code: string): string {
  const known = labels.get(t) ?? new Map<string, string>();
  labels.set(t, known);
  const label = known.get(code) ?? enumLabel(t, code);
  known.set(code, label);
  return label;
}

export function csvRows(report: ExportableReport, t: Translate): Array<Array<string | number>> {
  const name = text(report.owners[0]?.display_name);
  const consulted = bogotaDateTime(report.consultedAt);
  const consultedIso = bogotaTime(report.consultedAt);
  const label = (code: unknown) => (typeof code === 'string' ? labelOf(t, code) : '');
  const rows = report.employments.flatMap((employment) => {
    const employer = employment.employer_data;
    const activity = [employer?.economic_activity_code, employer?.economic_activity_code_description]
      .filter((part) => part !== null && part !== undefined && part !== '')
      .join(' ');
    // An unreadable line (null) has nothing to export; the summary counts it.
    return (employment.salary_and_benefit_details ?? []).flatMap((detail) =>
      detail === null
        ? []
        : [
            [
              report.cedula,
              name,
              text(employer?.name),
              text(employer?.id_type),
              // NITs are kept as text: Belvo sends an integer, which must not become 9.01E+08 in Excel.
              text(employer?.id_number),
              activity,
              typeof detail.month === 'string' ? monthAsText(detail.month) : '',
              typeof detail.gross_amount === 'number' ? detail.gross_amount : '',
              typeof detail.net_amount === 'number' ? detail.net_amount : '',
              label(detail.employment_type),
              label(detail.salary_type),
              yesNo(detail.salary_comprehensive),
              text(detail.pension_fund_name),
              text(detail.healthcare_provider_name),
              (detail.status_changes ?? []).map(label).join(', '),
              typeof employer?.tenure === 'number' ? employer.tenure : '',
              consulted,
              ...(typeof detail.month === 'string'
                ? estimateCells(
                    estimateIncome({
                      month: detail.month,
                      base: typeof detail.gross_amount === 'number' ? detail.gross_amount : null,
                      employmentType: detail.employment_type ?? null,
                      salaryComprehensive: detail.salary_comprehensive === true,
                    }),
                  )
                : EMPTY_ESTIMATE),
              text(detail.employment_type),
              text(detail.salary_type),
              (detail.status_changes ?? []).join(' '),
              text(detail.month),
              consultedIso,
            ],
          ],
    );
  });
  if (rows.length > 0) return rows;
  // Consulted and found nothing: a row that says so, rather than a person missing from the file.
  const none: Array<string | number> = CSV_COLUMNS.map(() => '');
  none[CSV_COLUMNS.indexOf('cedula')] = report.cedula;
  none[CSV_COLUMNS.indexOf('nombre')] = name;
  none[CSV_COLUMNS.indexOf('empleador')] = t('csv.noRecords');
  none[CSV_COLUMNS.indexOf('consultado')] = consulted;
  none[CSV_COLUMNS.indexOf('consultado_iso')] = consultedIso;
  return [none];
}

/** "Exportar todo": one person once, from their newest consultation. */
export function newestPerPerson(reports: ExportableReport[]): ExportableReport[] {
  const newest = new Map<string, ExportableReport>();
  for (const report of reports) {
    const kept = newest.get(report.cedula);
    if (!kept || Date.parse(report.consultedAt) > Date.parse(kept.consultedAt))
      newest.set(report.cedula, report);
  }
  return [...newest.values()];
}

export function toCsv(
  reports: ExportableReport[],
  separator: CsvSeparator,
  t: Translate = translator('es'),
): string {
  const lines = [CSV_COLUMNS.join(separator)];
  for (const report of reports)
    for (const row of csvRows(report, t))
      lines.push(row.map((cell) => csvCell(cell, separator)).join(separator));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** `lupa-historial-202611271000.csv`, stamped with Bogotá's time. */
export function csvFileName(label: string, at: Date = new Date()): string {
  const stamp = bogotaTime(at.toISOString()).slice(0, 16).replace(/[-:T]/g, '');
  return `lupa-${label.replace(/[^a-z0-9-]+/gi, '-')}-${stamp}.csv`;
}
