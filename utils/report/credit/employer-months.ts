/**
 * PILA by employer and month, read the way docs/credit-reading.md says (rules 1 to 5): only readable
 * lines of months up to the consultation, employers told apart by the digits of their id, several
 * lines of one month added only when a novelty explains them (else a possible correction: the highest
 * line), a missing base kept missing, and every month judged typical or not. What was left out is
 * counted, for the summary to say so.
 */
import type { Employment } from '@lupa/contract';
import { isUnreadableRecord, UNREADABLE_STATUS } from '@lupa/contract/employment-reading';
import { isMonth } from '../months.js';

/** Belvo's documented novelties (`status_changes`). Anything else is unknown and never read as normal. */
export const KNOWN_STATUSES = [
  'FIRST_MONTH',
  'FINAL_MONTH',
  'RETIREMENT_MONTH',
  'ON_LEAVE',
  'ON_VACATION',
  'PERMANENT_SALARY_CHANGE',
  'TEMPORARY_SALARY_CHANGE',
] as const;
type KnownStatus = (typeof KNOWN_STATUSES)[number];

/** Novelties whose month is not regular pay (rule 5). */
export const ATYPICAL_STATUSES = [
  'FIRST_MONTH',
  'FINAL_MONTH',
  'RETIREMENT_MONTH',
  'ON_LEAVE',
  'TEMPORARY_SALARY_CHANGE',
] as const satisfies readonly KnownStatus[];
export const SEPARATION_STATUSES = [
  'FINAL_MONTH',
  'RETIREMENT_MONTH',
] as const satisfies readonly KnownStatus[];

const isKnownStatus = (status: string): status is KnownStatus =>
  (KNOWN_STATUSES as readonly string[]).includes(status);

export type AtypicalReason =
  | { kind: 'status'; status: (typeof ATYPICAL_STATUSES)[number] }
  | { kind: 'unknown_status'; status: string }
  | { kind: 'several_lines'; lines: number }
  | { kind: 'possible_correction'; lines: number }
  | { kind: 'no_base' };

export type EmployerMonth = {
  employerKey: string;
  month: string;
  /**
   * The month's base: the lines' bases added when a novelty explains the split, else the highest
   * (a possible correction); null when no line has a usable base ("sin base reportada").
   */
  base: number | null;
  /** Belvo's net for the same lines, null when any of them lacks one. */
  net: number | null;
  /** Distinct lines (identical ones count once). */
  lines: number;
  statuses: string[];
  /** The type of the line that stands for the month (the highest base). */
  employmentType: string | null;
  /** Every type the month's lines carry. */
  employmentTypes: string[];
  salaryType: string | null;
  salaryComprehensive: boolean;
  atypical: AtypicalReason[];
};

export type EmployerHistory = {
  employerKey: string;
  name: string | null;
  idType: string | null;
  /** The id's digits, as the employer is identified (rule 4). */
  idNumber: string | null;
  /** 1, 2, … for employers with neither name nor id ("Empleador sin identificar 1"). */
  unidentifiedNumber: number | null;
  /** Belvo's `tenure` (months with this employer), the largest any of its records reports. */
  reportedTenure: number | null;
  /** Oldest first. */
  months: EmployerMonth[];
};

/** What was not used, and why (rules 1 and 2): each count is said in the summary. */
export type SkippedData = {
  unreadableRecords: number;
  unreadableLines: number;
  malformedMonths: number;
  afterConsultation: number;
};

export type EmployerMonths = { histories: EmployerHistory[]; skipped: SkippedData };

/** A base is usable when it is a positive finite number; anything else is missing, never zero. */
export const usableAmount = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;

/** `900.123.456-7` → `900123456`: the check digit after a hyphen is not part of the NIT. */
export function idDigitsOf(idNumber: unknown): string | null {
  if (typeof idNumber === 'number')
    return Number.isFinite(idNumber) ? String(Math.trunc(Math.abs(idNumber))) : null;
  if (typeof idNumber !== 'string') return null;
  const withoutCheckDigit = idNumber.trim().replace(/\s*-\s*\d\s*$/, '');
  const digits = withoutCheckDigit.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  return digits === '' ? null : digits;
}

const normalisedName = (name: unknown): string | null => {
  if (typeof name !== 'string') return null;
  const folded = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('es-CO')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return folded === '' ? null : folded;
};

type Line = {
  base: number | null;
  net: number | null;
  statuses: string[];
  employmentType: string | null;
  salaryType: string | null;
  salaryComprehensive: boolean;
};

const lineIdentity = (line: Line) =>
  JSON.stringify([
    line.base,
    line.net,
    [...line.statuses].sort(),
    line.employmentType,
    line.salaryType,
    line.salaryComprehensive,
  ]);

/**
 * The month's distinct lines, the one that stands for the month first (the highest base), whatever
 * order Belvo sent them in.
 */
function distinctLinesOf(lines: Line[]): Line[] {
  // Nearly every month has one line: it needs neither identity nor order.
  if (lines.length === 1) return lines;
  return [...new Map(lines.map((line) => [lineIdentity(line), line])).entries()]
    .sort(
      ([identityA, a], [identityB, b]) => (b.base ?? -1) - (a.base ?? -1) || (identityA < identityB ? -1 : 1),
    )
    .map(([, line]) => line);
}

/** Why a month with these novelties, lines and base is not regular pay (rule 5). */
function atypicalReasonsOf(statuses: string[], lines: number, explained: boolean, base: number | null) {
  const reasons: AtypicalReason[] = [];
  for (const status of statuses) {
    if ((ATYPICAL_STATUSES as readonly string[]).includes(status))
      reasons.push({ kind: 'status', status: status as (typeof ATYPICAL_STATUSES)[number] });
    else if (!isKnownStatus(status)) reasons.push({ kind: 'unknown_status', status });
  }
  if (lines > 1) {
    reasons.push(explained ? { kind: 'several_lines', lines } : { kind: 'possible_correction', lines });
  }
  if (base === null) reasons.push({ kind: 'no_base' });
  return reasons;
}

/** One line: by far the usual month, read without building what several lines need. */
function singleLineMonth(employerKey: string, month: string, line: Line): EmployerMonth {
  const statuses = line.statuses.length > 0 ? [...new Set(line.statuses)].sort() : [];
  return {
    employerKey,
    month,
    base: line.base,
    net: line.base === null ? null : line.net,
    lines: 1,
    statuses,
    employmentType: line.employmentType,
    employmentTypes: line.employmentType === null ? [] : [line.employmentType],
    salaryType: line.salaryType,
    salaryComprehensive: line.salaryComprehensive,
    atypical: atypicalReasonsOf(statuses, 1, false, line.base),
  };
}

function monthOf(employerKey: string, month: string, allLines: Line[]): EmployerMonth {
  if (allLines.length === 1) return singleLineMonth(employerKey, month, allLines[0]!);
  const distinct = distinctLinesOf(allLines);
  if (distinct.length === 1) return singleLineMonth(employerKey, month, distinct[0]!);
  const statuses = [...new Set(distinct.flatMap((line) => line.statuses))].sort();
  const explained = statuses.some(isKnownStatus);
  const withBase = distinct.filter((line) => line.base !== null);
  let base: number | null = null;
  let net: number | null = null;
  if (withBase.length > 0) {
    if (!explained) {
      // A correction repeats the period: the highest line stands for the month, never the sum.
      base = withBase[0]!.base;
      net = withBase[0]!.net;
    } else {
      base = withBase.reduce((sum, line) => sum + line.base!, 0);
      net = withBase.every((line) => line.net !== null)
        ? withBase.reduce((sum, line) => sum + line.net!, 0)
        : null;
    }
  }
  return {
    employerKey,
    month,
    base,
    net,
    lines: distinct.length,
    statuses,
    employmentType: distinct.find((line) => line.employmentType !== null)?.employmentType ?? null,
    employmentTypes: [
      ...new Set(distinct.flatMap((line) => (line.employmentType === null ? [] : [line.employmentType]))),
    ].sort(),
    salaryType: distinct.find((line) => line.salaryType !== null)?.salaryType ?? null,
    salaryComprehensive: distinct.some((line) => line.salaryComprehensive),
    atypical: atypicalReasonsOf(statuses, distinct.length, explained, base),
  };
}

/**
 * One history per employer, whatever number of records Belvo splits it into. `consultationMonth`: C;
 * lines of later months are left out and counted (a typo must never become the latest month).
 */
export function employerMonthsOf(employments: Employment[], consultationMonth: string): EmployerMonths {
  const skipped: SkippedData = {
    unreadableRecords: 0,
    unreadableLines: 0,
    malformedMonths: 0,
    afterConsultation: 0,
  };
  const byEmployer = new Map<
    string,
    { history: Omit<EmployerHistory, 'months'>; linesByMonth: Map<string, Line[]> }
  >();
  let unidentified = 0;
  for (const employment of employments) {
    if (isUnreadableRecord(employment)) {
      skipped.unreadableRecords++;
      continue;
    }
    const data = employment.employer_data;
    const digits = idDigitsOf(data?.id_number);
    const name = normalisedName(data?.name);
    const key = digits ? `id:${digits}` : name ? `name:${name}` : `unidentified:${++unidentified}`;
    let entry = byEmployer.get(key);
    const reportedTenure =
      typeof data?.tenure === 'number' && Number.isFinite(data.tenure) && data.tenure >= 0
        ? data.tenure
        : null;
    if (!entry) {
      entry = {
        history: {
          employerKey: key,
          name: typeof data?.name === 'string' && data.name.trim() !== '' ? data.name.trim() : null,
          idType: data?.id_type ?? null,
          idNumber: digits,
          unidentifiedNumber: key.startsWith('unidentified:') ? unidentified : null,
          reportedTenure,
        },
        linesByMonth: new Map(),
      };
      byEmployer.set(key, entry);
    } else if (reportedTenure !== null && reportedTenure > (entry.history.reportedTenure ?? -1)) {
      entry.history.reportedTenure = reportedTenure;
    }
    for (const detail of employment.salary_and_benefit_details ?? []) {
      if (detail === null || typeof detail !== 'object') {
        skipped.unreadableLines++;
        continue;
      }
      if (!isMonth(detail.month)) {
        skipped.malformedMonths++;
        continue;
      }
      if (detail.month > consultationMonth) {
        skipped.afterConsultation++;
        continue;
      }
      const lines = entry.linesByMonth.get(detail.month) ?? [];
      lines.push({
        base: usableAmount(detail.gross_amount),
        net: usableAmount(detail.net_amount),
        statuses: Array.isArray(detail.status_changes)
          ? detail.status_changes.map((status) => (typeof status === 'string' ? status : UNREADABLE_STATUS))
          : [],
        employmentType: typeof detail.employment_type === 'string' ? detail.employment_type : null,
        salaryType: typeof detail.salary_type === 'string' ? detail.salary_type : null,
        salaryComprehensive: detail.salary_comprehensive === true,
      });
      entry.linesByMonth.set(detail.month, lines);
    }
  }
  const histories = [...byEmployer.values()].map(({ history, linesByMonth }) => ({
    ...history,
    months: [...linesByMonth.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([month, lines]) => monthOf(history.employerKey, month, lines)),
  }));
  return { histories, skipped };
}

export const isTypical = (month: EmployerMonth) => month.atypical.length === 0;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
