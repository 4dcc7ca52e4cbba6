import { parseCedula } from '@lupa/contract/cedula';
import { describe, expect, it } from 'vitest';
import { addMonths, latestPilaMonth } from '../../src/emulator/colombian-data.js';
import { DEMO_PEOPLE, personFor } from '../../src/emulator/demo-people.js';

describe('emulator months', () => {
  it.each([
    ['2026-11', -1, '2026-10'],
    ['2026-01', -1, '2025-12'],
    ['2026-11', -23, '2024-12'],
    ['2025-12', 1, '2026-01'],
  ])('%s %+d → %s', (month, offset, expected) => {
    expect(addMonths(month, offset)).toBe(expected);
  });

  it('takes the month before now as the latest PILA month', () => {
    expect(latestPilaMonth(new Date('2026-11-27T00:00:00Z'))).toBe('2026-10');
    expect(latestPilaMonth(new Date('2026-01-03T00:00:00Z'))).toBe('2025-12');
  });
});

describe('demo people', () => {
  it('have valid cédulas and distinct scenarios', () => {
    for (const person of DEMO_PEOPLE) expect(parseCedula(person.cedula).ok).toBe(true);
    expect(new Set(DEMO_PEOPLE.map((person) => person.cedula)).size).toBe(DEMO_PEOPLE.length);
  });

  it('generates the same history for the same unknown cédula, within 24 months and above the minimum wage', () => {
    const first = personFor('79111222').employments('2026-10');
    expect(personFor('79111222').employments('2026-10')).toEqual(first);
    const months = first.flatMap((spec) => spec.months);
    expect(months.length).toBeGreaterThan(0);
    for (const entry of months) {
      expect(entry.month >= '2024-11' && entry.month <= '2026-10').toBe(true);
      expect(entry.gross).toBeGreaterThanOrEqual(1_300_000);
    }
  });

  it('gives the long career two current employers in the latest month', () => {
    const current = personFor('1020304050')
      .employments('2026-10')
      .filter((spec) =>
        spec.months.some(
          (entry) => entry.month === '2026-10' && !entry.statusChanges?.includes('FINAL_MONTH'),
        ),
      );
    expect(current).toHaveLength(2);
  });
});
