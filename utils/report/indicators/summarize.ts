/**
 * The summary an analyst reads in five seconds, computed from Belvo's employments exactly as DESIGN §7
 * defines it, one module per indicator beside this one. Pure: same report in, same summary out.
 */
import type { Employment } from '@lupa/contract';
import { monthsBetween } from '../months.js';
import {
  collectedMonthOf,
  contributionsOf,
  employerKeyOf,
  incomeByMonthOf,
  latestMonthOf,
} from './contributions.js';
import { type CurrentEmployer, currentEmployersOf } from './current-employers.js';
import { flagsOf, type SummaryFlag } from './flags.js';
import { type Gap, gapsOf, longestGapOf } from './gaps.js';
import { incomeAveragesOf, incomeTrendPercentOf, monthlyIncomeOf } from './income.js';
import { kindsOfWorkOf } from './kinds-of-work.js';

export type { CurrentEmployer, Gap, SummaryFlag };

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

export function summarize(employments: Employment[]): Summary {
  const contributions = contributionsOf(employments);
  const incomeByMonth = incomeByMonthOf(contributions);
  const latestMonth = latestMonthOf(incomeByMonth);
  const employerCount = new Set(employments.map(employerKeyOf)).size;

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

  const currentEmployers = currentEmployersOf(employments, latestMonth);
  const trendPercent = incomeTrendPercentOf(incomeByMonth, latestMonth);
  const gaps = gapsOf(incomeByMonth, latestMonth);
  const kinds = kindsOfWorkOf(contributions, latestMonth);
  const collectedMonth = collectedMonthOf(employments);
  const monthsSinceLastContribution = collectedMonth
    ? Math.max(0, monthsBetween(latestMonth, collectedMonth))
    : null;

  return {
    latestMonth,
    currentEmployers,
    ...incomeAveragesOf(incomeByMonth, latestMonth),
    trendPercent,
    employerCount,
    gaps,
    longestGap: longestGapOf(gaps),
    monthsSinceLastContribution,
    ...kinds,
    flags: flagsOf({
      monthsSinceLastContribution,
      trendPercent,
      currentEmployerCount: currentEmployers.length,
      employmentTypes12: kinds.employmentTypes12,
    }),
    monthlyIncome: monthlyIncomeOf(incomeByMonth, latestMonth),
  };
}
