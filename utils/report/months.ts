/** Calendar months as `YYYY-MM`, the unit of PILA data. */
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH.test(value);
}

function index(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function addMonths(month: string, offset: number): string {
  const target = index(month) + offset;
  return `${Math.floor(target / 12)}-${String((target % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` (positive when `to` is later). */
export function monthsBetween(from: string, to: string): number {
  return index(to) - index(from);
}

/** `count` consecutive months ending at `last`, oldest first. */
export function monthsEndingAt(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, position) => addMonths(last, position - count + 1));
}
