import type { Employment, SalaryAndBenefitDetail } from '@lupa/contract';
import { describe, expect, it } from 'vitest';
import { type SummaryOptions, summarize as summarizeWith } from '../../utils/report/summary/summarize.js';

/**
 * The history's figures (docs/credit-reading.md rules 12 to 14). Collected on Friday 20 November 2026
 * in Bogotá: C is November 2026 and the latest due month D is September 2026.
 */
const summarize = (employments: Employment[], options: Partial<SummaryOptions> = {}) =>
  summarizeWith(employments, { consultedAt: '2026-11-20T15:00:00Z', ...options });

type MonthSpec = Partial<SalaryAndBenefitDetail> & { month: string | null };

function employment(
  name: string,
  nit: number | null,
  months: MonthSpec[],
  extra: Partial<Employment> = {},
): Employment {
  return {
    id: `${name}-id`,
    collected_at: '2026-11-20T10:00:00Z',
    employer_data: { name, id_type: nit === null ? null : 'NIT', id_number: nit, tenure: 12 },
    salary_and_benefit_details: months.map((spec) => ({
      gross_amount: 1_000_000,
      employment_type: 'SALARIED',
      salary_type: 'FIXED',
      status_changes: [],
      ...spec,
    })),
    ...extra,
  };
}

/** `count` months ending at `last`, each paying `gross`. */
function run(
  last: string,
  count: number,
  gross: number,
  extra: Partial<SalaryAndBenefitDetail> = {},
): MonthSpec[] {
  const [year, month] = last.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, position) => {
    const index = year * 12 + month - 1 - (count - 1 - position);
    return {
      gross_amount: gross,
      ...extra,
      month: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
    };
  });
}

describe('summarize', () => {
  it('handles no data at all', () => {
    const summary = summarize([]);
    expect(summary).toMatchObject({
      latestMonth: null,
      currentEmployers: [],
      latestIncome: null,
      average6: null,
      employerCount: 0,
      monthlyIncome: [],
    });
    expect(summary.credit).toBeNull();
    expect(summary.flags).toEqual([]);
  });

  it('handles a single month', () => {
    const summary = summarize([
      employment('Uno S.A.S.', 900100100, [{ month: '2026-10', gross_amount: 2_000_000 }]),
    ]);
    expect(summary).toMatchObject({
      latestMonth: '2026-10',
      latestIncome: 2_000_000,
      // October is not due on 20 November: filed early, it is the latest month, yet the averages and
      // the months with contributions run up to September.
      average6: null,
      average12: null,
      trendPercent: null,
      gaps: [],
      monthsSinceLastContribution: 1,
      flags: ['intermittent'],
    });
    expect(summary.credit?.monthsWithContribution12).toBe(0);
    expect(summary.currentEmployers).toMatchObject([
      {
        name: 'Uno S.A.S.',
        idType: 'NIT',
        idNumber: '900100100',
        reportedTenure: 12,
        tenure: { months: 1, atLeast: false },
        latestBase: 2_000_000,
      },
    ]);
    expect(summary.monthlyIncome).toHaveLength(24);
    expect(summary.monthlyIncome.at(-1)).toMatchObject({
      month: '2026-10',
      income: 2_000_000,
      contributed: true,
      withoutBase: false,
    });
  });

  it.each([
    ['FINAL_MONTH', []],
    ['RETIREMENT_MONTH', []],
    ['ON_VACATION', ['Uno S.A.S.']],
    ['A_STATUS_BELVO_ADDS_LATER', ['Uno S.A.S.']],
  ])('an employer whose latest entry has %s is current: %j', (status, current) => {
    const summary = summarize([
      employment('Uno S.A.S.', 900100100, [
        { month: '2026-09' },
        { month: '2026-10', status_changes: [status] },
      ]),
    ]);
    expect(summary.currentEmployers.map((employer) => employer.name)).toEqual(current);
  });

  it('adds concurrent employers into one income and flags more than one current employer', () => {
    const summary = summarize([
      employment('Uno S.A.S.', 900100100, run('2026-09', 24, 4_000_000)),
      employment('Dos S.A.', 800200200, run('2026-09', 6, 1_500_000)),
    ]);
    expect(summary.latestIncome).toBe(5_500_000);
    expect(summary.average6).toBe(5_500_000);
    expect(summary.average12).toBeCloseTo((6 * 5_500_000 + 6 * 4_000_000) / 12);
    expect(summary.currentEmployers).toHaveLength(2);
    expect(summary.flags).toContain('multiple_current_employers');
    expect(summary.employerCount).toBe(2);
  });

  it('averages only months with a contribution and counts them', () => {
    const months = run('2026-09', 12, 3_000_000).filter((_, index) => index % 2 === 0);
    const summary = summarize([
      employment('Uno S.A.S.', 900100100, [...months, { month: '2026-09', gross_amount: 3_000_000 }]),
    ]);
    expect(summary.average12).toBe(3_000_000);
    expect(summary.credit?.monthsWithContribution12).toBe(7);
  });

  it('finds gaps between the first month and the latest due month, and the longest', () => {
    const summary = summarize([
      employment('Uno S.A.S.', 900100100, [
        { month: '2025-01' },
        { month: '2025-02' },
        { month: '2025-06' },
        { month: '2025-07' },
        { month: '2025-09' },
      ]),
    ]);
    expect(summary.gaps).toEqual([
      { from: '2025-03', to: '2025-05', months: 3 },
      { from: '2025-08', to: '2025-08', months: 1 },
      // Nothing since September 2025, up to the latest due month.
      { from: '2025-10', to: '2026-09', months: 12 },
    ]);
    expect(summary.longestGap).toEqual({ from: '2025-10', to: '2026-09', months: 12 });
  });

  it.each([
    [3_000_000, 2_000_000, -33.3],
    [3_000_000, 2_500_000, -16.7],
    [2_000_000, 3_000_000, 50],
  ])(
    'trend from %i a year ago to %i now is %d %%: information, never a flag by itself',
    (before, now, percent) => {
      const summary = summarize([
        employment('Uno S.A.S.', 900100100, [...run('2025-09', 3, before), ...run('2026-09', 3, now)]),
      ]);
      expect(summary.trendPercent).toBeCloseTo(percent, 1);
      expect(summary.flags).not.toContain('income_drop');
    },
  );

  it('says there is no current employer when the due months since the last contribution are empty', () => {
    const summary = summarize([employment('Uno S.A.S.', 900100100, run('2026-06', 6, 2_000_000))]);
    expect(summary.monthsSinceLastContribution).toBe(5);
    // July, August and September 2026 were due and have nothing.
    expect(summary.credit?.withoutCurrentEmployer).toEqual({ lastMonth: '2026-06', dueMonthsWithout: 3 });
    expect(summary.flags).toContain('no_current_employer');
  });

  it('flags only contractual work in the last 12 months and lists the kinds of work', () => {
    const summary = summarize([
      employment(
        'Alcaldía',
        800096772,
        run('2026-10', 12, 4_000_000, { employment_type: 'CONTRACTUAL', salary_type: 'VARIABLE' }),
      ),
      employment('Antes S.A.', 900100100, run('2025-06', 6, 2_000_000)),
    ]);
    expect(summary.employmentTypes12).toEqual(['CONTRACTUAL']);
    expect(summary.salaryTypes12).toEqual(['VARIABLE']);
    expect(summary.flags).toContain('only_contractual');
  });

  it('keeps unknown enum values as they came', () => {
    const summary = summarize([
      employment(
        'Uno S.A.S.',
        900100100,
        run('2026-10', 2, 2_000_000, {
          employment_type: 'APPRENTICE',
          salary_type: 'MIXED',
          salary_comprehensive: true,
        }),
      ),
    ]);
    expect(summary.employmentTypes12).toEqual(['APPRENTICE']);
    expect(summary.salaryTypes12).toEqual(['MIXED']);
    expect(summary.salaryComprehensive12).toBe(true);
    expect(summary.flags).not.toContain('only_contractual');
  });

  it('tolerates nulls: a missing amount is no base (never 0), bad months are skipped and counted', () => {
    const summary = summarize([
      employment('', null, [{ month: '2026-09', gross_amount: null }, { month: null }, { month: '2026-13' }]),
      { id: 'bare', employer_data: null, salary_and_benefit_details: null },
      employment('Otro', null, [
        { month: '2026-09', gross_amount: 1_000_000, status_changes: null, employment_type: null },
      ]),
    ]);
    expect(summary.latestMonth).toBe('2026-09');
    expect(summary.latestIncome).toBe(1_000_000);
    expect(summary.credit?.monthsWithContribution12).toBe(1);
    expect(summary.skipped.malformedMonths).toBe(2);
    // Neither id nor name: two employers, never merged (docs/credit-reading.md rule 4).
    expect(summary.employerCount).toBe(3);
    expect(summary.currentEmployers.map((employer) => [employer.idNumber, employer.regularBase])).toEqual([
      [null, null],
      [null, 1_000_000],
    ]);
  });

  it('tells employers apart by the digits of their id, else by name', () => {
    const summary = summarize([
      employment('Uno S.A.S.', 900100100, [{ month: '2026-09' }]),
      employment('UNO SAS (renamed)', 900100100, [{ month: '2026-10' }]),
      employment('Sin NIT', null, [{ month: '2026-10' }]),
      employment('sin nit', null, [{ month: '2026-08' }]),
    ]);
    expect(summary.employerCount).toBe(2);
  });
});

describe('an employer PILA gives no name', () => {
  it('is current with a null name, for the UI to say so in the analyst’s language', () => {
    const unnamed = employment('x', 900123456, run('2026-10', 3, 2_000_000), {
      employer_data: { id_type: 'NIT', id_number: 900123456, tenure: 3 },
    });
    expect(summarize([unnamed]).currentEmployers).toMatchObject([
      { name: null, idType: 'NIT', idNumber: '900123456', reportedTenure: 3, latestBase: 2_000_000 },
    ]);
  });
});
