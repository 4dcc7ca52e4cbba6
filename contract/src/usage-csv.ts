/**
 * The team's usage as CSV, one line per analyst and Bogotá day: written the same way by the relay's
 * `usage --csv` and the options page's download.
 */
import { CSV_BOM, type CsvSeparator, csvCell } from './csv.js';
import type { Usage } from './relay-contract.js';

export const USAGE_CSV_COLUMNS = [
  'dia',
  'analista_id',
  'analista',
  'consultas',
  'reutilizadas_sin_cargo',
  'consultas_a_pila',
  'fallidas',
] as const;

export function usageCsv(usage: Usage, separator: CsvSeparator = ';'): string {
  const lines = [USAGE_CSV_COLUMNS.join(separator)];
  for (const row of usage.rows)
    lines.push(
      // dd/mm/aaaa, as the table shows it and Excel in Spanish reads it.
      [
        row.day.split('-').reverse().join('/'),
        row.analystId,
        row.analystName,
        row.lookups,
        row.reuses,
        row.linksRegistered,
        row.failures,
      ]
        .map((cell) => csvCell(cell, separator))
        .join(separator),
    );
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}
