/**
 * Colombian cédula de ciudadanía as analysts type it: digits, optionally grouped with dots or spaces
 * (`1.020.304.050`). Old cédulas are short, new ones have 10 digits, none starts with 0.
 */
export type CedulaProblem = 'empty' | 'not_digits' | 'too_short' | 'too_long' | 'leading_zero';

export type CedulaParseResult = { ok: true; cedula: string } | { ok: false; problem: CedulaProblem };

const GROUPING = /[.\s\u00a0]/g;
export const CEDULA_MIN_DIGITS = 3;
export const CEDULA_MAX_DIGITS = 10;

export function parseCedula(input: string): CedulaParseResult {
  const compact = input.replace(GROUPING, '');
  if (compact === '') return { ok: false, problem: 'empty' };
  if (!/^\d+$/.test(compact)) return { ok: false, problem: 'not_digits' };
  if (compact.startsWith('0')) return { ok: false, problem: 'leading_zero' };
  if (compact.length < CEDULA_MIN_DIGITS) return { ok: false, problem: 'too_short' };
  if (compact.length > CEDULA_MAX_DIGITS) return { ok: false, problem: 'too_long' };
  return { ok: true, cedula: compact };
}

/** Keeps the last four digits, the way receipts and call centres show a cédula. */
export function maskCedula(cedula: string): string {
  const visible = cedula.slice(-4);
  return '*'.repeat(Math.max(cedula.length - visible.length, 0)) + visible;
}

/** `1020304050` as `1.020.304.050`, how it is printed on the card. */
export function formatCedula(cedula: string): string {
  return cedula.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}
