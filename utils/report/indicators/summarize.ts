/**
 * The summary an analyst reads in five seconds, computed from Belvo's employments exactly as
 * DESIGN §7 defines it. Pure: same report in, same summary out. Belvo's fields may be null or carry
 * values newer than our enums; both are tolerated, never guessed at.
 */

import type { Employment } from '@lupa/contract';
import { isMonth, monthOfTimestamp, monthsBetween, monthsEndingAt } from './months.js';

export type CurrentEmployer = {
  name: string;
  idType: string | null;
  idNumber: string | null;
  tenureMonths: number | null;
  latestGross: number | null;
};

export type Gap = { from: string; to: string; months: number };

export type SummaryFlag =
  | 'no_recent_contribution'
  | 'income_drop'
  | 'multiple_current_employers'
  | 'only_contractual';

export type Summary = {
  /** The most recent month with any contribution (L); null when there is no PILA data. */
  latestMonth: string | null;
  currentEmployers: CurrentEmployer[];
  latestIncome: number | null;
  average6: number | null;
  average12: number | null;
  monthsWithContribution12: number;
  /** Average of the 3 months ending at L against the same months a year earlier, in %. */
  trendPercent: number | null;
  employerCount: number;
  gaps: Gap[];
  longestGap: Gap | null;
  monthsSinceLastContribution: number | null;
  employmentTypes12: string[];
  salaryTypes12: string[];
  salaryComprehensive12: boolean;
  flags: SummaryFlag[];
  /** Income of each of the 24 months ending at L, for the chart (0 where nothing was paid). */
  monthlyIncome: Array<{ month: string; income: number; contributed: boolean }>;
};

export const INCOME_DROP_THRESHOLD_PERCENT = -20;
const FINAL_STATUSES = new Set(['FINAL_MONTH', 'RETIREMENT_MONTH']);

type Entry = {
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

function entriesOf(employments: Employment[]): Entry[] {
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

const average = (values: number[]) =>
  values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;

export function summarize(employments: Employment[]): Summary {
  const entries = entriesOf(employments);
  const incomeByMonth = new Map<string, number>();
  for (const entry of entries)
    incomeByMonth.set(entry.month, (incomeByMonth.get(entry.month) ?? 0) + entry.gross);
  const months = [...incomeByMonth.keys()].sort();
  const latestMonth = months.at(-1) ?? null;
  const employerCount = new Set(employments.map(employerKeyOf)).size;
  const collectedMonth = employments
    .map((employment) => monthOfTimestamp(employment.collected_at))
    .filter((month): month is string => month !== null)
    .sort()
    .at(-1);

  if (!latestMonth) {
    return {
      latestMonth: null,
      currentEmployers: [],
      latestIncome: null,
      average6: null,
      average12: null,
      monthsWithContribution12: 0,
      trendPercent: null,
      employerCount,
      gaps: [],
      longestGap: null,
      monthsSinceLastContribution: null,
      employmentTypes12: [],
      salaryTypes12: [],
      salaryComprehensive12: false,
      flags: ['no_recent_contribution'],
      monthlyIncome: [],
    };
  }

  const contributedIncomes = (window: string[]) =>
    window.filter((month) => incomeByMonth.has(month)).map((month) => incomeByMonth.get(month)!);
  const last12 = monthsEndingAt(latestMonth, 12);
  const last12Set = new Set(last12);

  const currentEmployers: CurrentEmployer[] = employments.flatMap((employment) => {
    const latestEntries = (employment.salary_and_benefit_details ?? []).filter(
      (detail) => detail.month === latestMonth,
    );
    if (latestEntries.length === 0) return [];
    if (
      latestEntries.some((detail) =>
        (detail.status_changes ?? []).some((status) => FINAL_STATUSES.has(status)),
      )
    )
      return [];
    const data = employment.employer_data;
    const gross = latestEntries.reduce((sum, detail) => sum + (detail.gross_amount ?? 0), 0);
    return [
      {
        name: data?.name ?? 'Empleador sin nombre',
        idType: data?.id_type ?? null,
        idNumber: data?.id_number === null || data?.id_number === undefined ? null : String(data.id_number),
        tenureMonths: typeof data?.tenure === 'number' ? data.tenure : null,
        latestGross: gross,
      },
    ];
  });

  const recent3 = average(contributedIncomes(monthsEndingAt(latestMonth, 3)));
  const yearBefore3 = average(contributedIncomes(monthsEndingAt(monthsEndingAt(latestMonth, 13)[0]!, 3)));
  const trendPercent =
    recent3 !== null && yearBefore3 !== null && yearBefore3 > 0
      ? ((recent3 - yearBefore3) / yearBefore3) * 100
      : null;

  const gaps: Gap[] = [];
  const span = monthsBetween(months[0]!, latestMonth) + 1;
  let run: string[] = [];
  for (const month of monthsEndingAt(latestMonth, span)) {
    if (incomeByMonth.has(month)) {
      if (run.length) gaps.push({ from: run[0]!, to: run.at(-1)!, months: run.length });
      run = [];
    } else {
      run.push(month);
    }
  }
  const longestGap = gaps.reduce<Gap | null>(
    (longest, gap) => (!longest || gap.months > longest.months ? gap : longest),
    null,
  );

  const recentEntries = entries.filter((entry) => last12Set.has(entry.month));
  const distinct = (values: Array<string | null>) =>
    [...new Set(values.filter((value): value is string => !!value))].sort();
  const employmentTypes12 = distinct(recentEntries.map((entry) => entry.employmentType));
  const monthsSinceLastContribution = collectedMonth
    ? Math.max(0, monthsBetween(latestMonth, collectedMonth))
    : null;

  const flags: SummaryFlag[] = [];
  if (monthsSinceLastContribution !== null && monthsSinceLastContribution > 3)
    flags.push('no_recent_contribution');
  if (trendPercent !== null && trendPercent < INCOME_DROP_THRESHOLD_PERCENT) flags.push('income_drop');
  if (currentEmployers.length > 1) flags.push('multiple_current_employers');
  if (employmentTypes12.length > 0 && employmentTypes12.every((type) => type === 'CONTRACTUAL'))
    flags.push('only_contractual');

  return {
    latestMonth,
    currentEmployers,
    latestIncome: incomeByMonth.get(latestMonth) ?? null,
    average6: average(contributedIncomes(monthsEndingAt(latestMonth, 6))),
    average12: average(contributedIncomes(last12)),
    monthsWithContribution12: contributedIncomes(last12).length,
    trendPercent,
    employerCount,
    gaps,
    longestGap,
    monthsSinceLastContribution,
    employmentTypes12,
    salaryTypes12: distinct(recentEntries.map((entry) => entry.salaryType)),
    salaryComprehensive12: recentEntries.some((entry) => entry.comprehensive),
    flags,
    monthlyIncome: monthsEndingAt(latestMonth, 24).map((month) => ({
      month,
      income: incomeByMonth.get(month) ?? 0,
      contributed: incomeByMonth.has(month),
    })),
  };
}
