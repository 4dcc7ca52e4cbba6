/**
 * Each credit-indicator demo person of the emulator, through the same path a lookup takes (the
 * emulator's Belvo records, then the extension's summary), shows the case its scenario names.
 * Collected on 2026-11-20: the emulator's latest PILA month is then October 2026.
 */
import type { Employment } from '@lupa/contract';
import { describe, expect, it } from 'vitest';
import { latestPilaMonth, toBelvoEmployment } from '../../relay/src/emulator/colombian-data.js';
import { personFor } from '../../relay/src/emulator/demo-people.js';
import { type Summary, summarize } from '../../utils/report/indicators/summarize.js';

const NOW = new Date('2026-11-20T10:00:00Z');

function summaryOf(cedula: string): Summary {
  const employments = personFor(cedula)
    .employments(latestPilaMonth(NOW))
    .map((spec, index) => toBelvoEmployment(spec, { id: `e${index}`, link: 'l' }, NOW.toISOString()));
  return summarize(employments as Employment[]);
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
