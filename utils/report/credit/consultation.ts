/**
 * When the data was read, and which months were due by then (docs/credit-reading.md, "Términos"). The
 * consultation month C is Bogotá's month of the newest `collected_at`, else of the lookup's creation.
 * A contribution month M is due once its last deadline has passed: the 16th business day of M+1
 * (Decreto 780 de 2016 art. 3.2.2.1, as Decreto 1990 de 2016 set it). Business days are Monday to
 * Friday except Colombia's holidays, from the `colombian-holidays` package (Ley 51 de 1983 and the
 * Easter feasts).
 */
import { bogotaDay, bogotaMonth } from '@lupa/contract/bogota-day';
import { getHolidaysForYear } from 'colombian-holidays';
import { addMonths } from '../months.js';

/** The deadline of a month's planilla: this business day of the following month. */
export const LAST_DEADLINE_BUSINESS_DAY = 16;

export type Consultation = {
  /** C: Bogotá's month of the consultation. */
  month: string;
  /** Bogotá's date of the consultation, `YYYY-MM-DD`. */
  day: string;
  /** D: the latest month whose planilla was due by `day`. */
  latestDueMonth: string;
  /** Where the date came from: Belvo's `collected_at`, or the lookup when no record had a readable one. */
  source: 'collected_at' | 'lookup';
};

const holidaysByYear = new Map<number, Set<string>>();
function holidaysOf(year: number): Set<string> {
  let holidays = holidaysByYear.get(year);
  if (!holidays) {
    holidays = new Set(getHolidaysForYear(year).map((holiday) => holiday.celebrationDate));
    holidaysByYear.set(year, holidays);
  }
  return holidays;
}

/** The `n`th business day of a `YYYY-MM` month, as `YYYY-MM-DD`. */
export function businessDayOf(month: string, n: number): string {
  const year = Number(month.slice(0, 4));
  const monthIndex = Number(month.slice(5, 7)) - 1;
  const holidays = holidaysOf(year);
  let found = 0;
  for (let day = 1; day <= 31; day++) {
    const date = new Date(Date.UTC(year, monthIndex, day));
    if (date.getUTCMonth() !== monthIndex) break;
    const iso = date.toISOString().slice(0, 10);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6 || holidays.has(iso)) continue;
    found++;
    if (found === n) return iso;
  }
  throw new Error(`${month} has fewer than ${n} business days`);
}

const deadlineByMonth = new Map<string, string>();

/** The latest month whose last deadline had passed on Bogotá's date `day` (`YYYY-MM-DD`). */
export function latestDueMonthOn(day: string): string {
  const month = day.slice(0, 7);
  let deadline = deadlineByMonth.get(month);
  if (!deadline) {
    deadline = businessDayOf(month, LAST_DEADLINE_BUSINESS_DAY);
    deadlineByMonth.set(month, deadline);
  }
  // The previous month's deadline falls in this month: passed once the day is after it.
  return day > deadline ? addMonths(month, -1) : addMonths(month, -2);
}

const DAY_MS = 86_400_000;
/** PILA's planilla began in 2006 (Decreto 1465 de 2005): no real collection date is older. */
const EARLIEST_PLAUSIBLE = new Date('2006-01-01T00:00:00Z');

const readableDate = (value: unknown): Date | null => {
  if (typeof value !== 'string' || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/**
 * The consultation of a report: the newest readable `collected_at` of its records, else the lookup's
 * creation (`lookupCreatedAt`), which every report has.
 */
export function consultationOf(collectedAts: unknown[], lookupCreatedAt: string): Consultation {
  const lookupAt = readableDate(lookupCreatedAt);
  if (!lookupAt) throw new Error(`the lookup's date is not a date: ${lookupCreatedAt}`);
  // Belvo reads PILA after the lookup is made: a collected_at after it (plus a day of clock skew) or
  // before PILA existed is a placeholder or a typo, and would move C; such a date is not used.
  const latestPlausible = lookupAt.getTime() + DAY_MS;
  const collected = collectedAts
    .map(readableDate)
    .filter(
      (date): date is Date =>
        date !== null && date.getTime() <= latestPlausible && date >= EARLIEST_PLAUSIBLE,
    )
    .sort((a, b) => b.getTime() - a.getTime())[0];
  const at = collected ?? lookupAt;
  const day = bogotaDay(at);
  return {
    month: bogotaMonth(at),
    day,
    latestDueMonth: latestDueMonthOn(day),
    source: collected ? 'collected_at' : 'lookup',
  };
}
