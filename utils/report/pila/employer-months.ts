/**
 * PILA by employer and month, with each month judged typical or not. A month is atypical for an
 * employer when its pay is not the regular one: the first or last month of the job (FIRST_MONTH,
 * FINAL_MONTH, RETIREMENT_MONTH: partial months), a leave (ON_LEAVE: incapacity or licence, paid on
 * another base), a temporary salary change (TEMPORARY_SALARY_CHANGE: a bonus, overtime), or several
 * lines for one employer in one month (a planilla split by a novedad). Regular income reads typical
 * months only.
 */
import type { Employment } from '@lupa/contract';
import { employerKeyOf } from '../indicators/contributions.js';
import { isMonth } from '../months.js';

export const ATYPICAL_STATUSES = [
  'FIRST_MONTH',
  'FINAL_MONTH',
  'RETIREMENT_MONTH',
  'ON_LEAVE',
  'TEMPORARY_SALARY_CHANGE',
] as const;
export const SEPARATION_STATUSES = ['FINAL_MONTH', 'RETIREMENT_MONTH'] as const;

export type AtypicalReason = (typeof ATYPICAL_STATUSES)[number] | 'SEVERAL_LINES';

export type EmployerMonth = {
  employerKey: string;
  month: string;
  /** Sum of the month's lines' gross_amount: the reported base. */
  gross: number;
  /** Sum of net_amount, null when no line has one. */
  net: number | null;
  lines: number;
  statuses: string[];
  employmentType: string | null;
  salaryComprehensive: boolean;
  atypical: AtypicalReason[];
};

export type EmployerHistory = {
  employerKey: string;
  name: string | null;
  idType: string | null;
  idNumber: string | null;
  /** Belvo's `tenure` (months with this employer), as reported. */
  reportedTenure: number | null;
  /** Oldest first. */
  months: EmployerMonth[];
};

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** One history per employer (Belvo may split one employer over several records), months merged. */
export function employerHistoriesOf(employments: Employment[]): EmployerHistory[] {
  const byEmployer = new Map<string, { history: EmployerHistory; byMonth: Map<string, EmployerMonth> }>();
  for (const employment of employments) {
    const key = employerKeyOf(employment);
    const data = employment.employer_data;
    let entry = byEmployer.get(key);
    if (!entry) {
      entry = {
        history: {
          employerKey: key,
          name: data?.name ?? null,
          idType: data?.id_type ?? null,
          idNumber: data?.id_number === null || data?.id_number === undefined ? null : String(data.id_number),
          reportedTenure: typeof data?.tenure === 'number' ? data.tenure : null,
          months: [],
        },
        byMonth: new Map(),
      };
      byEmployer.set(key, entry);
    }
    for (const detail of employment.salary_and_benefit_details ?? []) {
      if (!isMonth(detail.month)) continue;
      const statuses = Array.isArray(detail.status_changes) ? detail.status_changes : [];
      const existing = entry.byMonth.get(detail.month);
      const gross = finite(detail.gross_amount) ? detail.gross_amount : 0;
      const net = finite(detail.net_amount) ? detail.net_amount : null;
      if (existing) {
        existing.gross += gross;
        existing.net = net === null ? existing.net : (existing.net ?? 0) + net;
        existing.lines += 1;
        existing.statuses = [...new Set([...existing.statuses, ...statuses])];
        existing.salaryComprehensive ||= detail.salary_comprehensive === true;
      } else {
        entry.byMonth.set(detail.month, {
          employerKey: key,
          month: detail.month,
          gross,
          net,
          lines: 1,
          statuses,
          employmentType: detail.employment_type ?? null,
          salaryComprehensive: detail.salary_comprehensive === true,
          atypical: [],
        });
      }
    }
  }
  return [...byEmployer.values()].map(({ history, byMonth }) => {
    const months = [...byMonth.values()].sort((a, b) => a.month.localeCompare(b.month));
    for (const month of months) {
      month.atypical = [
        ...ATYPICAL_STATUSES.filter((status) => month.statuses.includes(status)),
        ...(month.lines > 1 ? (['SEVERAL_LINES'] as const) : []),
      ];
    }
    return { ...history, months };
  });
}

export const isTypical = (month: EmployerMonth) => month.atypical.length === 0;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
