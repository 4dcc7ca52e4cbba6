import type { EmployerMonth } from '../credit/employer-months.js';

const distinct = (values: Array<string | null>) =>
  [...new Set(values.filter((value): value is string => !!value))].sort();

/** The `employment_type` and `salary_type` values seen in `months`, and whether any of them was salario integral. */
export function kindsOfWorkOf(months: EmployerMonth[]) {
  return {
    employmentTypes12: distinct(months.flatMap((month) => month.employmentTypes)),
    salaryTypes12: distinct(months.map((month) => month.salaryType)),
    salaryComprehensive12: months.some((month) => month.salaryComprehensive),
  };
}
