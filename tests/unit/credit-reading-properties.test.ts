/**
 * Properties of docs/credit-reading.md over generated Belvo records, clean and messy alike (records and
 * lines of the wrong shape, missing or negative amounts, malformed and future months, unknown values),
 * read as the extension reads a report: through the contract, record by record.
 */
import { ReadableReportSchema } from '@lupa/contract';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { consultationOf } from '../../utils/report/credit/consultation.js';
import {
  nameCheckOf,
  nameWordsOf,
  nitCheckDigit,
  readAgreementNit,
} from '../../utils/report/credit/record-checks.js';
import { addMonths } from '../../utils/report/months.js';
import { type Summary, summarize } from '../../utils/report/summary/summarize.js';

const CONSULTED_AT = '2026-11-20T15:00:00Z';
const CONSULTATION = consultationOf([CONSULTED_AT], CONSULTED_AT);

const month = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -26, max: 0 }).map((offset) => addMonths('2026-11', offset)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 14 }).map((offset) => addMonths('2026-11', offset)) },
  { weight: 1, arbitrary: fc.constantFrom('2026-13', '2026-3', '', '2026-00', 'sept') },
);

const amount = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 60_000_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, -1_500_000, '3000000', Number.POSITIVE_INFINITY) },
);

const line = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      month,
      gross_amount: amount,
      net_amount: fc.option(amount, { nil: null }),
      employment_type: fc.constantFrom('SALARIED', 'CONTRACTUAL', 'PENSIONED', null, 'APRENDIZ'),
      salary_comprehensive: fc.boolean(),
      status_changes: fc.oneof(
        fc.subarray([
          'FIRST_MONTH',
          'FINAL_MONTH',
          'ON_LEAVE',
          'ON_VACATION',
          'TEMPORARY_SALARY_CHANGE',
          'SUSPENSION',
        ]),
        fc.constant('ON_LEAVE'),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, 'line', 7) },
);

const record = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      id: fc.string(),
      collected_at: fc.constantFrom(CONSULTED_AT, null, 'not a date'),
      employer_data: fc.option(
        fc.record({
          name: fc.constantFrom('Andina S.A.S.', 'ANDINA SAS', 'Bolívar', null, ''),
          id_type: fc.constantFrom('NIT', 'CC', null),
          id_number: fc.constantFrom(900100100, '900.100.100-3', 800200200, null, ''),
          tenure: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null }),
        }),
        { nil: null },
      ),
      salary_and_benefit_details: fc.array(line, { maxLength: 30 }),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, 'record', 42, []) },
);

const records = fc.array(record, { maxLength: 5 });

/** As the extension reads a report: each record through the contract on its own. */
const readRecords = (raw: unknown[]) => ReadableReportSchema.shape.employments.parse(raw);

const read = (raw: unknown[]): Summary => summarize(readRecords(raw), { consultedAt: CONSULTED_AT });

/** Every number anywhere in the summary. */
function numbersIn(value: unknown, found: number[] = []): number[] {
  if (typeof value === 'number') found.push(value);
  else if (Array.isArray(value)) for (const item of value) numbersIn(item, found);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) numbersIn(item, found);
  return found;
}

describe('reading any records', () => {
  it('never throws, and never shows a negative or NaN figure', () => {
    fc.assert(
      fc.property(records, (raw) => {
        const summary = read(raw);
        const figures = numbersIn({
          ...summary,
          histories: [],
          trendPercent: null,
          credit: summary.credit && {
            ...summary.credit,
            incomeChange: { ...summary.credit.incomeChange, percent: null },
            declared: null,
          },
        });
        // Percent changes may be negative; every other figure is a count or an amount.
        for (const figure of figures) {
          expect(Number.isNaN(figure)).toBe(false);
          expect(figure).toBeGreaterThanOrEqual(0);
        }
        if (summary.trendPercent !== null) expect(Number.isFinite(summary.trendPercent)).toBe(true);
        const change = summary.credit?.incomeChange.percent;
        if (change !== null && change !== undefined) expect(Number.isFinite(change)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('never reports a current employer with nothing in or after the latest due month', () => {
    fc.assert(
      fc.property(records, (raw) => {
        const summary = read(raw);
        for (const employer of summary.currentEmployers) {
          expect(employer.lastMonth >= summary.consultation.latestDueMonth).toBe(true);
          expect(employer.lastMonth <= summary.consultation.month).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('changes nothing when a line dated after the consultation is added, but counts it', () => {
    const future = fc.integer({ min: 1, max: 30 }).map((offset) => addMonths(CONSULTATION.month, offset));
    fc.assert(
      fc.property(records, future, amount, fc.nat({ max: 4 }), (raw, stray, gross, where) => {
        const before = read(raw);
        const withStray = structuredClone(raw) as unknown[];
        const target = withStray[where] as { salary_and_benefit_details?: unknown } | undefined;
        if (
          target &&
          typeof target === 'object' &&
          !Array.isArray(target) &&
          Array.isArray(target.salary_and_benefit_details)
        ) {
          target.salary_and_benefit_details.push({ month: stray, gross_amount: gross });
        } else {
          withStray.push({
            id: 'stray',
            employer_data: { name: 'Errata', id_number: 811222333 },
            salary_and_benefit_details: [{ month: stray, gross_amount: gross }],
          });
        }
        const after = read(withStray);
        const {
          skipped: skippedAfter,
          credit: creditAfter,
          employerCount: _countAfter,
          histories: _historiesAfter,
          ...restAfter
        } = after;
        const {
          skipped: skippedBefore,
          credit: creditBefore,
          employerCount: _countBefore,
          histories: _historiesBefore,
          ...restBefore
        } = before;
        expect(restAfter).toEqual(restBefore);
        expect(creditAfter && { ...creditAfter, skipped: null }).toEqual(
          creditBefore && { ...creditBefore, skipped: null },
        );
        expect(skippedAfter.afterConsultation).toBe(skippedBefore.afterConsultation + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same summary for the same records, in any order of records', () => {
    fc.assert(
      fc.property(records, (raw) => {
        const forward = read(raw);
        const backward = read([...raw].reverse());
        expect(backward.credit?.regularIncome).toEqual(forward.credit?.regularIncome);
        expect(backward.currentEmployers.length).toBe(forward.currentEmployers.length);
        expect(backward.flags.toSorted()).toEqual(forward.flags.toSorted());
      }),
      { numRuns: 200 },
    );
  });
});

describe('rules 16 and 17: the record checks', () => {
  const nit = fc.integer({ min: 100_000, max: 9_999_999_999 }).map(String);

  it('reads a NIT written with its own check digit, and refuses it with any other digit', () => {
    fc.assert(
      fc.property(nit, fc.integer({ min: 0, max: 9 }), (digits, other) => {
        const dv = nitCheckDigit(digits);
        const dotted = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
        expect(readAgreementNit(`${dotted}-${dv}`)).toEqual({ ok: true, nit: digits });
        if (other !== dv)
          expect(readAgreementNit(`${digits}-${other}`)).toEqual({ ok: false, problem: 'wrong_check_digit' });
      }),
    );
  });

  const word = fc.constantFrom(
    'maría',
    'JOSÉ',
    'Pérez',
    'gómez',
    'Ángela',
    'Restrepo',
    'Díaz',
    'Luis',
    'Rojas',
  );
  const name = fc.array(word, { minLength: 2, maxLength: 5 });

  it('compares names the same both ways, in any order, with any accents and case', () => {
    fc.assert(
      fc.property(name, name, (a, b) => {
        expect(nameCheckOf(a.join(' '), b.join(' '))).toBe(nameCheckOf(b.join(' '), a.join(' ')));
        const shuffled = [...a]
          .reverse()
          .map((part) => part.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase());
        expect(nameCheckOf(shuffled.join(' '), b.join(' '))).toBe(nameCheckOf(a.join(' '), b.join(' ')));
      }),
    );
  });

  it('a name matches itself with a word left out, and never one that has a word the other lacks', () => {
    fc.assert(
      fc.property(
        name.filter((parts) => parts.length >= 3),
        fc.nat(),
        (parts, drop) => {
          const shorter = parts.filter((_, index) => index !== drop % parts.length);
          expect(nameCheckOf(shorter.join(' '), parts.join(' '))).toBe('match');
          const stranger = [...shorter, 'Zuluaga'];
          if (!nameWordsOf(parts.join(' ')).includes('zuluaga'))
            expect(nameCheckOf(stranger.join(' '), parts.join(' '))).toBe('mismatch');
        },
      ),
    );
  });
});
