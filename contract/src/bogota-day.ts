/**
 * Bogotá's calendar, for both packages: Colombia is UTC−5 all year (no daylight saving). A PILA month,
 * an analyst's daily limit and a file's date are all Bogotá's, never UTC's: 02:30Z on 1 April is
 * still 31 March there.
 */
export const BOGOTA_OFFSET_MS = -5 * 3_600_000;
const DAY_MS = 86_400_000;

/** The Bogotá calendar date of `at`, `YYYY-MM-DD`. */
export function bogotaDay(at: Date): string {
  return new Date(at.getTime() + BOGOTA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Bogotá month of `at`, `YYYY-MM`. */
export function bogotaMonth(at: Date): string {
  return bogotaDay(at).slice(0, 7);
}

export function startOfBogotaDay(at: Date): Date {
  const local = at.getTime() + BOGOTA_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - BOGOTA_OFFSET_MS);
}

export function nextBogotaMidnight(at: Date): Date {
  return new Date(startOfBogotaDay(at).getTime() + DAY_MS);
}
