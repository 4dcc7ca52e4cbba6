/** Money and dates the way a Colombian analyst reads them: `$ 3.500.000`, Bogotá time. */
import type { Language } from './i18n.js';

// British English: its dates are dd/mm/yyyy like the Spanish ones, never the American mm/dd.
const LOCALES: Record<Language, string> = { es: 'es-CO', en: 'en-GB' };

const cop = new Map<Language, Intl.NumberFormat>();
export function formatCop(amount: number | null | undefined, language: Language = 'es'): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  let format = cop.get(language);
  if (!format) {
    format = new Intl.NumberFormat(LOCALES[language], {
      style: 'currency',
      currency: 'COP',
      maximumFractionDigits: 0,
      minimumFractionDigits: 0,
    });
    cop.set(language, format);
  }
  return format.format(Math.round(amount));
}

const dateTimes = new Map<Language, Intl.DateTimeFormat>();
export function formatDateTime(iso: string, language: Language = 'es'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  // Building a formatter costs more than formatting: the history formats hundreds of dates.
  let format = dateTimes.get(language);
  if (!format) {
    // 05/12/2026, 10:00 a. m.: day and month always with two digits, as analysts write dates.
    format = new Intl.DateTimeFormat(LOCALES[language], {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone: 'America/Bogota',
    });
    dateTimes.set(language, format);
  }
  return format.format(date);
}

/** A Bogotá day, `2026-12-05`, as `05/12/2026` (dd/mm/aaaa) in every language's table. */
export function formatDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : day;
}

/** `2026-10` as `oct 2026`. */
const monthFormats = new Map<Language, Intl.DateTimeFormat>();
export function formatMonth(month: string, language: Language = 'es'): string {
  const date = new Date(`${month}-15T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  let format = monthFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], { month: 'short', year: 'numeric', timeZone: 'UTC' });
    monthFormats.set(language, format);
  }
  return format.format(date).replace('.', '');
}

export function formatPercent(value: number | null, language: Language = 'es'): string {
  if (value === null) return '—';
  return `${value > 0 ? '+' : ''}${new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 1 }).format(value)} %`;
}
