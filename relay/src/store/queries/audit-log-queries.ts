import type { Kysely } from 'kysely';
import type { AuditLogTable, Database } from '../schema.js';

export type AuditEntry = AuditLogTable;

export async function appendAudit(db: Kysely<Database>, entry: AuditLogTable): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
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
