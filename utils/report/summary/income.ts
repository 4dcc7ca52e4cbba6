import type { AtypicalReason, EmployerHistory } from '../credit/employer-months.js';
import { monthsEndingAt } from '../months.js';

const average = (values: number[]) =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;

/** The incomes of the months of `window` that had a base. */
function contributedIncomes(incomeByMonth: Map<string, number>, window: string[]): number[] {
  return window.filter((month) => incomeByMonth.has(month)).map((month) => incomeByMonth.get(month)!);
}

/**
 * The income of the latest month with a line (null when it had no base); the average over the last 6
 * and 12 months up to D counting only months with a base.
 */
export function incomeAveragesOf(incomeByMonth: Map<string, number>, latestMonth: string, until: string) {
  return {
    latestIncome: incomeByMonth.get(latestMonth) ?? null,
    average6: average(contributedIncomes(incomeByMonth, monthsEndingAt(until, 6))),
    average12: average(contributedIncomes(incomeByMonth, monthsEndingAt(until, 12))),
  };
}

/**
 * The average of the 3 months ending at D against the same 3 months a year earlier, in %, when both
 * exist (and the earlier one is above zero). Information only.
 */
export function incomeTrendPercentOf(incomeByMonth: Map<string, number>, until: string): number | null {
  const recent = average(contributedIncomes(incomeByMonth, monthsEndingAt(until, 3)));
  const yearBeforeEnd = monthsEndingAt(until, 13)[0]!;
  const yearBefore = average(contributedIncomes(incomeByMonth, monthsEndingAt(yearBeforeEnd, 3)));
  if (recent === null || yearBefore === null || yearBefore <= 0) return null;
  return ((recent - yearBefore) / yearBefore) * 100;
}

export type ChartMonth = {
  month: string;
  /** The bases of the month added; 0 where there is none (drawn as no bar). */
  income: number;
  /** A base was reported. */
  contributed: boolean;
  /** Lines were reported, none with a base ("sin base reportada"). */
  withoutBase: boolean;
  /** Why some employer's month is atypical (a sick leave, a first month): a spike or dip explained. */
  atypical: AtypicalReason[];
  /** After the latest due month: its planillas may still come (a low bar is not a fall). */
  notDue: boolean;
};

/** Each of the 24 months ending at `last`, for the chart. */
export function monthlyIncomeOf(
  incomeByMonth: Map<string, number>,
  monthsWithLines: ReadonlySet<string>,
  last: string,
  histories: EmployerHistory[],
  latestDueMonth: string,
): ChartMonth[] {
  const atypicalByMonth = new Map<string, AtypicalReason[]>();
  for (const month of histories.flatMap((history) => history.months))
    if (month.atypical.length > 0)
      atypicalByMonth.set(month.month, [...(atypicalByMonth.get(month.month) ?? []), ...month.atypical]);
  return monthsEndingAt(last, 24).map((month) => ({
    month,
    income: incomeByMonth.get(month) ?? 0,
    contributed: incomeByMonth.has(month),
    withoutBase: monthsWithLines.has(month) && !incomeByMonth.has(month),
    atypical: atypicalByMonth.get(month) ?? [],
    notDue: month > latestDueMonth,
  }));
}
