import { monthsBetween, monthsEndingAt } from '../months.js';

export type Gap = { from: string; to: string; months: number };

/** Runs of months between the first month with a line and `until` (D) with no line at all. */
export function gapsOf(monthsWithLines: ReadonlySet<string>, until: string): Gap[] {
  const firstMonth = [...monthsWithLines].sort()[0];
  if (!firstMonth || firstMonth > until) return [];
  const gaps: Gap[] = [];
  let run: string[] = [];
  for (const month of monthsEndingAt(until, monthsBetween(firstMonth, until) + 1)) {
    if (monthsWithLines.has(month)) {
      if (run.length) gaps.push({ from: run[0]!, to: run.at(-1)!, months: run.length });
      run = [];
    } else {
      run.push(month);
    }
  }
  if (run.length) gaps.push({ from: run[0]!, to: run.at(-1)!, months: run.length });
  return gaps;
}

/** The longest gap; the earliest of equally long ones. */
export function longestGapOf(gaps: Gap[]): Gap | null {
  return gaps.reduce<Gap | null>(
    (longest, gap) => (!longest || gap.months > longest.months ? gap : longest),
    null,
  );
}
