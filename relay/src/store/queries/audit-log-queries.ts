import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AuditAction, AuditLogTable, Database } from '../schema.js';

export type AuditEntry = AuditLogTable;

export async function appendAudit(db: Kysely<Database>, entry: AuditLogTable): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
}

/**
 * An entry about an extraction the relay writes on its own (retention) or on an officer's request
 * (erasure: `by` is the data-protection officer; none when an operator ran it from the command line).
 */
export async function appendRelayAudit(
  db: Kysely<Database>,
  action: Extract<AuditAction, 'report_purged' | 'person_erased'>,
  extraction: { id: string; cedula_hash: string },
  at: string,
  by: string | null = null,
): Promise<void> {
  await appendAudit(db, {
    id: randomUUID(),
    at,
    action,
    analyst_id: by,
    cedula_hash: extraction.cedula_hash,
    lookup_id: null,
    extraction_id: extraction.id,
    consent_reference_sealed: null,
  });
}

/** `cedulaHashes`: the person's hash under every key in use (see DataProtector.cedulaHashes). */
export async function findAuditOfCedula(db: Kysely<Database>, cedulaHashes: string[]): Promise<AuditEntry[]> {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('cedula_hash', 'in', cedulaHashes)
    .orderBy('at')
    .execute();
}

/**
 * The entries the usage report counts, in [from, to), counted in the database per UTC hour, analyst
 * and action: at most one row per hour an analyst worked (about 100,000 for 50 analysts over a
 * working year), however many lookups they made. An hour lies within one Bogotá day (UTC−5, whole
 * hours), so the caller sums hours into days.
 */
export async function countUsageEntries(
  db: Kysely<Database>,
  from: string,
  to: string,
): Promise<Array<{ hour: string; action: AuditAction; analystId: string; count: number }>> {
  // `at` is ISO 8601 in UTC: its first 13 characters are the hour, in both stores.
  const hour = sql<string>`substr(at, 1, 13)`;
  const rows = await db
    .selectFrom('audit_log')
    .select([hour.as('hour'), 'action', 'analyst_id', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('at', '>=', from)
    .where('at', '<', to)
    .where('action', 'in', [
      'lookup_created',
      'lookup_reused',
      'lookup_joined',
      'link_registered',
      'lookup_failed',
    ])
    .where('analyst_id', 'is not', null)
    .groupBy([hour, 'action', 'analyst_id'])
    .execute();
  return rows.map((row) => ({
    hour: row.hour,
    action: row.action,
    analystId: row.analyst_id!,
    count: Number(row.count),
  }));
}

/**
 * An entry for what a person did that touches no lookup, by `by` (an officer, supervisor or admin;
 * null for an operator at the command line): an access to a person's data or to the team's activity
 * (a trail read, an erasure request that found nothing, a usage report read) or an admin's change to
 * an analyst. `cedulaHash` names the person, `detail` what else the auditor needs (a period, what
 * changed).
 */
export async function appendActionAudit(
  db: Kysely<Database>,
  action: Extract<
    AuditAction,
    'person_audited' | 'person_erased' | 'usage_read' | 'roles_changed' | 'analyst_revoked'
  >,
  by: string | null,
  at: string,
  { cedulaHash = null, detail }: { cedulaHash?: string | null; detail?: Record<string, unknown> } = {},
): Promise<void> {
  await appendAudit(db, {
    id: randomUUID(),
    at,
    action,
    analyst_id: by,
    cedula_hash: cedulaHash,
    lookup_id: null,
    extraction_id: null,
    consent_reference_sealed: null,
    ...(detail ? { detail: JSON.stringify(detail) } : {}),
  });
}
