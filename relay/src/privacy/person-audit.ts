/** A person's audit trail as the data-protection officer reads it (API and CLI). */
import type { PersonAudit } from '@lupa/contract';
import type { RelayContext } from '../relay-context.js';
import { findAnalystNames } from '../store/queries/analysts-queries.js';
import { appendActionAudit, findAuditOfCedula } from '../store/queries/audit-log-queries.js';

/**
 * The trail, with this reading in it: every access to a person is audited, reading their trail too.
 * `by`: the officer's id, or null for an operator at the command line.
 */
export async function personAudit(
  ctx: RelayContext,
  cedula: string,
  { by = null }: { by?: string | null } = {},
): Promise<PersonAudit> {
  // The reading and its entry together: a read that fails leaves no entry of an access that gave nothing.
  const entries = await ctx.store.db.transaction().execute(async (trx) => {
    await appendActionAudit(trx, 'person_audited', by, ctx.now().toISOString(), {
      cedulaHash: ctx.protector.cedulaHash(cedula),
    });
    return findAuditOfCedula(trx, ctx.protector.cedulaHashes(cedula));
  });
  const names = await findAnalystNames(
    ctx.store.db,
    entries.flatMap((entry) => (entry.analyst_id ? [entry.analyst_id] : [])),
  );
  return {
    entries: entries.map((entry) => ({
      at: entry.at,
      action: entry.action,
      analyst: entry.analyst_id ? { id: entry.analyst_id, name: names.get(entry.analyst_id) ?? '?' } : null,
      lookupId: entry.lookup_id,
      consentReference: entry.consent_reference_sealed
        ? ctx.protector.open(entry.consent_reference_sealed, {
            table: 'audit_log',
            column: 'consent_reference_sealed',
            id: entry.id,
          })
        : null,
    })),
  };
}
