import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditAction, AuditLogTable, Database } from '../schema.js';

export type AuditEntry = AuditLogTable;

export async function appendAudit(db: Kysely<Database>, entry: AuditLogTable): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
}

/** An entry the relay writes about an extraction on its own (retention, an operator's erasure). */
export async function appendRelayAudit(
  db: Kysely<Database>,
  action: Extract<AuditAction, 'report_purged' | 'person_erased'>,
  extraction: { id: string; cedula_hash: string },
  at: string,
): Promise<void> {
  await appendAudit(db, {
    id: randomUUID(),
    at,
    action,
    analyst_id: null,
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

export async function findAuditSealedAs(
  db: Kysely<Database>,
  prefix: string,
  afterId: string,
  limit: number,
) {
  return db
    .selectFrom('audit_log')
    .select(['id', 'consent_reference_sealed'])
    .where('consent_reference_sealed', 'like', `${prefix}%`)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/**
 * Re-sealing is the one change the audit log ever sees: the same consent reference, bound to its row.
 * Only if the value is still the one read.
 */
export async function replaceAuditSeal(db: Kysely<Database>, id: string, from: string, to: string) {
  await db
    .updateTable('audit_log')
    .set({ consent_reference_sealed: to })
    .where('id', '=', id)
    .where('consent_reference_sealed', '=', from)
    .execute();
}
