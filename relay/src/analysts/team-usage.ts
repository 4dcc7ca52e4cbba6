/**
 * The team's usage for supervisors: per analyst and Bogotá day, the lookups they asked for, how many
 * of those cost nothing at Belvo (reused or joined), the Belvo links registered for them (the paid
 * step) and their failures. Read from the audit trail, which outlives lookups (retention, erasure).
 */
import type { Usage, UsageRow } from '@lupa/contract';
import type { Kysely } from 'kysely';
import { bogotaDate } from '../lookups/bogota-day.js';
import { findAnalystNames } from '../store/queries/analysts-queries.js';
import { countUsageEntries } from '../store/queries/audit-log-queries.js';
import type { AuditAction, Database } from '../store/schema.js';

const DAY_MS = 86_400_000;
/** Longer periods are split by whoever asks: a year of a large team is still one answer. */
export const USAGE_MAX_DAYS = 366;

/** The UTC instants a period of Bogotá days covers, `[from, to)`; undefined if it is not a period. */
export function bogotaPeriod(from: string, to: string): { from: string; to: string } | undefined {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(from) || !day.test(to)) return undefined;
  // Midnight in Bogotá is 05:00 UTC all year (no daylight saving).
  const start = Date.parse(`${from}T05:00:00.000Z`);
  const end = Date.parse(`${to}T05:00:00.000Z`) + DAY_MS;
  // Date.parse accepts 2026-02-31; the round trip does not.
  if (Number.isNaN(start) || Number.isNaN(end) || new Date(start).toISOString().slice(0, 10) !== from)
    return undefined;
  if (new Date(end - DAY_MS).toISOString().slice(0, 10) !== to) return undefined;
  const days = (end - start) / DAY_MS;
  if (days < 1 || days > USAGE_MAX_DAYS) return undefined;
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

const COUNTED: Partial<
  Record<AuditAction, Array<keyof Omit<UsageRow, 'day' | 'analystId' | 'analystName'>>>
> = {
  lookup_created: ['lookups'],
  lookup_reused: ['lookups', 'reuses'],
  lookup_joined: ['lookups', 'reuses'],
  link_registered: ['linksRegistered'],
  lookup_failed: ['failures'],
};

/** `from` and `to` are Bogotá days, both included; undefined when they are not a valid period. */
export async function teamUsage(db: Kysely<Database>, from: string, to: string): Promise<Usage | undefined> {
  const period = bogotaPeriod(from, to);
  if (!period) return undefined;
  const rows = new Map<string, UsageRow>();
  for (const entry of await countUsageEntries(db, period.from, period.to)) {
    const counted = COUNTED[entry.action];
    if (!counted) continue;
    const day = bogotaDate(new Date(`${entry.hour}:00:00.000Z`));
    const key = `${day} ${entry.analystId}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        day,
        analystId: entry.analystId,
        analystName: '',
        lookups: 0,
        reuses: 0,
        linksRegistered: 0,
        failures: 0,
      };
      rows.set(key, row);
    }
    for (const field of counted) row[field] += entry.count;
  }
  const names = await findAnalystNames(db, [...new Set([...rows.values()].map((row) => row.analystId))]);
  const sorted = [...rows.values()]
    .map((row) => ({ ...row, analystName: names.get(row.analystId) ?? '?' }))
    .sort((a, b) => a.day.localeCompare(b.day) || a.analystName.localeCompare(b.analystName, 'es'));
  return { from, to, rows: sorted };
}
