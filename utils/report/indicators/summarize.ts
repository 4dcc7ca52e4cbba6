/**
 * The summary an analyst reads in five seconds: DESIGN §7's figures (one module each beside this one)
 * and the credit indicators read the way PILA works (utils/report/pila/). Pure: same report and
 * options in, same summary out.
 */
import type { Employment } from '@lupa/contract';
import { monthsBetween } from '../months.js';
import {
  type CreditFlag,
  type CreditIndicators,
  type CurrentEmployerFigures,
  creditIndicatorsOf,
  type IndicatorPolicy,
} from '../pila/credit-indicators.js';
import { employerHistoriesOf } from '../pila/employer-months.js';
import {
  collectedMonthOf,
  contributionsOf,
  employerKeyOf,
  incomeByMonthOf,
  latestMonthOf,
} from './contributions.js';
import { type Gap, gapsOf, longestGapOf } from './gaps.js';
import { incomeAveragesOf, incomeTrendPercentOf, monthlyIncomeOf } from './income.js';
import { kindsOfWorkOf } from './kinds-of-work.js';

export type { CreditFlag, CurrentEmployerFigures, Gap };

export type Summary = {
  /** The most recent month with any contribution (L); null when there is no PILA data. */
  latestMonth: string | null;
  /** Current employers, allowing for the filing lag (see pila/credit-indicators.ts). */
  currentEmployers: CurrentEmployerFigures[];
  latestIncome: number | null;
  average6: number | null;
  average12: number | null;
  monthsWithContribution12: number;
  /** Average of the 3 months ending at L against the same months a year earlier, in %: information only. */
  trendPercent: number | null;
  employerCount: number;
  gaps: Gap[];
  longestGap: Gap | null;
  monthsSinceLastContribution: number | null;
  employmentTypes12: string[];
  salaryTypes12: string[];
  salaryComprehensive12: boolean;
  /** The credit indicators; null when there is no PILA data. */
  credit: CreditIndicators | null;
  flags: CreditFlag[];
  /** Income of each of the 24 months ending at L, for the chart (0 where nothing was paid). */
  monthlyIncome: Array<{ month: string; income: number; contributed: boolean }>;
};

export type SummaryOptions = {
  policy?: IndicatorPolicy;
  /** The applicant's declared monthly income, as the analyst typed it. */
  declaredIncome?: number | null;
};

export function summarize(employments: Employment[], options: SummaryOptions = {}): Summary {
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
      credit: null,
      flags: [],
      monthlyIncome: [],
    };
  }

  const collectedMonth = collectedMonthOf(employments);
  const credit = creditIndicatorsOf(employerHistoriesOf(employments), latestMonth, collectedMonth, options);
  const gaps = gapsOf(incomeByMonth, latestMonth);
  return {
    latestMonth,
    currentEmployers: credit.currentEmployers,
    ...incomeAveragesOf(incomeByMonth, latestMonth),
    trendPercent: incomeTrendPercentOf(incomeByMonth, latestMonth),
    employerCount,
    gaps,
    longestGap: longestGapOf(gaps),
    monthsSinceLastContribution: collectedMonth
      ? Math.max(0, monthsBetween(latestMonth, collectedMonth))
      : null,
    ...kindsOfWorkOf(contributions, latestMonth),
    credit,
    flags: credit.flags,
    monthlyIncome: monthlyIncomeOf(incomeByMonth, latestMonth),
  };
}
