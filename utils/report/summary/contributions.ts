/**
 * PILA's months across employers: the income of each month (the bases of every employer added) and
 * the months that had any line at all. Read from the employer histories (credit/employer-months.ts), so
 * a line without a base is a month with a line and no income, never an income of zero.
 */
import type { EmployerHistory, EmployerMonth } from '../credit/employer-months.js';

export type MonthsAcrossEmployers = {
  /** Months with at least one base, and their bases added. */
  incomeByMonth: Map<string, number>;
  /** Months with at least one line (with or without a base). */
  monthsWithLines: Set<string>;
};

export function monthsAcrossEmployersOf(histories: EmployerHistory[]): MonthsAcrossEmployers {
  const incomeByMonth = new Map<string, number>();
  const monthsWithLines = new Set<string>();
  for (const month of histories.flatMap((history) => history.months)) {
    monthsWithLines.add(month.month);
    if (month.base !== null)
      incomeByMonth.set(month.month, (incomeByMonth.get(month.month) ?? 0) + month.base);
  }
  return { incomeByMonth, monthsWithLines };
}

export const allMonthsOf = (histories: EmployerHistory[]): EmployerMonth[] =>
  histories.flatMap((history) => history.months);
