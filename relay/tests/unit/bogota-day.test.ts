import { describe, expect, it } from 'vitest';
import { nextBogotaMidnight, startOfBogotaDay } from '../../src/lookups/bogota-day.js';

describe('Bogotá days (UTC−5, no daylight saving)', () => {
  it.each([
    ['2026-11-27T03:00:00Z', '2026-11-26T05:00:00.000Z', '2026-11-27T05:00:00.000Z'],
    ['2026-11-27T05:00:00Z', '2026-11-27T05:00:00.000Z', '2026-11-28T05:00:00.000Z'],
    ['2026-11-27T04:59:59Z', '2026-11-26T05:00:00.000Z', '2026-11-27T05:00:00.000Z'],
    ['2026-07-01T12:00:00Z', '2026-07-01T05:00:00.000Z', '2026-07-02T05:00:00.000Z'],
    ['2027-01-01T02:00:00Z', '2026-12-31T05:00:00.000Z', '2027-01-01T05:00:00.000Z'],
  ])('%s starts at %s and resets at %s', (at, start, next) => {
    expect(startOfBogotaDay(new Date(at)).toISOString()).toBe(start);
    expect(nextBogotaMidnight(new Date(at)).toISOString()).toBe(next);
  });
});
