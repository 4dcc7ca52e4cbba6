/**
 * CSV per DESIGN §8: one row per employer and month. Quoting and formula neutralisation come from
 * papaparse (`escapeFormulae`), not from code of ours; the file starts with a UTF-8 BOM so Excel
 * reads accents right.
 */

import type { Employment, Owner } from '@lupa/contract';
import Papa from 'papaparse';
import { estimateIncome, type IncomeEstimate } from './pila/income-estimate.js';

export type CsvSeparator = ',' | ';';

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
  // Beyond DESIGN §8: what the amount is and what it suggests (utils/report/pila/income-estimate.ts).
  // ingreso_bruto is PILA's reported base; the estimate is never mixed into it.
  'ingreso_estimado',
  'tipo_estimado',
  'regla_estimado',
  'tope_25_smmlv',
] as const;

/** How an estimate reads in a cell: exact for the rule's figure, or the direction of the bound. */
const ESTIMATE_KIND = { exact: 'estimado', at_least: 'mínimo', at_most: 'máximo' } as const;
const ESTIMATE_RULE = {
  contractor_40: 'contratista: base / 0,4',
  contractor_minimum_base: 'contratista en base mínima: hasta 2,5 SMMLV',
  integral_70: 'salario integral: base / 0,7',
  base_lower_bound: 'la base es un mínimo',
} as const;
const NO_ESTIMATE = { no_smmlv_for_year: 'sin SMMLV del año', no_base: 'sin base' } as const;

function estimateCells(estimate: IncomeEstimate): Array<string | number> {
  if (estimate.kind === 'none') return ['', '', NO_ESTIMATE[estimate.reason], ''];
  return [
    estimate.amount,
    ESTIMATE_KIND[estimate.kind],
    ESTIMATE_RULE[estimate.rule],
    estimate.atCeiling ? 'sí' : 'no',
  ];
}

const BOM = '\uFEFF';

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value));
const yesNo = (value: unknown) => (value === true ? 'sí' : value === false ? 'no' : '');

export function csvRows(report: ExportableReport): Array<Array<string | number>> {
  const name = text(report.owners[0]?.display_name);
  return report.employments.flatMap((employment) => {
    const employer = employment.employer_data;
    const activity = [employer?.economic_activity_code, employer?.economic_activity_code_description]
      .filter((part) => part !== null && part !== undefined && part !== '')
      .join(' ');
    return (employment.salary_and_benefit_details ?? []).map((detail) => [
      report.cedula,
      name,
      text(employer?.name),
      text(employer?.id_type),
      // NITs are kept as text: Belvo sends an integer, which must not become 9.01E+08 in Excel.
      text(employer?.id_number),
      activity,
      text(detail.month),
      typeof detail.gross_amount === 'number' ? detail.gross_amount : '',
      typeof detail.net_amount === 'number' ? detail.net_amount : '',
      text(detail.employment_type),
      text(detail.salary_type),
      yesNo(detail.salary_comprehensive),
      text(detail.pension_fund_name),
      text(detail.healthcare_provider_name),
      (detail.status_changes ?? []).join(' '),
      typeof employer?.tenure === 'number' ? employer.tenure : '',
      report.consultedAt,
      ...(typeof detail.month === 'string'
        ? estimateCells(
            estimateIncome({
              month: detail.month,
              base: typeof detail.gross_amount === 'number' ? detail.gross_amount : null,
              employmentType: detail.employment_type ?? null,
              salaryComprehensive: detail.salary_comprehensive === true,
            }),
          )
        : ['', '', '', '']),
    ]);
  });
}

export function toCsv(reports: ExportableReport[], separator: CsvSeparator): string {
  const body = Papa.unparse(
    { fields: [...CSV_COLUMNS], data: reports.flatMap(csvRows) },
    { delimiter: separator, newline: '\r\n', escapeFormulae: true, quotes: false },
  );
  return `${BOM}${body}\r\n`;
}

export function csvFileName(label: string, at: Date = new Date()): string {
  const stamp = at.toISOString().slice(0, 16).replace(/[-:T]/g, '');
  return `lupa-${label.replace(/[^a-z0-9-]+/gi, '-')}-${stamp}.csv`;
}
