/** Daily limits reset at midnight in Bogotá (UTC−5 all year: Colombia has no daylight saving). */
const BOGOTA_OFFSET_MS = -5 * 3_600_000;
const DAY_MS = 86_400_000;

export function startOfBogotaDay(at: Date): Date {
  const local = at.getTime() + BOGOTA_OFFSET_MS;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - BOGOTA_OFFSET_MS);
}

/** The Bogotá calendar date of `at`, `YYYY-MM-DD`: the key of an analyst's daily usage. */
export function bogotaDate(at: Date): string {
  return new Date(at.getTime() + BOGOTA_OFFSET_MS).toISOString().slice(0, 10);
}

export function nextBogotaMidnight(at: Date): Date {
  return new Date(startOfBogotaDay(at).getTime() + DAY_MS);
}
