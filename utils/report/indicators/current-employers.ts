import type { Employment } from '@lupa/contract';

export type CurrentEmployer = {
  /** null when PILA gives no name; the UI says so in the analyst's language. */
  name: string | null;
  idType: string | null;
  idNumber: string | null;
  tenureMonths: number | null;
  latestGross: number | null;
};

const FINAL_STATUSES = new Set(['FINAL_MONTH', 'RETIREMENT_MONTH']);

/**
 * DESIGN §7: employers with an entry for the latest month L whose L entry has neither FINAL_MONTH nor
 * RETIREMENT_MONTH; tenure is Belvo's `tenure` (months) and the NIT is kept as a string.
 */
export function currentEmployersOf(employments: Employment[], latestMonth: string): CurrentEmployer[] {
  return employments.flatMap((employment) => {
    const latestEntries = (employment.salary_and_benefit_details ?? []).filter(
      (detail) => detail.month === latestMonth,
    );
    if (latestEntries.length === 0) return [];
    const ended = latestEntries.some((detail) =>
      (detail.status_changes ?? []).some((status) => FINAL_STATUSES.has(status)),
    );
    if (ended) return [];
    const data = employment.employer_data;
    return [
      {
        name: data?.name ?? null,
        idType: data?.id_type ?? null,
        idNumber: data?.id_number === null || data?.id_number === undefined ? null : String(data.id_number),
        tenureMonths: typeof data?.tenure === 'number' ? data.tenure : null,
        latestGross: latestEntries.reduce((sum, detail) => sum + (detail.gross_amount ?? 0), 0),
      },
    ];
  });
}
