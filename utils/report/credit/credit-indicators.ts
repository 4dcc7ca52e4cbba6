/**
 * The figures a Colombian credit analyst decides on, each one rule of docs/credit-reading.md (the rule's
 * number is beside its function). Every "today" figure is measured against D, the latest month due at
 * the consultation (consultation.ts), never against the latest month in the data.
 */
import { type AlertThresholds, DEFAULT_ALERT_THRESHOLDS } from '@lupa/contract/alert-thresholds';
import { addMonths, monthsBetween, monthsEndingAt } from '../months.js';
import type { Consultation } from './consultation.js';
import {
  type EmployerHistory,
  type EmployerMonth,
  isTypical,
  median,
  SEPARATION_STATUSES,
  type SkippedData,
} from './employer-months.js';
import { estimateIncome, type IncomeEstimate } from './income-estimate.js';
import { type AgreementCheck, agreementCheckOf, type NameCheck, nameCheckOf } from './record-checks.js';
import { smmlvOf } from './smmlv.js';

/** The organisation's alert thresholds (contract/src/alert-thresholds.ts). */
export type IndicatorPolicy = AlertThresholds;
export const DEFAULT_POLICY: IndicatorPolicy = DEFAULT_ALERT_THRESHOLDS;

/** Ley 1527 de 2012 art. 3: a payroll deduction may take at most half of the net salary. */
export const LIBRANZA_SHARE_OF_NET = 0.5;
/** Employee's health contribution (Ley 100 de 1993 art. 204). */
export const HEALTH_SHARE = 0.04;
/** Employee's pension contribution (Ley 100 de 1993 art. 20). */
export const PENSION_SHARE = 0.04;
/** Regular income: the median of up to this many typical months… */
const REGULAR_MONTHS = 3;
/** …within this many months up to the employer's last. */
const REGULAR_WINDOW = 6;
/** Income change compares with the typical months in D−11 … D−6 (rule 13). */
const BASELINE_FROM = 11;
const BASELINE_TO = 6;
/** Gaps of up to this many months do not break tenure (rule 7). */
const TENURE_GAP_TOLERATED = 2;
/** Belvo returns PILA's last 24 months, the ones before the consultation month. */
export const MONTHS_COVERED = 24;

/**
 * Fondo de Solidaridad Pensional (Ley 797 de 2003 art. 8, which rewrote Ley 100 de 1993 art. 27): the
 * share of the base, by the base in SMMLV.
 */
export function solidarityShareOf(baseInSmmlv: number): number {
  if (baseInSmmlv < 4) return 0;
  if (baseInSmmlv < 16) return 0.01;
  if (baseInSmmlv < 17) return 0.012;
  if (baseInSmmlv < 18) return 0.014;
  if (baseInSmmlv < 19) return 0.016;
  // "Superiores a 20 SMMLV": exactly 20 is still in the band below.
  if (baseInSmmlv <= 20) return 0.018;
  return 0.02;
}

export type Tenure = {
  /** The run up to the employer's last month, gaps of up to 2 months included. */
  months: number;
  /** The run reaches the first month the consultation covers: the real tenure may be longer. */
  atLeast: boolean;
};

export type LibranzaBound =
  | {
      kind: 'bound';
      amount: number;
      net: number;
      /** Belvo's net_amount, or the base less the deductions named here. */
      netSource: 'reported' | 'computed';
      deductions: { health: number; pension: number; solidarity: number; solidarityShare: number } | null;
    }
  | { kind: 'none'; reason: 'no_regular_pay' | 'no_net' };

export type CurrentEmployerFigures = {
  employerKey: string;
  name: string | null;
  idType: string | null;
  idNumber: string | null;
  unidentifiedNumber: number | null;
  lastMonth: string;
  /** False when another employer already reported a later month this one has not (not due yet). */
  filedLatestMonth: boolean;
  tenure: Tenure;
  /** Belvo's `tenure`, as reported. */
  reportedTenure: number | null;
  /** Median base of its last (up to) 3 typical months within the last 6; null without one. */
  regularBase: number | null;
  regularMonths: string[];
  /** What that base suggests the applicant earns there (see income-estimate.ts). */
  regularEstimate: IncomeEstimate;
  latestBase: number | null;
  libranza: LibranzaBound;
};

export type CombinedEstimate =
  | {
      /** mixed: lower and upper bounds added; the text says it is a combination. */
      kind: 'exact' | 'at_least' | 'at_most' | 'mixed';
      amount: number;
    }
  | { kind: 'none'; reason: 'no_regular_income' | 'no_estimate' };

export type CreditFlag =
  | 'no_current_employer'
  | 'income_drop'
  | 'intermittent'
  | 'recent_hire'
  | 'multiple_current_employers'
  | 'only_contractual'
  | 'pensioner'
  | 'declared_above_verified'
  | 'agreement_employer_not_current'
  | 'agreement_nit_invalid'
  | 'name_mismatch';

/**
 * Facts a lender reads in context rather than risks: shown apart, in neutral colours. Two current
 * employers may mean a second job, and a pension is income.
 */
export const FACT_FLAGS: ReadonlySet<CreditFlag> = new Set<CreditFlag>([
  'multiple_current_employers',
  'pensioner',
]);

export type CreditIndicators = {
  consultation: Consultation;
  /** The thresholds that applied. */
  policy: IndicatorPolicy;
  /** The latest month with any line (up to the consultation month). */
  latestMonth: string;
  currentEmployers: CurrentEmployerFigures[];
  /** With no current employer: the last month with a contribution and the due months since without one. */
  withoutCurrentEmployer: { lastMonth: string; dueMonthsWithout: number } | null;
  /** Sum of the current employers' regular bases; null with the reason when there is none. */
  regularIncome: {
    amount: number | null;
    reason: 'no_current_employer' | 'no_typical_month' | null;
    partial: boolean;
  };
  /** What the regular bases suggest the applicant earns (an estimate, never mixed with the base). */
  regularEstimate: CombinedEstimate;
  /** Regular income against the median typical monthly total in D−11 … D−6, in %. */
  incomeChange: { percent: number | null; baseline: number | null; from: string; to: string };
  /** Average over the 12 months up to D: months without a line count as zero, months without a base not at all. */
  calendarAverage12: number | null;
  monthsWithContribution12: number;
  monthsWithoutBase12: number;
  employers12: number;
  separations24: number;
  pensioner: boolean;
  /**
   * A libranza is deducted by one employer (rule 11): with an agreement's NIT, that employer's bound
   * when it is current and none otherwise (rule 16); without one, the highest current employer's.
   */
  libranzaBound: { amount: number; employerKey: string; basis: 'agreement' | 'highest' } | null;
  /** The payroll agreement's employer against PILA (rule 16); null when no NIT was given. */
  agreement: AgreementCheck | null;
  /** The CRM record's name against PILA's owner (rule 17); null when there is nothing to compare. */
  nameCheck: NameCheck | null;
  declared: { amount: number; ratio: number | null; comparedWith: CombinedEstimate['kind'] } | null;
  skipped: SkippedData;
  flags: CreditFlag[];
};

const hasSeparation = (month: EmployerMonth) =>
  SEPARATION_STATUSES.some((status) => month.statuses.includes(status));

/** Rule 6: a line in D or later, and the last one does not end the job. */
export function isCurrent(history: EmployerHistory, latestDueMonth: string): boolean {
  const last = history.months.at(-1);
  return !!last && last.month >= latestDueMonth && !hasSeparation(last);
}

/** Rule 7: the run ending at the employer's last month, gaps of up to 2 months included. */
export function tenureOf(history: EmployerHistory, coveredFrom: string): Tenure {
  const months = history.months.map((month) => month.month);
  const last = months.at(-1)!;
  let start = last;
  for (let index = months.length - 2; index >= 0; index--) {
    if (monthsBetween(months[index]!, start) - 1 > TENURE_GAP_TOLERATED) break;
    start = months[index]!;
  }
  return { months: monthsBetween(start, last) + 1, atLeast: start <= coveredFrom };
}

/** Rule 7: the tenure to read, the run in the data or Belvo's reported tenure when larger. */
export const tenureMonthsOf = (employer: Pick<CurrentEmployerFigures, 'tenure' | 'reportedTenure'>) =>
  Math.max(employer.tenure.months, employer.reportedTenure ?? 0);

/** Rule 8: the median base of the last 3 typical months within the 6 up to the employer's last. */
function regularPayOf(history: EmployerHistory): EmployerMonth[] {
  const last = history.months.at(-1)!.month;
  const from = addMonths(last, 1 - REGULAR_WINDOW);
  return history.months.filter((month) => month.month >= from && isTypical(month)).slice(-REGULAR_MONTHS);
}

const estimateFacts = (month: EmployerMonth, base: number | null) => ({
  month: month.month,
  base,
  employmentType: month.employmentType,
  salaryComprehensive: month.salaryComprehensive,
});

/**
 * Rule 9 on the regular pay: each regular month estimated with its own year's SMMLV (a base of
 * December is never judged against January's minimum), then the median of those estimates when they
 * agree in kind, else the newest month's.
 */
export function regularEstimateOf(regular: EmployerMonth[]): IncomeEstimate {
  const estimates = regular.map((month) => estimateIncome(estimateFacts(month, month.base)));
  const newest = estimates.at(-1)!;
  if (newest.kind === 'none') return newest;
  const amounts: number[] = [];
  for (const estimate of estimates) {
    if (estimate.kind === 'none' || estimate.kind !== newest.kind || estimate.rule !== newest.rule)
      return newest;
    amounts.push(estimate.amount);
  }
  return { ...newest, amount: Math.round(median(amounts)!) };
}

/** Rule 11: half the net of the employer's regular pay. */
export function libranzaBoundOf(regular: EmployerMonth[], regularBase: number | null): LibranzaBound {
  if (regular.length === 0 || regularBase === null) return { kind: 'none', reason: 'no_regular_pay' };
  const nets = regular.map((month) => month.net);
  if (nets.every((net) => net !== null)) {
    const net = median(nets as number[])!;
    return {
      kind: 'bound',
      amount: Math.round(LIBRANZA_SHARE_OF_NET * net),
      net: Math.round(net),
      netSource: 'reported',
      deductions: null,
    };
  }
  const newest = regular.at(-1)!;
  const smmlv = smmlvOf(newest.month);
  const salaried = newest.employmentType === null || newest.employmentType === 'SALARIED';
  if (!salaried || newest.salaryComprehensive || smmlv === null) return { kind: 'none', reason: 'no_net' };
  const health = Math.round(regularBase * HEALTH_SHARE);
  const pension = Math.round(regularBase * PENSION_SHARE);
  const solidarityShare = solidarityShareOf(regularBase / smmlv);
  const solidarity = Math.round(regularBase * solidarityShare);
  const net = Math.round(regularBase) - health - pension - solidarity;
  return {
    kind: 'bound',
    amount: Math.round(LIBRANZA_SHARE_OF_NET * net),
    net,
    netSource: 'computed',
    deductions: { health, pension, solidarity, solidarityShare },
  };
}

function currentEmployerFigures(
  history: EmployerHistory,
  coveredFrom: string,
  latestMonth: string,
): CurrentEmployerFigures {
  const last = history.months.at(-1)!;
  const regular = regularPayOf(history);
  const regularBase = median(regular.map((month) => month.base!));
  const newestTypical = regular.at(-1);
  return {
    employerKey: history.employerKey,
    name: history.name,
    idType: history.idType,
    idNumber: history.idNumber,
    unidentifiedNumber: history.unidentifiedNumber,
    lastMonth: last.month,
    filedLatestMonth: last.month === latestMonth,
    tenure: tenureOf(history, coveredFrom),
    reportedTenure: history.reportedTenure,
    regularBase,
    regularMonths: regular.map((month) => month.month),
    regularEstimate:
      regularBase === null || !newestTypical
        ? { kind: 'none', reason: 'no_base' }
        : regularEstimateOf(regular),
    latestBase: last.base,
    libranza: libranzaBoundOf(regular, regularBase),
  };
}

/** Rule 9: the current employers' estimates added, saying when bounds point different ways. */
export function combineEstimates(estimates: IncomeEstimate[]): CombinedEstimate {
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
  return { kind: 'mixed', amount };
}

type MonthTotals = Map<string, { total: number; typical: boolean; withBase: boolean }>;

/** Each month's total over employers: its bases added, whether every entry is typical, whether any has a base. */
function monthTotalsOf(histories: EmployerHistory[]): MonthTotals {
  const totals = new Map<string, { total: number; typical: boolean; withBase: boolean }>();
  for (const month of histories.flatMap((history) => history.months)) {
    const total = totals.get(month.month) ?? { total: 0, typical: true, withBase: false };
    total.total += month.base ?? 0;
    total.withBase ||= month.base !== null;
    total.typical &&= isTypical(month);
    totals.set(month.month, total);
  }
  return totals;
}

/** Rule 6: nobody current, the last month with a contribution and the due months since without one. */
export function withoutCurrentEmployerOf(
  all: EmployerMonth[],
  currentEmployers: CurrentEmployerFigures[],
  latestMonth: string,
  due: string,
): CreditIndicators['withoutCurrentEmployer'] {
  if (currentEmployers.length > 0) return null;
  const lastContributed =
    all
      .filter((month) => month.base !== null)
      .map((month) => month.month)
      .sort()
      .at(-1) ?? latestMonth;
  return { lastMonth: lastContributed, dueMonthsWithout: Math.max(0, monthsBetween(lastContributed, due)) };
}

/** Rule 8: the current employers' regular bases added, or why there is none. */
export function regularIncomeOf(
  currentEmployers: CurrentEmployerFigures[],
): CreditIndicators['regularIncome'] {
  const withRegular = currentEmployers.filter((employer) => employer.regularBase !== null);
  if (currentEmployers.length === 0) return { amount: null, reason: 'no_current_employer', partial: false };
  if (withRegular.length === 0) return { amount: null, reason: 'no_typical_month', partial: false };
  return {
    amount: withRegular.reduce((sum, employer) => sum + employer.regularBase!, 0),
    reason: null,
    partial: withRegular.length < currentEmployers.length,
  };
}

/** Rule 13: regular income against the median typical monthly total of D−11 … D−6. */
export function incomeChangeOf(
  totals: MonthTotals,
  regularIncome: number | null,
  due: string,
): CreditIndicators['incomeChange'] {
  const from = addMonths(due, -BASELINE_FROM);
  const to = addMonths(due, -BASELINE_TO);
  const baseline = median(
    [...totals.entries()]
      .filter(([month, total]) => month >= from && month <= to && total.typical)
      .map(([, total]) => total.total),
  );
  const percent =
    regularIncome !== null && baseline !== null && baseline > 0
      ? ((regularIncome - baseline) / baseline) * 100
      : null;
  return { percent, baseline, from, to };
}

/** Rule 12: a month without a line is zero; a month with lines but no base is left out. */
export function calendarAverageOf(totals: MonthTotals, due: string) {
  const last12 = monthsEndingAt(due, 12);
  const withBase = last12.filter((month) => totals.get(month)?.withBase);
  const withoutBase = last12.filter((month) => totals.has(month) && !totals.get(month)!.withBase);
  const counted = 12 - withoutBase.length;
  return {
    calendarAverage12:
      counted > 0 ? withBase.reduce((sum, month) => sum + totals.get(month)!.total, 0) / counted : null,
    monthsWithContribution12: withBase.length,
    monthsWithoutBase12: withoutBase.length,
  };
}

/**
 * Rules 11 and 16: a libranza is deducted by one employer: the agreement's employer's bound when it is
 * current, none when it is not, and the highest current employer's when no agreement is given.
 */
export function libranzaToShowOf(
  currentEmployers: CurrentEmployerFigures[],
  agreement: AgreementCheck | null,
): CreditIndicators['libranzaBound'] {
  if (agreement?.kind === 'current') {
    const employer = currentEmployers.find((candidate) => candidate.employerKey === agreement.employerKey);
    return employer?.libranza.kind === 'bound'
      ? { amount: employer.libranza.amount, employerKey: employer.employerKey, basis: 'agreement' }
      : null;
  }
  // Another employer cannot deduct under this agreement, and a mistyped NIT names no employer: no
  // bound rather than someone else's.
  if (agreement) return null;
  let highest: CreditIndicators['libranzaBound'] = null;
  for (const employer of currentEmployers) {
    if (employer.libranza.kind === 'bound' && employer.libranza.amount > (highest?.amount ?? -1)) {
      highest = { amount: employer.libranza.amount, employerKey: employer.employerKey, basis: 'highest' };
    }
  }
  return highest;
}

/** Rule 10: declared income against every kind of estimate, bounds and mixed sums included. */
export function declaredOf(
  declaredIncome: number | null | undefined,
  estimate: CombinedEstimate,
): CreditIndicators['declared'] {
  if (declaredIncome === null || declaredIncome === undefined) return null;
  if (!Number.isFinite(declaredIncome) || declaredIncome <= 0) return null;
  return {
    amount: declaredIncome,
    ratio: estimate.kind !== 'none' && estimate.amount > 0 ? declaredIncome / estimate.amount : null,
    comparedWith: estimate.kind,
  };
}

/** Rule 7: recent only when the data and Belvo's tenure both say so. */
const isRecentHire = (employer: CurrentEmployerFigures, policy: IndicatorPolicy) =>
  !employer.tenure.atLeast &&
  employer.tenure.months < policy.recentHireMonths &&
  (employer.reportedTenure === null || employer.reportedTenure < policy.recentHireMonths);

export function creditIndicatorsOf(
  histories: EmployerHistory[],
  consultation: Consultation,
  skipped: SkippedData,
  options: {
    policy?: IndicatorPolicy;
    declaredIncome?: number | null;
    /** The payroll agreement's employer NIT, as the CRM, the batch file or the analyst gives it. */
    agreementNit?: string | null;
    /** The applicant's name in the CRM record and PILA's owner name. */
    names?: { crm: string | null; pila: string | null };
  } = {},
): CreditIndicators | null {
  const policy = options.policy ?? DEFAULT_POLICY;
  const all = histories.flatMap((history) => history.months);
  const latestMonth = all
    .map((month) => month.month)
    .sort()
    .at(-1);
  if (!latestMonth) return null;
  const due = consultation.latestDueMonth;
  const coveredFrom = addMonths(consultation.month, -MONTHS_COVERED);

  const currentEmployers = histories
    .filter((history) => isCurrent(history, due))
    .map((history) => currentEmployerFigures(history, coveredFrom, latestMonth));
  const withoutCurrentEmployer = withoutCurrentEmployerOf(all, currentEmployers, latestMonth, due);
  const regularIncome = regularIncomeOf(currentEmployers);
  const regularEstimate = combineEstimates(
    currentEmployers
      .filter((employer) => employer.regularBase !== null)
      .map((employer) => employer.regularEstimate),
  );
  const totals = monthTotalsOf(histories);
  const incomeChange = incomeChangeOf(totals, regularIncome.amount, due);
  const calendar = calendarAverageOf(totals, due);

  // Rule 14: the 12 months up to D; separations in the 24 up to the consultation (a retirement filed
  // early is already a fact).
  const last12From = addMonths(due, -11);
  const last12 = all.filter((month) => month.month >= last12From && month.month <= due);
  const employers12 = new Set(last12.map((month) => month.employerKey)).size;
  const separations24 = all.filter(
    (month) => month.month >= addMonths(due, -23) && hasSeparation(month),
  ).length;
  const pensioner = last12.some((month) => month.employmentTypes.includes('PENSIONED'));
  // A line without a type reads as salaried (rule 9): it is not a contract.
  const onlyContractual =
    last12.length > 0 &&
    last12.every(
      (month) =>
        month.employmentTypes.length > 0 && month.employmentTypes.every((type) => type === 'CONTRACTUAL'),
    );
  const declared = declaredOf(options.declaredIncome, regularEstimate);
  const agreement = options.agreementNit?.trim()
    ? agreementCheckOf(
        options.agreementNit,
        histories,
        new Set(currentEmployers.map((employer) => employer.employerKey)),
      )
    : null;
  const nameCheck = options.names ? nameCheckOf(options.names.crm, options.names.pila) : null;

  const flags: CreditFlag[] = [];
  if (nameCheck === 'mismatch') flags.push('name_mismatch');
  if (withoutCurrentEmployer) flags.push('no_current_employer');
  if (agreement?.kind === 'not_current' || agreement?.kind === 'absent')
    flags.push('agreement_employer_not_current');
  if (agreement?.kind === 'invalid') flags.push('agreement_nit_invalid');
  if (incomeChange.percent !== null && incomeChange.percent < -policy.incomeDropPercent)
    flags.push('income_drop');
  if (calendar.monthsWithContribution12 < policy.intermittentBelowMonths) flags.push('intermittent');
  if (currentEmployers.length > 0 && currentEmployers.every((employer) => isRecentHire(employer, policy)))
    flags.push('recent_hire');
  if (currentEmployers.length > 1) flags.push('multiple_current_employers');
  if (onlyContractual) flags.push('only_contractual');
  if (pensioner) flags.push('pensioner');
  if (declared?.ratio != null && declared.ratio > policy.declaredRatioAbove)
    flags.push('declared_above_verified');

  return {
    consultation,
    policy,
    latestMonth,
    currentEmployers,
    withoutCurrentEmployer,
    regularIncome,
    regularEstimate,
    incomeChange,
    ...calendar,
    employers12,
    separations24,
    pensioner,
    libranzaBound: libranzaToShowOf(currentEmployers, agreement),
    agreement,
    nameCheck,
    declared,
    skipped,
    flags,
  };
}
