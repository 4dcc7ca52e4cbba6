import { monthsBetween, monthsEndingAt } from '../months.js';

export type Gap = { from: string; to: string; months: number };

/** DESIGN §7: runs of months between the first and the latest month with no contribution. */
export function gapsOf(incomeByMonth: Map<string, number>, latestMonth: string): Gap[] {
  const firstMonth = [...incomeByMonth.keys()].sort()[0] ?? latestMonth;
  const gaps: Gap[] = [];
  let run: string[] = [];
  for (const month of monthsEndingAt(latestMonth, monthsBetween(firstMonth, latestMonth) + 1)) {
    if (incomeByMonth.has(month)) {
      if (run.length) gaps.push({ from: run[0]!, to: run.at(-1)!, months: run.length });
      run = [];
    } else {
      run.push(month);
    }
  }
  return gaps;
}

/** The longest gap; the earliest of equally long ones. */
export function longestGapOf(gaps: Gap[]): Gap | null {
  return gaps.reduce<Gap | null>(
    (longest, gap) => (!longest || gap.months > longest.months ? gap : longest),
    null,
  );
}
