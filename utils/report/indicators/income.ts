import { monthsEndingAt } from '../months.js';

const average = (values: number[]) =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;

/** The incomes of the months of `window` that had at least one contribution. */
function contributedIncomes(incomeByMonth: Map<string, number>, window: string[]): number[] {
  return window.filter((month) => incomeByMonth.has(month)).map((month) => incomeByMonth.get(month)!);
}

/**
 * DESIGN §7: the income of L; the average over the last 6 and 12 months up to L counting only months
 * with a contribution, and how many of those 12 months had one.
 */
export function incomeAveragesOf(incomeByMonth: Map<string, number>, latestMonth: string) {
  const last12 = contributedIncomes(incomeByMonth, monthsEndingAt(latestMonth, 12));
  return {
    latestIncome: incomeByMonth.get(latestMonth) ?? null,
    average6: average(contributedIncomes(incomeByMonth, monthsEndingAt(latestMonth, 6))),
    average12: average(last12),
    monthsWithContribution12: last12.length,
  };
}

/**
 * DESIGN §7: the average of the 3 months ending at L against the same 3 months a year earlier, in %,
 * when both exist (and the earlier one is above zero).
 */
export function incomeTrendPercentOf(incomeByMonth: Map<string, number>, latestMonth: string): number | null {
  const recent = average(contributedIncomes(incomeByMonth, monthsEndingAt(latestMonth, 3)));
  const yearBeforeEnd = monthsEndingAt(latestMonth, 13)[0]!;
  const yearBefore = average(contributedIncomes(incomeByMonth, monthsEndingAt(yearBeforeEnd, 3)));
  if (recent === null || yearBefore === null || yearBefore <= 0) return null;
  return ((recent - yearBefore) / yearBefore) * 100;
}

/** Income of each of the 24 months ending at L, for the chart (0 where nothing was paid). */
export function monthlyIncomeOf(incomeByMonth: Map<string, number>, latestMonth: string) {
  return monthsEndingAt(latestMonth, 24).map((month) => ({
    month,
    income: incomeByMonth.get(month) ?? 0,
    contributed: incomeByMonth.has(month),
  }));
}
