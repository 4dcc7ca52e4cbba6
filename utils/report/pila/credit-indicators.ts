/**
 * The figures a Colombian credit analyst decides on, read the way PILA works. Each rule is written
 * beside its code; tests/unit/credit-indicators.test.ts holds a table per rule. L is the latest month
 * with any contribution; C the month the data was collected in.
 */
import { addMonths, monthsBetween, monthsEndingAt } from '../months.js';
import {
  type EmployerHistory,
  type EmployerMonth,
  isTypical,
  median,
  SEPARATION_STATUSES,
} from './employer-months.js';
import { estimateIncome, type IncomeEstimate } from './income-estimate.js';

/** The organisation's policy thresholds (settings; these are the defaults). */
export type IndicatorPolicy = {
  /** A current job younger than this many months is a recent hire. */
  recentHireMonths: number;
  /** Fewer months with contributions than this, of the last 12, is intermittent. */
  intermittentBelowMonths: number;
  /** A fall of regular income larger than this percentage is flagged. */
  incomeDropPercent: number;
  /** Declared income above this multiple of the estimate is flagged. */
  declaredRatioAbove: number;
};

export const DEFAULT_POLICY: IndicatorPolicy = {
  recentHireMonths: 6,
  intermittentBelowMonths: 10,
  incomeDropPercent: 20,
  declaredRatioAbove: 1.25,
};

/** Ley 1527 de 2012 art. 3: a payroll deduction may take at most half of the net salary. */
export const LIBRANZA_SHARE_OF_NET = 0.5;
/** Regular income: the median of up to this many typical months… */
const REGULAR_MONTHS = 3;
/** …within this many months up to the employer's last. */
const REGULAR_WINDOW = 6;
/** Income change compares with the typical months in L−8 … L−3. */
const BASELINE_FROM = 8;
const BASELINE_TO = 3;

export type CurrentEmployerFigures = {
  employerKey: string;
  name: string | null;
  idType: string | null;
  idNumber: string | null;
  lastMonth: string;
  /** False when the employer's planilla for L is not in the data yet (PILA is paid month in arrears). */
  filedLatestMonth: boolean;
  /** Consecutive months with this employer up to its last; `atLeast` when the run reaches the data's start. */
  tenure: { months: number; atLeast: boolean };
  /** Belvo's `tenure`, as reported (shown beside the one read from the data). */
  reportedTenure: number | null;
  /** Median reported base of its last (up to) 3 typical months within the last 6; null without one. */
  regularBase: number | null;
  regularMonths: string[];
  /** What that base suggests the applicant earns there (see income-estimate.ts). */
  regularEstimate: IncomeEstimate;
  latestBase: number;
  latestEstimate: IncomeEstimate;
};

export type CombinedEstimate =
  | { kind: 'exact' | 'at_least' | 'at_most'; amount: number }
  | { kind: 'none'; reason: 'no_regular_income' | 'no_estimate' | 'mixed_bounds' };

export type CreditFlag =
  | 'missed_filings'
  | 'income_drop'
  | 'intermittent'
  | 'recent_hire'
  | 'multiple_current_employers'
  | 'only_contractual'
  | 'pensioner'
  | 'declared_above_verified';

/**
 * Facts a lender reads in context rather than risks: shown apart, in neutral colours. Two current
 * employers may mean a second job, and a pension is income.
 */
export const FACT_FLAGS: ReadonlySet<CreditFlag> = new Set<CreditFlag>([
  'multiple_current_employers',
  'pensioner',
]);

export type CreditIndicators = {
  latestMonth: string;
  collectedMonth: string | null;
  currentEmployers: CurrentEmployerFigures[];
  /** Sum of the current employers' regular bases; null with the reason when there is none. */
  regularIncome: {
    amount: number | null;
    reason: 'no_current_employer' | 'no_typical_month' | null;
    partial: boolean;
  };
  /** What the regular bases suggest the applicant earns (an estimate, never mixed with the base). */
  regularEstimate: CombinedEstimate;
  /** Regular income against the median typical monthly total in L−8 … L−3, in %. */
  incomeChange: { percent: number | null; baseline: number | null; from: string; to: string };
  /** Average over the 12 calendar months up to L, months without contributions counting as zero. */
  calendarAverage12: number;
  monthsWithContribution12: number;
  /** Months due by the collection date (each month is paid during the next) that are not in the data. */
  missedFilings: number;
  employers12: number;
  separations24: number;
  pensioner: boolean;
  /** At most half of the net of the last typical month: a bound (existing deductions are unknown). */
  libranzaBound: { amount: number; month: string } | null;
  declared: { amount: number; ratio: number | null } | null;
  flags: CreditFlag[];
};

const typicalWithin = (history: EmployerHistory, from: string, to: string) =>
  history.months.filter((month) => month.month >= from && month.month <= to && isTypical(month));

function facts(month: EmployerMonth, base: number) {
  return {
    month: month.month,
    base,
    employmentType: month.employmentType,
    salaryComprehensive: month.salaryComprehensive,
  };
}

/**
 * Current: the employer's last month is L or L−1 (its planilla for L may not be filed yet: deadlines
 * run into the following month by NIT), and that last entry does not end the job.
 */
function isCurrent(history: EmployerHistory, latestMonth: string): boolean {
  const last = history.months.at(-1);
  if (!last || monthsBetween(last.month, latestMonth) > 1) return false;
  return !SEPARATION_STATUSES.some((status) => last.statuses.includes(status));
}

/** Consecutive months up to the employer's last; reaching the first month of the data means "at least". */
function tenureOf(history: EmployerHistory, dataStart: string): { months: number; atLeast: boolean } {
  const present = new Set(history.months.map((month) => month.month));
  let cursor = history.months.at(-1)!.month;
  let months = 0;
  while (present.has(cursor)) {
    months++;
    cursor = addMonths(cursor, -1);
  }
  return { months, atLeast: addMonths(cursor, 1) <= dataStart };
}

function combine(estimates: IncomeEstimate[]): CombinedEstimate {
  if (estimates.length === 0) return { kind: 'none', reason: 'no_regular_income' };
  if (estimates.some((estimate) => estimate.kind === 'none')) return { kind: 'none', reason: 'no_estimate' };
  const kinds = new Set(estimates.map((estimate) => estimate.kind));
  const amount = estimates.reduce(
    (sum, estimate) => sum + (estimate.kind === 'none' ? 0 : estimate.amount),
    0,
  );
  if (kinds.size === 1) return { kind: [...kinds][0] as 'exact' | 'at_least' | 'at_most', amount };
  if (!kinds.has('at_most')) return { kind: 'at_least', amount };
  if (!kinds.has('at_least')) return { kind: 'at_most', amount };
  return { kind: 'none', reason: 'mixed_bounds' };
}

export function creditIndicatorsOf(
  histories: EmployerHistory[],
  latestMonth: string,
  collectedMonth: string | null,
  options: { policy?: IndicatorPolicy; declaredIncome?: number | null } = {},
): CreditIndicators {
  const policy = options.policy ?? DEFAULT_POLICY;
  const all = histories.flatMap((history) => history.months);
  const dataStart = all.map((month) => month.month).sort()[0] ?? latestMonth;
  const last12 = monthsEndingAt(latestMonth, 12);
  const last12From = last12[0]!;

  const currentEmployers: CurrentEmployerFigures[] = histories
    .filter((history) => isCurrent(history, latestMonth))
    .map((history) => {
      const last = history.months.at(-1)!;
      const recentTypical = typicalWithin(
        history,
        addMonths(last.month, 1 - REGULAR_WINDOW),
        last.month,
      ).slice(-REGULAR_MONTHS);
      const regularBase = median(recentTypical.map((month) => month.gross));
      const newestTypical = recentTypical.at(-1);
      return {
        employerKey: history.employerKey,
        name: history.name,
        idType: history.idType,
        idNumber: history.idNumber,
        lastMonth: last.month,
        filedLatestMonth: last.month === latestMonth,
        tenure: tenureOf(history, dataStart),
        reportedTenure: history.reportedTenure,
        regularBase,
        regularMonths: recentTypical.map((month) => month.month),
        regularEstimate:
          regularBase === null || !newestTypical
            ? { kind: 'none', reason: 'no_base' }
            : estimateIncome(facts(newestTypical, regularBase)),
        latestBase: last.gross,
        latestEstimate: estimateIncome(facts(last, last.gross)),
      };
    });

  const withRegular = currentEmployers.filter((employer) => employer.regularBase !== null);
  const regularIncome: CreditIndicators['regularIncome'] =
    currentEmployers.length === 0
      ? { amount: null, reason: 'no_current_employer', partial: false }
      : withRegular.length === 0
        ? { amount: null, reason: 'no_typical_month', partial: false }
        : {
            amount: withRegular.reduce((sum, employer) => sum + employer.regularBase!, 0),
            reason: null,
            partial: withRegular.length < currentEmployers.length,
          };
  const regularEstimate = combine(withRegular.map((employer) => employer.regularEstimate));

  // Typical monthly totals: months in which every employer's entry is typical.
  const monthTotals = new Map<string, { total: number; typical: boolean }>();
  for (const month of all) {
    const total = monthTotals.get(month.month) ?? { total: 0, typical: true };
    total.total += month.gross;
    total.typical &&= isTypical(month);
    monthTotals.set(month.month, total);
  }
  const baselineFrom = addMonths(latestMonth, -BASELINE_FROM);
  const baselineTo = addMonths(latestMonth, -BASELINE_TO);
  const baseline = median(
    [...monthTotals.entries()]
      .filter(([month, total]) => month >= baselineFrom && month <= baselineTo && total.typical)
      .map(([, total]) => total.total),
  );
  const changePercent =
    regularIncome.amount !== null && baseline !== null && baseline > 0
      ? ((regularIncome.amount - baseline) / baseline) * 100
      : null;

  const contributed12 = last12.filter((month) => monthTotals.has(month));
  const calendarAverage12 = last12.reduce((sum, month) => sum + (monthTotals.get(month)?.total ?? 0), 0) / 12;

  // Each month's planilla is paid during the next month, so by C every month up to C−1 is due.
  const missedFilings = collectedMonth
    ? Math.max(0, monthsBetween(latestMonth, addMonths(collectedMonth, -1)))
    : 0;

  const recent = all.filter((month) => month.month >= last12From);
  const employers12 = new Set(recent.map((month) => month.employerKey)).size;
  const last24From = addMonths(latestMonth, -23);
  const separations24 = all.filter(
    (month) =>
      month.month >= last24From && SEPARATION_STATUSES.some((status) => month.statuses.includes(status)),
  ).length;
  const pensioner = recent.some((month) => month.employmentType === 'PENSIONED');
  const recentTypes = [...new Set(recent.map((month) => month.employmentType).filter(Boolean))];

  const lastTypicalMonth = [...monthTotals.entries()]
    .filter(([, total]) => total.typical)
    .map(([month]) => month)
    .sort()
    .at(-1);
  const lastTypicalNet = lastTypicalMonth
    ? all.filter((month) => month.month === lastTypicalMonth).map((month) => month.net)
    : [];
  const libranzaBound =
    lastTypicalMonth && lastTypicalNet.length > 0 && lastTypicalNet.every((net) => net !== null)
      ? {
          amount: Math.round(LIBRANZA_SHARE_OF_NET * lastTypicalNet.reduce((sum, net) => sum + net!, 0)),
          month: lastTypicalMonth,
        }
      : null;

  const declaredIncome = options.declaredIncome ?? null;
  const declared =
    declaredIncome !== null && declaredIncome > 0
      ? {
          amount: declaredIncome,
          ratio:
            regularEstimate.kind === 'exact' || regularEstimate.kind === 'at_least'
              ? declaredIncome / regularEstimate.amount
              : null,
        }
      : null;

  const recentHireFrom = addMonths(latestMonth, -policy.recentHireMonths);
  const firstMonthRecently = all.some(
    (month) => month.month > recentHireFrom && month.statuses.includes('FIRST_MONTH'),
  );
  const flags: CreditFlag[] = [];
  if (missedFilings >= 2) flags.push('missed_filings');
  if (changePercent !== null && changePercent < -policy.incomeDropPercent) flags.push('income_drop');
  if (contributed12.length < policy.intermittentBelowMonths) flags.push('intermittent');
  if (
    firstMonthRecently ||
    (currentEmployers.length > 0 &&
      currentEmployers.every(
        (employer) => !employer.tenure.atLeast && employer.tenure.months < policy.recentHireMonths,
      ))
  ) {
    flags.push('recent_hire');
  }
  if (currentEmployers.length > 1) flags.push('multiple_current_employers');
  if (recentTypes.length > 0 && recentTypes.every((type) => type === 'CONTRACTUAL'))
    flags.push('only_contractual');
  if (pensioner) flags.push('pensioner');
  if (
    declared?.ratio !== null &&
    declared?.ratio !== undefined &&
    declared.ratio > policy.declaredRatioAbove
  ) {
    flags.push('declared_above_verified');
  }

  return {
    latestMonth,
    collectedMonth,
    currentEmployers,
    regularIncome,
    regularEstimate,
    incomeChange: { percent: changePercent, baseline, from: baselineFrom, to: baselineTo },
    calendarAverage12,
    monthsWithContribution12: contributed12.length,
    missedFilings,
    employers12,
    separations24,
    pensioner,
    libranzaBound,
    declared,
    flags,
  };
}
