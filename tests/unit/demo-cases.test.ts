/**
 * Each credit-indicator demo person of the emulator, through the same path a lookup takes (the
 * emulator's Belvo records, then the extension's summary), shows the case its scenario names.
 * Collected on 2026-11-20: the emulator's latest PILA month is then October 2026, and the latest due
 * month September 2026 (docs/credit-reading.md).
 */
import { ReadableReportSchema } from '@lupa/contract';
import { describe, expect, it } from 'vitest';
import { latestPilaMonth, toBelvoEmployment } from '../../relay/src/emulator/colombian-data.js';
import { personFor } from '../../relay/src/emulator/demo-people.js';
import { type Summary, summarize } from '../../utils/report/summary/summarize.js';

const NOW = new Date('2026-11-20T10:00:00Z');

function summaryOf(cedula: string, declaredIncome: number | null = null): Summary {
  const person = personFor(cedula);
  const employments = [
    ...person
      .employments(latestPilaMonth(NOW))
      .map((spec, index) => toBelvoEmployment(spec, { id: `e${index}`, link: 'l' }, NOW.toISOString())),
    ...(person.unreadableRecords ?? []),
  ];
  // As the extension reads a report: each record through the contract.
  return summarize(ReadableReportSchema.shape.employments.parse(employments), {
    consultedAt: NOW.toISOString(),
    declaredIncome,
  });
}

describe('the emulator’s indicator cases', () => {
  it('1000000006: a contractor on a $2.400.000 base is estimated at $6.000.000', () => {
    expect(summaryOf('1000000006').credit?.regularEstimate).toEqual({ kind: 'exact', amount: 6_000_000 });
  });

  it('1000000007: salario integral on $21.000.000 is estimated at $30.000.000', () => {
    expect(summaryOf('1000000007').credit?.regularEstimate).toEqual({ kind: 'exact', amount: 30_000_000 });
  });

  it('1000000008: a late-filing employer stays current and income does not drop', () => {
    const summary = summaryOf('1000000008');
    expect(summary.currentEmployers.map((employer) => employer.filedLatestMonth)).toEqual([false, true]);
    expect(summary.credit?.regularIncome.amount).toBe(6_000_000);
    expect(summary.flags).not.toContain('income_drop');
  });

  it('1000000009: a leave split over two lines reads $8.000.000 reported but $4.000.000 regular', () => {
    const summary = summaryOf('1000000009');
    expect(summary.latestIncome).toBe(8_000_000);
    expect(summary.credit?.regularIncome.amount).toBe(4_000_000);
  });

  it('1000000010: a bonus a year earlier is no drop', () => {
    const summary = summaryOf('1000000010');
    expect(summary.credit?.incomeChange.percent).toBe(0);
    expect(summary.flags).not.toContain('income_drop');
  });

  it('1000000011: the licence month is left out of regular income', () => {
    expect(summaryOf('1000000011').credit?.regularIncome.amount).toBe(5_200_000);
  });

  it('1000000012: a pensioner, with a libranza bound of half the net', () => {
    const summary = summaryOf('1000000012');
    expect(summary.flags).toContain('pensioner');
    expect(summary.credit?.libranzaBound?.amount).toBe(Math.round(0.5 * 3_200_000 * 0.92));
  });
});

describe('the emulator’s real-data cases (messy PILA)', () => {
  it('1000000013: stale data, the only employer stopped in April: no current employer, five due months', () => {
    const summary = summaryOf('1000000013');
    expect(summary.currentEmployers).toEqual([]);
    expect(summary.credit?.withoutCurrentEmployer).toEqual({ lastMonth: '2026-04', dueMonthsWithout: 5 });
    expect(summary.flags).toContain('no_current_employer');
    expect(summary.credit?.libranzaBound).toBeNull();
  });

  it('1000000014: a line a year ahead, a month "13" and a record that is no record are counted, never used', () => {
    const summary = summaryOf('1000000014');
    expect(summary.skipped).toEqual({
      unreadableRecords: 1,
      unreadableLines: 0,
      afterConsultation: 1,
      malformedMonths: 1,
    });
    expect(summary.latestMonth).toBe('2026-10');
    expect(summary.currentEmployers).toHaveLength(1);
    expect(summary.credit?.regularIncome.amount).toBe(3_000_000);
  });

  it('1000000015: a correction planilla counts once, at its highest line, and is atypical', () => {
    const summary = summaryOf('1000000015');
    const september = summary.histories[0]!.months.find((month) => month.month === '2026-09')!;
    expect(september.base).toBe(4_300_000);
    expect(september.atypical).toContainEqual({ kind: 'possible_correction', lines: 2 });
    expect(summary.credit?.regularIncome.amount).toBe(4_000_000);
  });

  it('1000000016: two months without a base stay out of the 12-month average', () => {
    const credit = summaryOf('1000000016').credit!;
    expect([credit.calendarAverage12, credit.monthsWithContribution12, credit.monthsWithoutBase12]).toEqual([
      3_000_000, 10, 2,
    ]);
    expect(credit.regularIncome.amount).toBe(3_000_000);
  });

  it('1000000017: two unnamed employers stay two, and their regular pay adds up', () => {
    const summary = summaryOf('1000000017');
    expect(summary.currentEmployers.map((employer) => employer.unidentifiedNumber)).toEqual([1, 2]);
    expect(summary.credit?.regularIncome.amount).toBe(3_500_000);
  });

  it('1000000018: a contractor at the minimum base is "up to 2,5 SMMLV"; $ 6.000.000 declared is flagged', () => {
    expect(summaryOf('1000000018').credit?.regularEstimate).toEqual({ kind: 'at_most', amount: 4_377_263 });
    expect(summaryOf('1000000018', 5_000_000).flags).not.toContain('declared_above_verified');
    expect(summaryOf('1000000018', 6_000_000).flags).toContain('declared_above_verified');
  });
});
