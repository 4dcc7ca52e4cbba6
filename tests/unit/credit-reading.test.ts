/**
 * docs/credit-reading.md, rule by rule. Each case is written from the rule's text (figures worked by
 * hand), not from the code. Unless a case says otherwise, Belvo read PILA on Friday 20 November 2026
 * at 10:00 in Bogotá: C is November 2026 and, since November's 16th business day is the 25th (2 and 16
 * November are holidays), the latest due month D is September 2026.
 */
import { type Employment, type SalaryAndBenefitDetail, UNREADABLE_RECORD } from '@lupa/contract';
import { describe, expect, it } from 'vitest';
import { businessDayOf, consultationOf, latestDueMonthOn } from '../../utils/report/credit/consultation.js';
import {
  DEFAULT_POLICY,
  type IndicatorPolicy,
  solidarityShareOf,
} from '../../utils/report/credit/credit-indicators.js';
import { idDigitsOf } from '../../utils/report/credit/employer-months.js';
import { estimateIncome } from '../../utils/report/credit/income-estimate.js';
import { nameCheckOf, nitCheckDigit, readAgreementNit } from '../../utils/report/credit/record-checks.js';
import { SMMLV_BY_YEAR, smmlvOf } from '../../utils/report/credit/smmlv.js';
import { addMonths } from '../../utils/report/months.js';
import { type Summary, summarize } from '../../utils/report/summary/summarize.js';

const COLLECTED = '2026-11-20T15:00:00Z';
const LOOKUP_CREATED = '2026-11-20T15:00:00Z';
const SMMLV_2026 = 1_750_905;

type Line = Partial<Record<keyof SalaryAndBenefitDetail, unknown>>;

function employer(
  name: string | null,
  id: number | string | null,
  lines: Array<Line | null>,
  options: { tenure?: number | null; idType?: string | null; collectedAt?: string | null } = {},
): Employment {
  return {
    id: `${name}-${id}`,
    collected_at: options.collectedAt === undefined ? COLLECTED : options.collectedAt,
    employer_data: {
      name,
      id_type: options.idType === undefined ? 'NIT' : options.idType,
      id_number: id,
      tenure: options.tenure === undefined ? 24 : options.tenure,
    },
    salary_and_benefit_details: lines.map((line) =>
      line === null
        ? null
        : { employment_type: 'SALARIED', salary_type: 'FIXED', status_changes: [], ...line },
    ),
  } as Employment;
}

/** Months `from` … `to` (inclusive), each at `gross` with a net of 92 %, and whatever `extra` says. */
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

function read(
  employments: Employment[],
  options: {
    policy?: IndicatorPolicy;
    declaredIncome?: number | null;
    consultedAt?: string;
    agreementNit?: string | null;
    names?: { crm: string | null; pila: string | null };
  } = {},
): Summary {
  return summarize(employments, { consultedAt: LOOKUP_CREATED, ...options });
}

const credit = (summary: Summary) => {
  if (!summary.credit) throw new Error('no credit indicators');
  return summary.credit;
};

describe('Términos: the consultation month and the latest due month', () => {
  it.each([
    // November 2026: Mon 2 and Mon 16 are holidays; the 16th business day is Wednesday the 25th.
    ['2026-11', '2026-11-25'],
    // December 2026: Tuesday 8 is a holiday; the 16th business day is Wednesday the 23rd.
    ['2026-12', '2026-12-23'],
    // January 2027: Friday 1 and Monday 11 (Reyes, moved) are holidays; the 16th is Tuesday the 26th.
    ['2027-01', '2027-01-26'],
    // March 2026: Monday 23 (San José, moved) is a holiday; the 16th is Tuesday the 24th.
    ['2026-03', '2026-03-24'],
  ])('the 16th business day of %s is %s', (month, day) => {
    expect(businessDayOf(month, 16)).toBe(day);
  });

  it.each([
    ['2026-11-20', '2026-09', 'before the deadline of October'],
    ['2026-11-25', '2026-09', 'on the deadline day itself'],
    ['2026-11-26', '2026-10', 'the day after the deadline'],
    ['2026-12-24', '2026-11', 'after December’s deadline'],
    ['2027-01-26', '2026-11', 'on January’s deadline: December is not due yet'],
    ['2027-01-27', '2026-12', 'across the year'],
  ])('on %s the latest due month is %s (%s)', (day, due) => {
    expect(latestDueMonthOn(day)).toBe(due);
  });

  it('cuts the consultation month in Bogotá, not in UTC: 02:30Z on 1 April is 31 March', () => {
    expect(consultationOf(['2026-04-01T02:30:00Z'], LOOKUP_CREATED)).toEqual({
      month: '2026-03',
      day: '2026-03-31',
      latestDueMonth: '2026-02',
      source: 'collected_at',
    });
  });

  it('takes the newest readable collected_at, and the lookup’s date when none is readable', () => {
    expect(
      consultationOf([null, 'not a date', '2026-10-02T12:00:00Z', '2026-11-20T15:00:00Z'], LOOKUP_CREATED),
    ).toMatchObject({ month: '2026-11', source: 'collected_at' });
    expect(consultationOf([null, '', 'yesterday'], '2026-12-01T15:00:00Z')).toEqual({
      month: '2026-12',
      day: '2026-12-01',
      latestDueMonth: '2026-10',
      source: 'lookup',
    });
  });

  it.each([
    ['a placeholder far in the future', '9999-12-31T00:00:00Z'],
    ['a year after the lookup', '2027-11-20T15:00:00Z'],
    ['before PILA existed', '1970-01-01T00:00:00Z'],
  ])('does not take a collected_at that is %s: the lookup’s date stands', (_what, collectedAt) => {
    expect(consultationOf([collectedAt], LOOKUP_CREATED)).toEqual({
      month: '2026-11',
      day: '2026-11-20',
      latestDueMonth: '2026-09',
      source: 'lookup',
    });
  });

  it('takes a collected_at up to a day after the lookup (clocks differ)', () => {
    expect(consultationOf(['2026-11-21T10:00:00Z'], LOOKUP_CREATED)).toMatchObject({
      day: '2026-11-21',
      source: 'collected_at',
    });
  });

  it('says when the date came from the lookup', () => {
    const summary = read(
      [employer('Andina', 900100100, months('2025-01', '2026-10', 3_000_000), { collectedAt: null })],
      {
        consultedAt: '2026-11-20T15:00:00Z',
      },
    );
    expect(summary.consultation.source).toBe('lookup');
    expect(summary.currentEmployers).toHaveLength(1);
  });
});

describe('rule 1: lines that are not used, counted', () => {
  it('never uses a line dated after the consultation: the real employer stays current, the stray one is not', () => {
    const withStray = read([
      employer('Andina', 900100100, months('2024-11', '2026-10', 3_000_000)),
      employer('Errata S.A.S.', 811222333, [{ month: '2027-10', gross_amount: 9_000_000 }]),
    ]);
    expect(withStray.currentEmployers.map((current) => current.name)).toEqual(['Andina']);
    expect(withStray.latestMonth).toBe('2026-10');
    expect(withStray.skipped.afterConsultation).toBe(1);
    expect(credit(withStray).regularIncome.amount).toBe(3_000_000);
  });

  it.each([['2026-3'], ['2026-13'], [''], [null], [202609]])(
    'counts a line with the month %j and leaves it out',
    (month) => {
      const summary = read([
        employer('Andina', 900100100, [
          ...months('2025-11', '2026-10', 3_000_000),
          { month, gross_amount: 8_000_000 },
        ]),
      ]);
      expect(summary.skipped.malformedMonths).toBe(1);
      expect(credit(summary).regularIncome.amount).toBe(3_000_000);
    },
  );

  it('counts a null line and a record that is not a record, and reads the rest', () => {
    const unreadable = { id: '', [UNREADABLE_RECORD]: true } as Employment;
    const summary = read([
      employer('Andina', 900100100, [null, ...months('2025-11', '2026-10', 3_000_000)]),
      unreadable,
    ]);
    expect(summary.skipped).toEqual({
      unreadableRecords: 1,
      unreadableLines: 1,
      malformedMonths: 0,
      afterConsultation: 0,
    });
    expect(credit(summary).regularIncome.amount).toBe(3_000_000);
  });

  it('uses lines of months not due yet (a planilla paid early)', () => {
    // October is not due on 20 November, yet a filed October counts, and is the latest month.
    const summary = read([employer('Andina', 900100100, months('2025-11', '2026-10', 3_000_000))]);
    expect(summary.latestMonth).toBe('2026-10');
    expect(summary.currentEmployers[0]?.lastMonth).toBe('2026-10');
  });
});

describe('rule 2: missing is not zero', () => {
  it.each([
    ['null', null],
    ['zero', 0],
    ['negative', -3_000_000],
    ['text', '3000000'],
  ])(
    'a %s base in the latest month is "sin base reportada": no $0 regular income, no drop',
    (_what, amount) => {
      const summary = read([
        employer('Andina', 900100100, [
          ...months('2024-11', '2026-09', 3_000_000),
          { month: '2026-10', gross_amount: amount },
        ]),
      ]);
      const figures = credit(summary);
      expect(figures.regularIncome.amount).toBe(3_000_000);
      expect(summary.flags).not.toContain('income_drop');
      const october = summary.histories[0]!.months.at(-1)!;
      expect(october.base).toBeNull();
      expect(october.atypical).toContainEqual({ kind: 'no_base' });
      expect(summary.latestIncome).toBeNull();
    },
  );

  it('leaves a month with lines but no base out of the 12-month average, and says how many', () => {
    // Oct 2025 … Sep 2026 at $3.000.000, except June and August 2026 without a base: 10 months of
    // $3.000.000 divided by the 10 months that count.
    const lines = months('2025-10', '2026-09', 3_000_000, (month) =>
      month === '2026-06' || month === '2026-08' ? { gross_amount: null } : {},
    );
    const figures = credit(read([employer('Andina', 900100100, lines)]));
    expect(figures.calendarAverage12).toBe(3_000_000);
    expect(figures.monthsWithContribution12).toBe(10);
    expect(figures.monthsWithoutBase12).toBe(2);
  });

  it('counts a month with no line at all as zero in the 12-month average', () => {
    // Four months of $2.000.000 in the twelve up to September 2026: $8.000.000 / 12.
    const lines = ['2025-12', '2026-03', '2026-06', '2026-09'].map((month) => ({
      month,
      gross_amount: 2_000_000,
      employment_type: 'CONTRACTUAL',
    }));
    const summary = read([employer('Alcaldía', 800096772, lines)]);
    expect(Math.round(credit(summary).calendarAverage12!)).toBe(666_667);
    expect(credit(summary).monthsWithContribution12).toBe(4);
    expect(summary.flags).toContain('intermittent');
  });
});

describe('rule 3: corrections and duplicates', () => {
  const base = months('2024-11', '2026-10', 4_000_000);

  it('takes the highest line of a month repeated without a novelty (a possible correction), never the sum', () => {
    const summary = read([
      employer('Andina', 900100100, [
        ...base,
        { month: '2026-10', gross_amount: 4_300_000, net_amount: 3_956_000 },
      ]),
    ]);
    const october = summary.histories[0]!.months.at(-1)!;
    expect(october.base).toBe(4_300_000);
    expect(october.atypical).toContainEqual({ kind: 'possible_correction', lines: 2 });
    expect(summary.latestIncome).toBe(4_300_000);
    // October is atypical: the regular months are July to September.
    expect(credit(summary).regularIncome.amount).toBe(4_000_000);
  });

  it('counts identical lines once', () => {
    const summary = read([employer('Andina', 900100100, [...base, { ...base.at(-1)! }])]);
    const october = summary.histories[0]!.months.at(-1)!;
    expect([october.base, october.lines, october.atypical]).toEqual([4_000_000, 1, []]);
  });

  it('adds the lines of a month split by a novelty (a sick leave): the month is atypical', () => {
    const summary = read([
      employer('Andina', 900100100, [
        ...months('2024-11', '2026-09', 4_000_000),
        { month: '2026-10', gross_amount: 2_500_000 },
        { month: '2026-10', gross_amount: 1_500_000, status_changes: ['ON_LEAVE'] },
      ]),
    ]);
    const october = summary.histories[0]!.months.at(-1)!;
    expect(october.base).toBe(4_000_000);
    expect(october.atypical).toContainEqual({ kind: 'several_lines', lines: 2 });
    expect(credit(summary).currentEmployers[0]!.regularMonths).toEqual(['2026-07', '2026-08', '2026-09']);
  });
});

describe('rule 4: employers', () => {
  it.each([
    [900123456, '900123456'],
    ['900.123.456-7', '900123456'],
    [' 900 123 456 ', '900123456'],
    ['0900123456', '900123456'],
    ['', null],
    [null, null],
  ])('identifies %j by the digits %j', (id, digits) => {
    expect(idDigitsOf(id)).toBe(digits);
  });

  it('joins one NIT reported with another id type and spelling, and keeps its tenure', () => {
    const summary = read([
      employer('ANDINA S.A.S.', 900100100, months('2024-11', '2025-10', 3_000_000), { idType: 'NIT' }),
      employer('Andina SAS', '900.100.100-3', months('2025-11', '2026-10', 3_000_000), {
        idType: 'CC',
        tenure: null,
      }),
    ]);
    expect(summary.currentEmployers).toHaveLength(1);
    expect(summary.currentEmployers[0]!.tenure).toEqual({ months: 24, atLeast: true });
    expect(summary.flags).not.toContain('recent_hire');
  });

  it('never merges two employers with neither name nor id', () => {
    const summary = read([
      employer(null, null, months('2025-06', '2026-10', 2_000_000)),
      employer('  ', '', months('2025-12', '2026-10', 1_500_000)),
    ]);
    expect(summary.currentEmployers.map((current) => current.unidentifiedNumber)).toEqual([1, 2]);
    expect(credit(summary).regularIncome.amount).toBe(3_500_000);
  });
});

describe('rule 5: atypical months', () => {
  it('reads an unknown novelty as atypical and names it: a sick-leave base is not a pay cut', () => {
    const summary = read([
      employer('Andina', 900100100, [
        ...months('2024-11', '2026-08', 4_000_000),
        { month: '2026-09', gross_amount: 2_700_000, status_changes: ['INCAPACIDAD_GENERAL'] },
        { month: '2026-10', gross_amount: 2_700_000, status_changes: ['INCAPACIDAD_GENERAL'] },
      ]),
    ]);
    const september = summary.histories[0]!.months.find((month) => month.month === '2026-09')!;
    expect(september.atypical).toEqual([{ kind: 'unknown_status', status: 'INCAPACIDAD_GENERAL' }]);
    expect(credit(summary).regularIncome.amount).toBe(4_000_000);
    expect(summary.flags).not.toContain('income_drop');
  });

  it.each([['ON_VACATION'], ['PERMANENT_SALARY_CHANGE']])('keeps a single %s line typical', (status) => {
    const summary = read([
      employer(
        'Andina',
        900100100,
        months('2025-11', '2026-10', 3_000_000, () => ({ status_changes: [status] })),
      ),
    ]);
    expect(summary.histories[0]!.months.every((month) => month.atypical.length === 0)).toBe(true);
  });
});

describe('rule 6: current employer', () => {
  it('stale data: the only employer last contributed in April 2026 is not current, and the alert says so', () => {
    const summary = read([employer('Andina', 900100100, months('2024-11', '2026-04', 3_800_000))]);
    const figures = credit(summary);
    expect(summary.currentEmployers).toEqual([]);
    // May to September 2026: five due months without a contribution.
    expect(figures.withoutCurrentEmployer).toEqual({ lastMonth: '2026-04', dueMonthsWithout: 5 });
    expect(summary.flags).toContain('no_current_employer');
    expect(figures.regularIncome).toEqual({ amount: null, reason: 'no_current_employer', partial: false });
    expect(figures.libranzaBound).toBeNull();
    // October 2025 … September 2026: seven months with contributions, not twelve.
    expect(figures.monthsWithContribution12).toBe(7);
    expect(figures.regularEstimate).toEqual({ kind: 'none', reason: 'no_regular_income' });
  });

  it('a late filer: the employer that reported September (D) stays current beside one that reported October', () => {
    const summary = read([
      employer('Andina', 900100100, months('2024-11', '2026-09', 4_000_000)),
      employer('Bolívar', 800200200, months('2024-11', '2026-10', 2_000_000)),
    ]);
    expect(summary.currentEmployers.map((current) => [current.name, current.filedLatestMonth])).toEqual([
      ['Andina', false],
      ['Bolívar', true],
    ]);
    expect(credit(summary).regularIncome.amount).toBe(6_000_000);
    expect(summary.flags).not.toContain('no_current_employer');
  });

  it('an employer whose last line ends the job is not current', () => {
    const summary = read([
      employer(
        'Andina',
        900100100,
        months('2025-01', '2026-10', 3_000_000, (month) =>
          month === '2026-10' ? { status_changes: ['FINAL_MONTH'] } : {},
        ),
      ),
    ]);
    expect(summary.currentEmployers).toEqual([]);
    expect(credit(summary).withoutCurrentEmployer).toEqual({ lastMonth: '2026-10', dueMonthsWithout: 0 });
  });

  it('an employer last seen in August is not current on 26 November, when October is due', () => {
    const summary = read([employer('Andina', 900100100, months('2024-11', '2026-08', 3_000_000))], {});
    expect(summary.currentEmployers).toHaveLength(0);
    const later = read(
      [
        employer('Andina', 900100100, months('2024-11', '2026-09', 3_000_000), {
          collectedAt: '2026-11-26T15:00:00Z',
        }),
      ],
      { consultedAt: '2026-11-26T15:00:00Z' },
    );
    expect(later.currentEmployers).toHaveLength(0);
    expect(credit(later).withoutCurrentEmployer).toEqual({ lastMonth: '2026-09', dueMonthsWithout: 1 });
  });
});

describe('rule 7: tenure', () => {
  it('is not broken by a gap of up to 2 months, and is by a gap of 3', () => {
    const twoMissing = months('2025-09', '2026-10', 3_000_000).filter(
      (line) => line.month !== '2026-03' && line.month !== '2026-04',
    );
    expect(
      read([employer('Andina', 900100100, twoMissing, { tenure: null })]).currentEmployers[0]!.tenure,
    ).toEqual({
      months: 14,
      atLeast: false,
    });
    const threeMissing = months('2025-09', '2026-10', 3_000_000).filter(
      (line) => !['2026-03', '2026-04', '2026-05'].includes(line.month as string),
    );
    expect(
      read([employer('Andina', 900100100, threeMissing, { tenure: null })]).currentEmployers[0]!.tenure,
    ).toEqual({
      months: 5,
      atLeast: false,
    });
  });

  it('flags a recent hire only when the data and Belvo’s tenure both say recent', () => {
    const recentLines = months('2026-07', '2026-10', 2_000_000);
    expect(read([employer('Nueva', 800200200, recentLines, { tenure: 4 })]).flags).toContain('recent_hire');
    expect(read([employer('Nueva', 800200200, recentLines, { tenure: null })]).flags).toContain(
      'recent_hire',
    );
    // Belvo reports 40 months with the employer: the data's 4 months are only what PILA returned.
    expect(read([employer('Nueva', 800200200, recentLines, { tenure: 40 })]).flags).not.toContain(
      'recent_hire',
    );
    expect(
      read([employer('Nueva', 800200200, recentLines, { tenure: 4 })], {
        policy: { ...DEFAULT_POLICY, recentHireMonths: 3 },
      }).flags,
    ).not.toContain('recent_hire');
  });

  it('does not flag a recent hire when one current job is old', () => {
    const summary = read([
      employer('Antigua', 900100100, months('2024-11', '2026-10', 4_000_000), { tenure: 86 }),
      employer(
        'Nueva',
        800200200,
        months('2026-07', '2026-10', 1_000_000, (month) =>
          month === '2026-07' ? { status_changes: ['FIRST_MONTH'] } : {},
        ),
        { tenure: 4 },
      ),
    ]);
    expect(summary.flags).not.toContain('recent_hire');
    expect(summary.flags).toContain('multiple_current_employers');
  });
});

describe('rule 8: regular income', () => {
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
  ])('%s', (_what, lines, amount, reason) => {
    expect(credit(read([employer('Andina', 900100100, lines)])).regularIncome).toMatchObject({
      amount,
      reason,
    });
  });

  it('a one-off payment a year earlier (temporary salary change) changes nothing', () => {
    const summary = read([
      employer(
        'Andina',
        900100100,
        months('2024-11', '2026-10', 4_000_000, (month) =>
          month === '2025-10'
            ? { gross_amount: 12_000_000, status_changes: ['TEMPORARY_SALARY_CHANGE'] }
            : {},
        ),
      ),
    ]);
    expect(credit(summary).regularIncome.amount).toBe(4_000_000);
    expect(credit(summary).incomeChange.percent).toBe(0);
  });
});

describe('rule 9: from the base to an estimate', () => {
  it.each([
    [
      'contractor at $2.000.000',
      { month: '2026-03', base: 2_000_000, employmentType: 'CONTRACTUAL' },
      { kind: 'exact', amount: 5_000_000, rule: 'contractor_40' },
    ],
    [
      'contractor at exactly 1 SMMLV',
      { month: '2026-03', base: SMMLV_2026, employmentType: 'CONTRACTUAL' },
      { kind: 'at_most', amount: 4_377_263, rule: 'contractor_minimum_base' },
    ],
    [
      'contractor at 1 SMMLV rounded up to the hundred',
      { month: '2026-03', base: 1_751_000, employmentType: 'CONTRACTUAL' },
      { kind: 'at_most', amount: 4_377_263 },
    ],
    [
      'contractor below 1 SMMLV (one of several contracts)',
      { month: '2026-03', base: 1_000_000, employmentType: 'CONTRACTUAL' },
      { kind: 'exact', amount: 2_500_000, rule: 'contractor_40' },
    ],
    [
      'contractor a little above 1 SMMLV',
      { month: '2026-03', base: 1_800_000, employmentType: 'CONTRACTUAL' },
      { kind: 'exact', amount: 4_500_000 },
    ],
    [
      'salario integral at $21.000.000',
      { month: '2026-05', base: 21_000_000, employmentType: 'SALARIED', salaryComprehensive: true },
      { kind: 'exact', amount: 30_000_000, rule: 'integral_70' },
    ],
    [
      'salaried: the base is a minimum',
      { month: '2025-07', base: 3_000_000, employmentType: 'SALARIED' },
      { kind: 'at_least', amount: 3_000_000, rule: 'base_lower_bound' },
    ],
    [
      'pensioned: the base is a minimum',
      { month: '2025-07', base: 2_500_000, employmentType: 'PENSIONED' },
      { kind: 'at_least', amount: 2_500_000 },
    ],
    [
      'no type reported: a minimum',
      { month: '2025-07', base: 2_500_000, employmentType: null },
      { kind: 'at_least', amount: 2_500_000 },
    ],
    [
      'an unknown type: no estimate',
      { month: '2025-07', base: 2_500_000, employmentType: 'APRENDIZ' },
      { kind: 'none', reason: 'unknown_employment_type' },
    ],
    [
      'at the 25 SMMLV ceiling: a minimum',
      { month: '2026-01', base: 25 * SMMLV_2026, employmentType: 'CONTRACTUAL' },
      { kind: 'at_least', amount: Math.round((25 * SMMLV_2026) / 0.4), atCeiling: true },
    ],
    [
      '2022’s minimum for a contractor',
      { month: '2022-06', base: 1_000_000, employmentType: 'CONTRACTUAL' },
      { kind: 'at_most', amount: 2_500_000 },
    ],
    [
      '2023’s minimum for a contractor',
      { month: '2023-06', base: 1_160_000, employmentType: 'CONTRACTUAL' },
      { kind: 'at_most', amount: 2_900_000 },
    ],
  ])('%s', (_what, facts, expected) => {
    expect(estimateIncome({ salaryComprehensive: false, ...facts })).toMatchObject(expected);
  });

  it('judges each regular month with its own year’s SMMLV: a contractor at the minimum across January', () => {
    // Read on 20 February 2026: February's 16th business day is the 23rd, so D is December 2025 and
    // January 2026 was filed early. November and December 2025 at 1.423.500 and January 2026 at
    // 1.750.905 are each "the minimum" of their year: up to 2,5 SMMLV, never base ÷ 0,4.
    const lines = [
      ...months('2025-08', '2025-12', 1_423_500, () => ({ employment_type: 'CONTRACTUAL' })),
      { month: '2026-01', gross_amount: SMMLV_2026, employment_type: 'CONTRACTUAL' },
    ];
    const summary = read([employer('Contrato', 800096772, lines, { collectedAt: '2026-02-20T15:00:00Z' })], {
      consultedAt: '2026-02-20T15:00:00Z',
    });
    expect(summary.consultation.latestDueMonth).toBe('2025-12');
    const estimate = summary.currentEmployers[0]!.regularEstimate;
    expect(estimate).toMatchObject({ kind: 'at_most', rule: 'contractor_minimum_base' });
    // The median of the three months' bounds: 2,5 × 1.423.500, 2,5 × 1.423.500, 2,5 × 1.750.905.
    expect(estimate.kind !== 'none' && estimate.amount).toBe(3_558_750);
  });

  it.each([['2021-06'], ['2027-02']])(
    'gives no estimate for %s (no SMMLV in the table), never a guess',
    (month) => {
      expect(
        estimateIncome({ month, base: 3_000_000, employmentType: 'CONTRACTUAL', salaryComprehensive: false }),
      ).toEqual({
        kind: 'none',
        reason: 'no_smmlv_for_year',
      });
    },
  );

  it('knows the SMMLV of 2022 to 2026, each with its decree', () => {
    expect(['2022-01', '2023-01', '2024-01', '2025-12', '2026-06'].map(smmlvOf)).toEqual([
      1_000_000, 1_160_000, 1_300_000, 1_423_500, 1_750_905,
    ]);
    for (const { source } of Object.values(SMMLV_BY_YEAR)) expect(source).toMatch(/^Decreto /);
  });

  it.each([
    ['an exact and a minimum: a minimum', 2_000_000, 3_000_000, { kind: 'at_least', amount: 8_000_000 }],
    // 1 SMMLV as a contractor is "up to 4.377.263"; a salaried $3.000.000 is "at least": mixed.
    [
      'a maximum and a minimum: mixed, their figures added',
      SMMLV_2026,
      3_000_000,
      { kind: 'mixed', amount: 7_377_263 },
    ],
  ])('adds current employers’ estimates: %s', (_what, contractorBase, salariedBase, expected) => {
    const summary = read([
      employer(
        'Contrato',
        800096772,
        months('2025-11', '2026-10', contractorBase, () => ({ employment_type: 'CONTRACTUAL' })),
      ),
      employer('Nómina', 900100100, months('2025-11', '2026-10', salariedBase)),
    ]);
    expect(credit(summary).regularEstimate).toEqual(expected);
  });
});

describe('rule 10: declared against estimated', () => {
  const contractor = (base: number) =>
    employer(
      'Contrato',
      800096772,
      months('2026-01', '2026-10', base, () => ({ employment_type: 'CONTRACTUAL' })),
    );

  it.each([
    [5_000_000, 1, false],
    [6_250_000, 1.25, false],
    [7_000_000, 1.4, true],
  ])(
    'declared %i against a contractor estimated at $5.000.000: ratio %d, flagged %s',
    (declared, ratio, flagged) => {
      const summary = read([contractor(2_000_000)], { declaredIncome: declared });
      expect(credit(summary).declared!.ratio).toBeCloseTo(ratio, 5);
      expect(summary.flags.includes('declared_above_verified')).toBe(flagged);
    },
  );

  it.each([
    // Up to 2,5 SMMLV = $4.377.263; 1,25 times that is $5.471.578.
    [5_000_000, false],
    [5_471_578, false],
    [6_000_000, true],
  ])('a contractor at the minimum base (up to 2,5 SMMLV) declaring %i: flagged %s', (declared, flagged) => {
    const summary = read([contractor(SMMLV_2026)], { declaredIncome: declared });
    expect(credit(summary).declared!.comparedWith).toBe('at_most');
    expect(summary.flags.includes('declared_above_verified')).toBe(flagged);
  });

  it('mixed bounds compare with the sum of each part and say so', () => {
    const summary = read(
      [contractor(SMMLV_2026), employer('Nómina', 900100100, months('2025-11', '2026-10', 3_000_000))],
      { declaredIncome: 10_000_000 },
    );
    // $10.000.000 against $7.377.263: 1,36 times.
    expect(credit(summary).declared).toMatchObject({ comparedWith: 'mixed' });
    expect(credit(summary).declared!.ratio).toBeCloseTo(10_000_000 / 7_377_263, 5);
    expect(summary.flags).toContain('declared_above_verified');
  });
});

describe('rule 11: libranza bound', () => {
  it('from the reported net of the regular pay: a one-off high last month never raises it', () => {
    const summary = read([
      employer('Andina', 900100100, [
        ...months('2024-11', '2026-09', 4_000_000, () => ({ net_amount: 3_680_000 })),
        {
          month: '2026-10',
          gross_amount: 9_000_000,
          net_amount: 8_280_000,
          status_changes: ['TEMPORARY_SALARY_CHANGE'],
        },
      ]),
    ]);
    const bound = summary.currentEmployers[0]!.libranza;
    expect(bound).toEqual({
      kind: 'bound',
      amount: 1_840_000,
      net: 3_680_000,
      netSource: 'reported',
      deductions: null,
    });
    expect(credit(summary).libranzaBound).toEqual({
      basis: 'highest',
      amount: 1_840_000,
      employerKey: 'id:900100100',
    });
  });

  it.each([
    // Below 4 SMMLV: health 4 % and pension 4 % only. $3.000.000 − 120.000 − 120.000 = $2.760.000.
    [
      3_000_000,
      { health: 120_000, pension: 120_000, solidarity: 0, solidarityShare: 0 },
      2_760_000,
      1_380_000,
    ],
    // 4 SMMLV of 2026 is $7.003.620: $8.000.000 also pays 1 % to the solidarity fund.
    [
      8_000_000,
      { health: 320_000, pension: 320_000, solidarity: 80_000, solidarityShare: 0.01 },
      7_280_000,
      3_640_000,
    ],
  ])('without a reported net, a salaried base of %i less its deductions', (base, deductions, net, amount) => {
    const summary = read([
      employer(
        'Andina',
        900100100,
        months('2025-11', '2026-10', base, () => ({ net_amount: null })),
      ),
    ]);
    expect(summary.currentEmployers[0]!.libranza).toEqual({
      kind: 'bound',
      amount,
      net,
      netSource: 'computed',
      deductions,
    });
  });

  it.each([
    [3.99, 0],
    [4, 0.01],
    [15.99, 0.01],
    [16, 0.012],
    [17.5, 0.014],
    [18, 0.016],
    [19.5, 0.018],
    [20, 0.018],
    [20.5, 0.02],
    [25, 0.02],
  ])('the solidarity fund takes, at %d SMMLV, %d of the base (Ley 797 de 2003 art. 8)', (smmlvs, share) => {
    expect(solidarityShareOf(smmlvs)).toBe(share);
  });

  it('is per employer: the highest one stands for the person, never the sum', () => {
    const summary = read([
      employer(
        'Andina',
        900100100,
        months('2025-11', '2026-10', 4_000_000, () => ({ net_amount: 3_680_000 })),
      ),
      employer(
        'Bolívar',
        800200200,
        months('2025-11', '2026-10', 2_000_000, () => ({ net_amount: 1_840_000 })),
      ),
    ]);
    expect(
      summary.currentEmployers.map((current) => current.libranza.kind === 'bound' && current.libranza.amount),
    ).toEqual([1_840_000, 920_000]);
    expect(credit(summary).libranzaBound!.amount).toBe(1_840_000);
  });

  it('gives no bound for a contractor without a reported net', () => {
    const summary = read([
      employer(
        'Contrato',
        800096772,
        months('2025-11', '2026-10', 2_000_000, () => ({ employment_type: 'CONTRACTUAL', net_amount: null })),
      ),
    ]);
    expect(summary.currentEmployers[0]!.libranza).toEqual({ kind: 'none', reason: 'no_net' });
    expect(credit(summary).libranzaBound).toBeNull();
  });
});

describe('rule 12 and 13: months with contributions, and a sustained pay cut', () => {
  it('flags a cut held since six months ago, which a comparison with the three months before missed', () => {
    // $5.000.000 until March 2026, $3.500.000 from April: regular income $3.500.000 against the
    // median of Oct 2025 … Mar 2026, $5.000.000: −30 %.
    const summary = read([
      employer(
        'Andina',
        900100100,
        months('2024-11', '2026-10', 5_000_000, (month) =>
          month >= '2026-04' ? { gross_amount: 3_500_000, net_amount: 3_220_000 } : {},
        ),
      ),
    ]);
    expect(credit(summary).incomeChange).toMatchObject({
      percent: -30,
      baseline: 5_000_000,
      from: '2025-10',
      to: '2026-03',
    });
    expect(summary.flags).toContain('income_drop');
  });

  it('does not flag one low month', () => {
    const summary = read([
      employer(
        'Andina',
        900100100,
        months('2024-11', '2026-10', 5_000_000, (month) =>
          month === '2026-09' ? { gross_amount: 3_000_000 } : {},
        ),
      ),
    ]);
    expect(summary.flags).not.toContain('income_drop');
  });

  it('takes the drop threshold from the organisation’s policy', () => {
    const lines = months('2024-11', '2026-10', 4_000_000, (month) =>
      month >= '2026-05' ? { gross_amount: 3_400_000 } : {},
    );
    expect(read([employer('Uno', 900100100, lines)]).flags).not.toContain('income_drop');
    expect(
      read([employer('Uno', 900100100, lines)], { policy: { ...DEFAULT_POLICY, incomeDropPercent: 10 } })
        .flags,
    ).toContain('income_drop');
  });

  it('counts employers in the 12 months up to D and separations in 24', () => {
    const figures = credit(
      read([
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
      ]),
    );
    expect([figures.employers12, figures.separations24]).toEqual([2, 2]);
  });

  it('reads "solo contratos" and the pensioner fact in the 12 months up to D, not after', () => {
    // Salaried up to September (D); a contract line filed early for October does not make the person
    // a contractor only, nor does a pension line after D make them a pensioner.
    const summary = read([
      employer('Nómina', 900100100, months('2025-10', '2026-09', 3_000_000)),
      employer('Contrato', 800096772, [
        { month: '2026-10', gross_amount: 2_000_000, employment_type: 'CONTRACTUAL' },
      ]),
      employer('Colpensiones', 900336004, [
        { month: '2026-10', gross_amount: 1_500_000, employment_type: 'PENSIONED' },
      ]),
    ]);
    expect(summary.flags).not.toContain('only_contractual');
    expect(summary.flags).not.toContain('pensioner');
  });

  it('does not read lines without a type as contracts', () => {
    const summary = read([
      employer('Alcaldía', 800096772, [
        ...months('2025-10', '2026-06', 2_000_000, () => ({ employment_type: 'CONTRACTUAL' })),
        ...months('2026-07', '2026-09', 2_000_000, () => ({ employment_type: null })),
      ]),
    ]);
    expect(summary.flags).not.toContain('only_contractual');
  });

  it('flags a pensioner as a fact, not a risk', () => {
    const summary = read([
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
    expect(credit(summary).libranzaBound?.amount).toBe(1_320_000);
  });
});

describe('rule 16: the payroll agreement’s employer', () => {
  // DIAN's modulo 11, worked by hand for 900482317: digits from the right 7,1,3,2,8,4,0,0,9 times
  // 3,7,13,17,19,23,29,37,41 = 21+7+39+34+152+92+0+0+369 = 714; 714 mod 11 = 10; DV = 11 − 10 = 1.
  it.each([
    ['900482317', 1],
    // Bancolombia's published NIT 890.903.938-8 and Colsubsidio's 860.007.336-1.
    ['890903938', 8],
    ['860007336', 1],
  ])('the check digit of %s is %i', (nit, digit) => {
    expect(nitCheckDigit(nit)).toBe(digit);
  });

  it.each([
    ['900.482.317-1', { ok: true, nit: '900482317' }],
    ['900482317', { ok: true, nit: '900482317' }],
    ['NIT 900 482 317 - 1', { ok: true, nit: '900482317' }],
    ['900.482.317-5', { ok: false, problem: 'wrong_check_digit' }],
    ['12345', { ok: false, problem: 'unreadable' }],
    ['Comercializadora Andina', { ok: false, problem: 'unreadable' }],
    ['900482317-12', { ok: false, problem: 'unreadable' }],
  ])('reads %j', (text, expected) => {
    expect(readAgreementNit(text)).toEqual(expected);
  });

  const andina = (lines: Line[], id: number | string = 900482317) => employer('Andina S.A.S.', id, lines);
  const sabana = employer('La Sabana', 860512904, months('2025-10', '2026-09', 2_000_000));

  it('a current employer with that NIT: verified, and its own libranza bound is the one shown', () => {
    const summary = read([andina(months('2025-10', '2026-09', 5_000_000)), sabana], {
      agreementNit: '860.512.904-0',
    });
    expect(credit(summary).agreement).toEqual({
      kind: 'current',
      nit: '860512904',
      employerKey: 'id:860512904',
      lastMonth: '2026-09',
    });
    // La Sabana's own bound, half of its net 1,840,000, though Andina's is higher.
    expect(credit(summary).libranzaBound).toEqual({
      amount: 920_000,
      employerKey: 'id:860512904',
      basis: 'agreement',
    });
    expect(summary.flags).not.toContain('agreement_employer_not_current');
  });

  it('Belvo’s integer may carry the check digit glued at its end', () => {
    const summary = read([andina(months('2025-10', '2026-09', 5_000_000), 9004823171)], {
      agreementNit: '900482317',
    });
    expect(credit(summary).agreement?.kind).toBe('current');
  });

  it('an employer in PILA that is no longer current: an alert with its last contribution', () => {
    const summary = read(
      [
        andina(
          months('2025-01', '2026-03', 5_000_000, (month) =>
            month === '2026-03' ? { status_changes: ['FINAL_MONTH'] } : {},
          ),
        ),
        sabana,
      ],
      { agreementNit: '900482317' },
    );
    expect(credit(summary).agreement).toMatchObject({ kind: 'not_current', lastMonth: '2026-03' });
    expect(summary.flags).toContain('agreement_employer_not_current');
    // No bound from another employer: the libranza would be deducted by the agreement's employer.
    expect(credit(summary).libranzaBound).toBeNull();
  });

  it('a NIT that PILA does not have: an alert', () => {
    const summary = read([sabana], { agreementNit: '900482317' });
    expect(credit(summary).agreement).toEqual({ kind: 'absent', nit: '900482317' });
    expect(summary.flags).toContain('agreement_employer_not_current');
  });

  it('a mistyped NIT is an alert, never compared, and no one else’s bound stands in', () => {
    const summary = read([sabana], { agreementNit: '860.512.904-3' });
    expect(credit(summary).agreement).toEqual({ kind: 'invalid', problem: 'wrong_check_digit' });
    expect(summary.flags).toContain('agreement_nit_invalid');
    expect(summary.flags).not.toContain('agreement_employer_not_current');
    expect(credit(summary).libranzaBound).toBeNull();
  });

  it.each([
    // As a CRM or a file may write it: the check digit glued on, or after a space.
    ['9004823171'],
    ['900482317 1'],
  ])('reads %j as NIT 900482317 with its check digit', (written) => {
    const summary = read([andina(months('2025-10', '2026-09', 5_000_000))], { agreementNit: written });
    expect(credit(summary).agreement?.kind).toBe('current');
  });

  it('an 8-digit NIT is not read into a 9-digit employer that merely ends like its check digit', () => {
    const nit = '90048231';
    const glued = `${nit}${nitCheckDigit(nit)}`;
    const summary = read([andina(months('2025-10', '2026-09', 5_000_000), glued)], { agreementNit: nit });
    expect(credit(summary).agreement).toEqual({ kind: 'absent', nit });
  });

  it('without a NIT, the highest current employer’s bound, as rule 11 says', () => {
    const summary = read([andina(months('2025-10', '2026-09', 5_000_000)), sabana]);
    expect(credit(summary).agreement).toBeNull();
    expect(credit(summary).libranzaBound?.basis).toBe('highest');
    expect(credit(summary).libranzaBound?.employerKey).toBe('id:900482317');
  });
});

describe('rule 17: the applicant is the person in PILA', () => {
  it.each([
    ['María Fernanda Gómez Restrepo', 'GOMEZ RESTREPO MARIA FERNANDA', 'match'],
    // A missing second surname or second name on either side.
    ['María Gómez', 'María Fernanda Gómez Restrepo', 'match'],
    ['Luis Alberto Pérez Quintero', 'Luis Pérez Quintero', 'match'],
    // Particles and initials do not count.
    ['María F. de los Ángeles Gómez', 'Gómez María Ángeles', 'match'],
    ['Juan Pérez', 'Pedro Pérez Gómez', 'mismatch'],
    ['Camila Andrea Rojas Díaz', 'María Fernanda Gómez Restrepo', 'mismatch'],
    // A name used twice on one side is needed twice on the other.
    ['Juan Juan Pérez', 'Juan Pérez Gómez', 'mismatch'],
    // Too little to tell.
    ['Camila', 'Camila Rojas', null],
    ['Camila Rojas', null, null],
    ['Camila Rojas', '—', null],
  ] as const)('%j against PILA’s %j: %s', (crm, pila, expected) => {
    expect(nameCheckOf(crm, pila)).toBe(expected);
  });

  it('a mismatch is an alert, and every figure is still shown', () => {
    const lines = months('2025-10', '2026-09', 3_000_000);
    const summary = read([employer('Andina', 900482317, lines)], {
      names: { crm: 'Pedro Pérez', pila: 'Juan Pérez' },
    });
    expect(summary.flags[0]).toBe('name_mismatch');
    expect(credit(summary).regularIncome.amount).toBe(3_000_000);
  });
});
