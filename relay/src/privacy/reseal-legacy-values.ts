/**
 * Values sealed before the row binding (format v1: bound to their column's purpose only, so one could
 * be copied to another row and still open) are opened and sealed again bound to table, column and row,
 * when the relay starts. Each replacement is compare-and-set, so nodes starting together do no harm;
 * values sealed with a previous key are re-sealed with the current one on the way.
 */

import type { RelayContext } from '../relay-context.js';
import { findAuditSealedAs, replaceAuditSeal } from '../store/queries/audit-log-queries.js';
import { findExtractionsSealedAs, replaceExtractionSeal } from '../store/queries/extractions-queries.js';
import { findLookupsSealedAs, replaceLookupSeal } from '../store/queries/lookups-queries.js';

const LEGACY_PREFIX = 'v1.';
const BATCH = 200;

type Field = Parameters<RelayContext['protector']['seal']>[1];

export async function resealLegacyValues(ctx: Pick<RelayContext, 'store' | 'protector' | 'logger'>) {
  const { store, protector } = ctx;
  const { db } = store;
  let resealed = 0;
  const unreadable = new Set<string>();
  /** The value bound to its row; a value no configured key opens stays as it is and is reported. */
  function rebound(value: string, field: Field): string | undefined {
    try {
      return protector.seal(protector.open(value, field), field);
    } catch {
      unreadable.add(`${field.table}.${field.column}:${field.id}`);
      return undefined;
    }
  }
  const extractionColumns = ['cedula_sealed', 'employments_sealed', 'owners_sealed'] as const;
  for (let rows = await findExtractionsSealedAs(db, LEGACY_PREFIX, '', BATCH); rows.length > 0; ) {
    for (const row of rows) {
      for (const column of extractionColumns) {
        const value = row[column];
        if (!value || !protector.isLegacy(value)) continue;
        const next = rebound(value, { table: 'extractions', column, id: row.id });
        if (!next) continue;
        await replaceExtractionSeal(db, row.id, column, value, next);
        resealed++;
      }
    }
    rows = await findExtractionsSealedAs(db, LEGACY_PREFIX, rows.at(-1)!.id, BATCH);
  }
  // Consent references live in two tables, each value bound to its own row.
  const consentTables = [
    { table: 'lookups', find: findLookupsSealedAs, replace: replaceLookupSeal },
    { table: 'audit_log', find: findAuditSealedAs, replace: replaceAuditSeal },
  ] as const;
  for (const { table, find, replace } of consentTables) {
    for (let rows = await find(db, LEGACY_PREFIX, '', BATCH); rows.length > 0; ) {
      for (const { id, consent_reference_sealed: value } of rows) {
        if (!value) continue;
        const next = rebound(value, { table, column: 'consent_reference_sealed', id });
        if (!next) continue;
        await replace(db, id, value, next);
        resealed++;
      }
      rows = await find(db, LEGACY_PREFIX, rows.at(-1)!.id, BATCH);
    }
  }
  if (unreadable.size > 0) {
    ctx.logger.warn(
      { values: [...unreadable] },
      'sealed values no configured key opens were left as they are (RELAY_PREVIOUS_ENCRYPTION_KEYS?)',
    );
  }
  if (resealed > 0) {
    // The old ciphertexts were overwritten in place (secure_delete); the WAL still holds them.
    await store.compact();
    ctx.logger.info({ resealed }, 'sealed values bound to their rows');
  }
  return resealed;
}
