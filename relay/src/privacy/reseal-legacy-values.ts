/**
 * Values sealed before the row binding (format v1: bound to their column's purpose only, so one could
 * be copied to another row and still open) are opened and sealed again bound to table, column and row,
 * when the relay starts. Each replacement is compare-and-set, so nodes starting together do no harm;
 * values sealed with a previous key are re-sealed with the current one on the way.
 */

import type { RelayContext } from '../relay-context.js';
import {
  findRowsSealedAs,
  replaceSeal,
  SEALED_COLUMNS,
  type SealedColumn,
  type SealedTable,
} from '../store/queries/sealed-values-queries.js';

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
  // Every sealed column of every table, each value bound to its own row.
  for (const table of Object.keys(SEALED_COLUMNS) as SealedTable[]) {
    for (let rows = await findRowsSealedAs(db, table, LEGACY_PREFIX, '', BATCH); rows.length > 0; ) {
      for (const row of rows) {
        for (const column of SEALED_COLUMNS[table] as readonly SealedColumn<typeof table>[]) {
          const value = row[column];
          if (!value || !protector.isLegacy(value)) continue;
          // The protector's field is a union by table; the loop's table and column are one of its members.
          const next = rebound(value, { table, column, id: row.id } as Field);
          if (!next) continue;
          await replaceSeal(db, table, column, row.id, value, next);
          resealed++;
        }
      }
      rows = await findRowsSealedAs(db, table, LEGACY_PREFIX, rows.at(-1)!.id, BATCH);
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
