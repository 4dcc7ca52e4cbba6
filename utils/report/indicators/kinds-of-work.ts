import { monthsEndingAt } from '../months.js';
import type { Contribution } from './contributions.js';

const distinct = (values: Array<string | null>) =>
  [...new Set(values.filter((value): value is string => !!value))].sort();

/**
 * DESIGN §7: the `employment_type` values seen in the 12 months up to L, fixed or variable salary, and
 * whether any of those months was salario integral.
 */
export function kindsOfWorkOf(contributions: Contribution[], latestMonth: string) {
  const last12 = new Set(monthsEndingAt(latestMonth, 12));
  const recent = contributions.filter((entry) => last12.has(entry.month));
  return {
    employmentTypes12: distinct(recent.map((entry) => entry.employmentType)),
    salaryTypes12: distinct(recent.map((entry) => entry.salaryType)),
    salaryComprehensive12: recent.some((entry) => entry.comprehensive),
  };
}
