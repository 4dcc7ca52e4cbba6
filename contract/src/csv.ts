/**
 * CSV cells for Excel in Spanish, shared by the extension's exports and the relay's reports: quoted
 * per RFC 4180 with formulas neutralised.
 */
export type CsvSeparator = ',' | ';';

export const CSV_BOM = '\uFEFF';

/** A cell Excel opens as text, never as a formula: what starts like one gets a leading apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[\r\n"\uFEFF]|^ | $/;

/**
 * One cell, quoted only where RFC 4180 needs it. The same rules as papaparse's `unparse` with
 * `escapeFormulae` (tests/unit/csv-export.test.ts in the extension compares them on whole files), written here because
 * papaparse took two thirds of a 24,000-row export; stricter in one case: a formula-like text that
 * also holds a line break, which papaparse's pattern lets through.
 */
export function csvCell(value: string | number, separator: CsvSeparator): string {
  // Excel in Spanish, which wants `;`, reads `7.8` as a date or text: decimals take a comma there.
  if (typeof value === 'number') return separator === ';' ? String(value).replace('.', ',') : String(value);
  let text = value;
  let quoted = false;
  if (FORMULA_START.test(text)) {
    text = `'${text}`;
    quoted = true;
  }
  if (quoted || NEEDS_QUOTES.test(text) || text.includes(separator)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}
