/**
 * Belvo's employments as contributions: one entry per employer and month, and the income of each month
 * (DESIGN §7: the sum of gross_amount over all employers that month). Every indicator starts here.
 * Belvo's fields may be null or carry values newer than our enums; both are tolerated, never guessed at.
 */
import type { Employment } from '@lupa/contract';
import { isMonth, monthOfTimestamp } from '../months.js';

export type Contribution = {
  employerKey: string;
  month: string;
  gross: number;
  employmentType: string | null;
  salaryType: string | null;
  comprehensive: boolean;
  statusChanges: string[];
};

/** Distinct by id type + number, else by name (DESIGN §7). */
export function employerKeyOf(employment: Employment): string {
  const data = employment.employer_data;
  if (data?.id_number !== null && data?.id_number !== undefined && `${data.id_number}` !== '') {
    return `id:${data.id_type ?? ''}:${data.id_number}`;
  }
  return `name:${(data?.name ?? '').trim().toLocaleLowerCase('es-CO')}`;
}

export function contributionsOf(employments: Employment[]): Contribution[] {
  return employments.flatMap((employment) =>
    (employment.salary_and_benefit_details ?? []).flatMap((detail) =>
      isMonth(detail.month)
        ? [
            {
              employerKey: employerKeyOf(employment),
              month: detail.month,
              // An entry without an amount still counts as a contribution; it adds nothing to income.
              gross:
                typeof detail.gross_amount === 'number' && Number.isFinite(detail.gross_amount)
                  ? detail.gross_amount
                  : 0,
              employmentType: detail.employment_type ?? null,
              salaryType: detail.salary_type ?? null,
              comprehensive: detail.salary_comprehensive === true,
              statusChanges: Array.isArray(detail.status_changes) ? detail.status_changes : [],
            },
          ]
        : [],
    ),
  );
}

/** Income of each month with at least one contribution. */
export function incomeByMonthOf(contributions: Contribution[]): Map<string, number> {
  const incomeByMonth = new Map<string, number>();
  for (const entry of contributions) {
    incomeByMonth.set(entry.month, (incomeByMonth.get(entry.month) ?? 0) + entry.gross);
  }
  return incomeByMonth;
}

/** The latest month L: the most recent month of any contribution. */
export function latestMonthOf(incomeByMonth: Map<string, number>): string | null {
  return [...incomeByMonth.keys()].sort().at(-1) ?? null;
}

/** The month the data was collected in (the latest collected_at), from which recency is counted. */
export function collectedMonthOf(employments: Employment[]): string | null {
  return (
    employments
      .map((employment) => monthOfTimestamp(employment.collected_at))
      .filter((month): month is string => month !== null)
      .sort()
      .at(-1) ?? null
  );
}
