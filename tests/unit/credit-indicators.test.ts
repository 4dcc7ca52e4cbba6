import type { Employment, SalaryAndBenefitDetail } from '@lupa/contract';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../utils/report/indicators/summarize.js';
import { addMonths } from '../../utils/report/months.js';
import { DEFAULT_POLICY } from '../../utils/report/pila/credit-indicators.js';
import { estimateIncome } from '../../utils/report/pila/income-estimate.js';
import { SMMLV_BY_YEAR, smmlvOf } from '../../utils/report/pila/smmlv.js';

/** Data collected on 2026-11-20, as in the cases. */
const COLLECTED = '2026-11-20T10:00:00Z';

type Line = Partial<SalaryAndBenefitDetail>;

function employer(name: string, nit: number, lines: Line[], tenure = 24): Employment {
  return {
    id: `${name}-${nit}`,
    collected_at: COLLECTED,
    employer_data: { name, id_type: 'NIT', id_number: nit, tenure },
    salary_and_benefit_details: lines.map((line) => ({
      employment_type: 'SALARIED',
      salary_type: 'FIXED',
      status_changes: [],
      ...line,
    })),
  };
}

/** Months `from` … `to` (inclusive, `YYYY-MM`), each with `gross` and whatever `extra` says. */
function months(
  from: string,
  to: string,
  gross: number,
  extra: (month: string) => Line = () => ({}),
): Line[] {
  const lines: Line[] = [];
  for (let month = from; month <= to; month = addMonths(month, 1)) {
    lines.push({ month, gross_amount: gross, net_amount: Math.round(gross * 0.92), ...extra(month) });
  }
  return lines;
}

describe('the issue’s six cases (collected 2026-11-20)', () => {
  it('a late-filing employer: both jobs stay current and regular income does not drop', () => {
    const summary = summarize([
      // A's October planilla is not filed yet (deadlines run into November by NIT).
      employer('Andina S.A.S.', 900100100, months('2024-11', '2026-09', 4_000_000)),
      employer('Bolívar S.A.', 800200200, months('2024-11', '2026-10', 2_000_000)),
    ]);
    const credit = summary.credit!;
    expect(summary.currentEmployers.map((current) => [current.name, current.filedLatestMonth])).toEqual([
      ['Andina S.A.S.', false],
      ['Bolívar S.A.', true],
    ]);
    expect(credit.regularIncome.amount).toBe(6_000_000);
    expect(credit.incomeChange.percent).toBe(0);
    expect(summary.flags).not.toContain('income_drop');
    expect(summary.flags).not.toContain('missed_filings');
    // The old year-on-year trend still reads October as a drop; it stays, as information.
    expect(summary.trendPercent).toBeLessThan(-20);
  });

  it('a $12 M one-off payment a year earlier (temporary salary change): no drop', () => {
    const summary = summarize([
      employer(
        'Andina S.A.S.',
        900100100,
        months('2024-11', '2026-10', 4_000_000, (month) =>
          month === '2025-10'
            ? { gross_amount: 12_000_000, status_changes: ['TEMPORARY_SALARY_CHANGE'] }
            : {},
        ),
      ),
    ]);
    expect(summary.credit!.regularIncome.amount).toBe(4_000_000);
    expect(summary.credit!.incomeChange.percent).toBe(0);
    expect(summary.flags).not.toContain('income_drop');
  });

  it('the second job ended (FINAL_MONTH): current income −33 %, flagged', () => {
    const summary = summarize([
      employer('Andina S.A.S.', 900100100, months('2024-11', '2026-10', 4_000_000)),
      employer(
        'Bolívar S.A.',
        800200200,
        months('2024-11', '2026-09', 2_000_000, (month) =>
          month === '2026-09' ? { status_changes: ['FINAL_MONTH'] } : {},
        ),
      ),
    ]);
    expect(summary.currentEmployers.map((current) => current.name)).toEqual(['Andina S.A.S.']);
    expect(summary.credit!.incomeChange.percent).toBeCloseTo(-33.3, 1);
    expect(summary.flags).toContain('income_drop');
  });

  it('a contractor with contributions in 4 of 12 months at $2 M: $666.667 a calendar month, intermitente', () => {
    const lines = ['2025-12', '2026-03', '2026-06', '2026-10'].map((month) => ({
      month,
      gross_amount: 2_000_000,
      employment_type: 'CONTRACTUAL',
    }));
    const summary = summarize([employer('Alcaldía', 800096772, lines)]);
    expect(summary.average12).toBe(2_000_000);
    expect(Math.round(summary.credit!.calendarAverage12)).toBe(666_667);
    expect(summary.credit!.monthsWithContribution12).toBe(4);
    expect(summary.flags).toContain('intermittent');
  });

  it('a month of sick leave reported as two lines of one employer: about $4 M, not $8 M', () => {
    const lines = [
      ...months('2024-11', '2026-09', 4_000_000),
      { month: '2026-10', gross_amount: 4_000_000 },
      { month: '2026-10', gross_amount: 4_000_000, status_changes: ['ON_LEAVE'] },
    ];
    const summary = summarize([employer('Andina S.A.S.', 900100100, lines)]);
    expect(summary.latestIncome).toBe(8_000_000);
    expect(summary.credit!.regularIncome.amount).toBe(4_000_000);
    expect(summary.credit!.currentEmployers[0]!.regularMonths).toEqual(['2026-07', '2026-08', '2026-09']);
  });

  it('last month paid is August, collected in November: September and October were due, flagged', () => {
    const summary = summarize([
      employer('Andina S.A.S.', 900100100, months('2024-11', '2026-08', 4_000_000)),
    ]);
    expect(summary.credit!.missedFilings).toBe(2);
    expect(summary.flags).toContain('missed_filings');
  });
});

describe('estimated income from the reported base', () => {
  it.each([
    [
      'contractor 2026-03 at $2.000.000',
      { month: '2026-03', base: 2_000_000, employmentType: 'CONTRACTUAL' },
      { kind: 'exact', amount: 5_000_000, rule: 'contractor_40' },
    ],
    [
      'contractor at exactly 1 SMMLV: no point estimate',
      { month: '2026-03', base: 1_750_905, employmentType: 'CONTRACTUAL' },
      { kind: 'at_most', amount: 4_377_263, rule: 'contractor_minimum_base' },
    ],
    [
      'salario integral at $21.000.000',
      { month: '2026-05', base: 21_000_000, employmentType: 'SALARIED', salaryComprehensive: true },
      { kind: 'exact', amount: 30_000_000, rule: 'integral_70' },
    ],
    [
      'salaried: the base is a lower bound',
      { month: '2025-07', base: 3_000_000, employmentType: 'SALARIED' },
      { kind: 'at_least', amount: 3_000_000, rule: 'base_lower_bound' },
    ],
    [
      'pensioned: the base is a lower bound',
      { month: '2025-07', base: 2_500_000, employmentType: 'PENSIONED' },
      { kind: 'at_least', amount: 2_500_000, rule: 'base_lower_bound' },
    ],
    [
      'contractor at the 25 SMMLV ceiling (tope): a lower bound',
      { month: '2026-01', base: 25 * 1_750_905, employmentType: 'CONTRACTUAL' },
      { kind: 'at_least', amount: Math.round((25 * 1_750_905) / 0.4), atCeiling: true },
    ],
  ])('%s', (_, facts, expected) => {
    expect(estimateIncome({ salaryComprehensive: false, ...facts })).toMatchObject(expected);
  });

  it.each([
    ['2019', '2019-06'],
    ['a year not in the table yet', '2027-02'],
  ])('gives no estimate for %s, never a guess', (_, month) => {
    expect(
      estimateIncome({ month, base: 3_000_000, employmentType: 'CONTRACTUAL', salaryComprehensive: false }),
    ).toEqual({
      kind: 'none',
      reason: 'no_smmlv_for_year',
    });
  });

  it('knows the SMMLV of 2024, 2025 and 2026, each with its source', () => {
    expect([smmlvOf('2024-01'), smmlvOf('2025-12'), smmlvOf('2026-06')]).toEqual([
      1_300_000, 1_423_500, 1_750_905,
    ]);
    for (const { source } of Object.values(SMMLV_BY_YEAR)) expect(source).toMatch(/^Decreto /);
  });

  it('adds the current employers’ estimates, and says when bounds point different ways', () => {
    const both = summarize([
      employer(
        'Contrato',
        800096772,
        months('2025-11', '2026-10', 2_000_000, () => ({ employment_type: 'CONTRACTUAL' })),
      ),
      employer('Nómina', 900100100, months('2025-11', '2026-10', 3_000_000)),
    ]);
    // 2,000,000 / 0.4 exact plus a lower bound of 3,000,000: at least 8,000,000.
    expect(both.credit!.regularEstimate).toEqual({ kind: 'at_least', amount: 8_000_000 });
    const mixed = summarize([
      employer(
        'Contrato',
        800096772,
        months('2025-11', '2026-10', 1_750_905, () => ({ employment_type: 'CONTRACTUAL' })),
      ),
      employer('Nómina', 900100100, months('2025-11', '2026-10', 3_000_000)),
    ]);
    expect(mixed.credit!.regularEstimate).toEqual({ kind: 'none', reason: 'mixed_bounds' });
  });
});

describe('regular income', () => {
  it.each([
    [
      'a first month only',
      [{ month: '2026-10', gross_amount: 3_000_000, status_changes: ['FIRST_MONTH'] }],
      null,
      'no_typical_month',
    ],
    [
      'a FIRST_MONTH then typical months',
      [
        { month: '2026-08', gross_amount: 1_000_000, status_changes: ['FIRST_MONTH'] },
        { month: '2026-09', gross_amount: 3_000_000 },
        { month: '2026-10', gross_amount: 3_200_000 },
      ],
      3_100_000,
      null,
    ],
    [
      'the median, not the mean, of the last 3 typical months',
      months('2026-05', '2026-10', 3_000_000, (month) =>
        month === '2026-09' ? { gross_amount: 9_000_000 } : {},
      ),
      3_000_000,
      null,
    ],
  ])('%s', (_, lines, amount, reason) => {
    const credit = summarize([employer('Andina S.A.S.', 900100100, lines as Line[])]).credit!;
    expect(credit.regularIncome).toMatchObject({ amount, reason });
  });

  it('says there is no current employer when the last job ended', () => {
    const credit = summarize([
      employer(
        'Andina S.A.S.',
        900100100,
        months('2026-01', '2026-10', 3_000_000, (month) =>
          month === '2026-10' ? { status_changes: ['FINAL_MONTH'] } : {},
        ),
      ),
    ]).credit!;
    expect(credit.regularIncome).toEqual({ amount: null, reason: 'no_current_employer', partial: false });
  });
});

describe('tenure, hires and stability', () => {
  it('reads tenure from the data, "at least" when the run reaches its start', () => {
    const summary = summarize([
      employer('Antigua S.A.', 900100100, months('2024-11', '2026-10', 4_000_000), 86),
      employer(
        'Nueva S.A.S.',
        800200200,
        months('2026-07', '2026-10', 1_000_000, (month) =>
          month === '2026-07' ? { status_changes: ['FIRST_MONTH'] } : {},
        ),
        4,
      ),
    ]);
    expect(summary.currentEmployers.map((current) => [current.tenure, current.reportedTenure])).toEqual([
      [{ months: 24, atLeast: true }, 86],
      [{ months: 4, atLeast: false }, 4],
    ]);
    // A FIRST_MONTH in the last 6 months.
    expect(summary.flags).toContain('recent_hire');
  });

  it('flags a recent hire when every current job is younger than the policy says', () => {
    const lines = months('2026-07', '2026-10', 2_000_000);
    const older = summarize([
      employer('Uno', 900100100, [...months('2025-01', '2025-12', 2_000_000)]),
      employer('Dos', 800200200, lines),
    ]);
    expect(older.flags).toContain('recent_hire');
    expect(
      summarize([employer('Dos', 800200200, lines)], { policy: { ...DEFAULT_POLICY, recentHireMonths: 3 } })
        .flags,
    ).not.toContain('recent_hire');
  });

  it('counts distinct employers in 12 months and separations in 24', () => {
    const credit = summarize([
      employer(
        'Uno',
        900100100,
        months('2024-11', '2025-06', 2_000_000, (month) =>
          month === '2025-06' ? { status_changes: ['FINAL_MONTH'] } : {},
        ),
      ),
      employer(
        'Dos',
        800200200,
        months('2025-08', '2026-02', 2_000_000, (month) =>
          month === '2026-02' ? { status_changes: ['FINAL_MONTH'] } : {},
        ),
      ),
      employer('Tres', 700300300, months('2026-03', '2026-10', 2_500_000)),
    ]).credit!;
    expect([credit.employers12, credit.separations24]).toEqual([2, 2]);
  });
});

describe('pensioners, libranza and declared income', () => {
  it('flags a pensioner and bounds a payroll deduction at half the last typical month’s net', () => {
    const summary = summarize([
      employer(
        'Colpensiones',
        900336004,
        months('2025-11', '2026-10', 3_000_000, () => ({
          employment_type: 'PENSIONED',
          net_amount: 2_640_000,
        })),
      ),
    ]);
    expect(summary.flags).toContain('pensioner');
    expect(summary.credit!.libranzaBound).toEqual({ amount: 1_320_000, month: '2026-10' });
  });

  it('leaves the libranza bound out when the last typical month has no net amount', () => {
    const credit = summarize([
      employer(
        'Uno',
        900100100,
        months('2026-01', '2026-10', 3_000_000, () => ({ net_amount: null })),
      ),
    ]).credit!;
    expect(credit.libranzaBound).toBeNull();
  });

  it.each([
    [5_000_000, 1, false],
    [6_250_000, 1.25, false],
    [7_000_000, 1.4, true],
  ])(
    'declared %i against a contractor estimated at 5,000,000: ratio %d, flagged %s',
    (declared, ratio, flagged) => {
      const summary = summarize(
        [
          employer(
            'Contrato',
            800096772,
            months('2026-01', '2026-10', 2_000_000, () => ({ employment_type: 'CONTRACTUAL' })),
          ),
        ],
        { declaredIncome: declared },
      );
      expect(summary.credit!.declared!.ratio).toBeCloseTo(ratio, 5);
      expect(summary.flags.includes('declared_above_verified')).toBe(flagged);
    },
  );

  it('takes the thresholds from the organisation’s policy', () => {
    const lines = months('2024-11', '2026-10', 4_000_000, (month) =>
      month >= '2026-08' ? { gross_amount: 3_400_000 } : {},
    );
    expect(summarize([employer('Uno', 900100100, lines)]).flags).not.toContain('income_drop');
    expect(
      summarize([employer('Uno', 900100100, lines)], { policy: { ...DEFAULT_POLICY, incomeDropPercent: 10 } })
        .flags,
    ).toContain('income_drop');
  });
});
