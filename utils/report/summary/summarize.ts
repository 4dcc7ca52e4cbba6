/**
 * The summary an analyst reads in five seconds: the history's figures (one module each beside this
 * one) and the credit indicators read the way PILA works (utils/report/credit/, docs/credit-reading.md).
 * Pure: same report and options in, same summary out; it never throws on what Belvo sends, and says
 * what it left out.
 */
import type { Employment } from '@lupa/contract';
import { type Consultation, consultationOf } from '../credit/consultation.js';
import {
  type CreditFlag,
  type CreditIndicators,
  type CurrentEmployerFigures,
  creditIndicatorsOf,
  type IndicatorPolicy,
} from '../credit/credit-indicators.js';
import { type EmployerHistory, employerMonthsOf, type SkippedData } from '../credit/employer-months.js';
import { monthsBetween, monthsEndingAt } from '../months.js';
import { allMonthsOf, monthsAcrossEmployersOf } from './contributions.js';
import { type Gap, gapsOf, longestGapOf } from './gaps.js';
import { type ChartMonth, incomeAveragesOf, incomeTrendPercentOf, monthlyIncomeOf } from './income.js';
import { kindsOfWorkOf } from './kinds-of-work.js';

export type { CreditFlag, CurrentEmployerFigures, Gap };

export type Summary = {
  consultation: Consultation;
  /** The most recent month with any line, up to the consultation; null when there is no PILA data. */
  latestMonth: string | null;
  /** Current employers (docs/credit-reading.md rule 6). */
  currentEmployers: CurrentEmployerFigures[];
  /** The bases of the latest month added; null when it had none. */
  latestIncome: number | null;
  average6: number | null;
  average12: number | null;
  /** Average of the 3 months ending at D against the same months a year earlier, in %: information only. */
  trendPercent: number | null;
  employerCount: number;
  gaps: Gap[];
  longestGap: Gap | null;
  /** Months from the latest month with a line to the consultation month. */
  monthsSinceLastContribution: number | null;
  employmentTypes12: string[];
  salaryTypes12: string[];
  salaryComprehensive12: boolean;
  /** The credit indicators; null when there is no PILA data. */
  credit: CreditIndicators | null;
  flags: CreditFlag[];
  /** What was not used, and why. */
  skipped: SkippedData;
  /** Every employer's months as the figures read them, for the detail. */
  histories: EmployerHistory[];
  /** Each of the 24 months ending at the later of D and the latest month, for the chart. */
  monthlyIncome: ChartMonth[];
};

export type SummaryOptions = {
  /** When the lookup was created: the consultation date when no record has a readable `collected_at`. */
  consultedAt: string;
  policy?: IndicatorPolicy;
  /** The applicant's declared monthly income, as the analyst typed it. */
  declaredIncome?: number | null;
  /** The payroll agreement's employer NIT (CRM record, batch file or the analyst): rule 16. */
  agreementNit?: string | null;
  /** The applicant's name in the CRM record and PILA's owner name: rule 17. */
  names?: { crm: string | null; pila: string | null };
};

/**
 * What the analyst adds to a lookup while reading it, compared with PILA: the declared income, the
 * agreement's NIT and the applicant's name as the CRM record shows it.
 */
export type CaseInputs = {
  declaredIncome: number | null;
  agreementNit: string | null;
  crmName: string | null;
};

export function summarize(employments: Employment[], options: SummaryOptions): Summary {
  const consultation = consultationOf(
    employments.map((employment) => employment.collected_at),
    options.consultedAt,
  );
  const { histories, skipped } = employerMonthsOf(employments, consultation.month);
  const { incomeByMonth, monthsWithLines } = monthsAcrossEmployersOf(histories);
  const latestMonth = [...monthsWithLines].sort().at(-1) ?? null;
  const employerCount = histories.length;
  const credit = creditIndicatorsOf(histories, consultation, skipped, options);

  if (!latestMonth || !credit) {
    return {
      consultation,
      latestMonth: null,
      currentEmployers: [],
      latestIncome: null,
      average6: null,
      average12: null,
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
      skipped,
      histories,
      monthlyIncome: [],
    };
  }

  const due = consultation.latestDueMonth;
  const gaps = gapsOf(monthsWithLines, due);
  const last12 = new Set(monthsEndingAt(due, 12));
  const recentMonths = allMonthsOf(histories).filter((month) => last12.has(month.month));
  return {
    consultation,
    latestMonth,
    currentEmployers: credit.currentEmployers,
    ...incomeAveragesOf(incomeByMonth, latestMonth, due),
    trendPercent: incomeTrendPercentOf(incomeByMonth, due),
    employerCount,
    gaps,
    longestGap: longestGapOf(gaps),
    monthsSinceLastContribution: Math.max(0, monthsBetween(latestMonth, consultation.month)),
    ...kindsOfWorkOf(recentMonths),
    credit,
    flags: credit.flags,
    skipped,
    histories,
    monthlyIncome: monthlyIncomeOf(
      incomeByMonth,
      monthsWithLines,
      [latestMonth, due].sort().at(-1)!,
      histories,
      due,
    ),
  };
}
