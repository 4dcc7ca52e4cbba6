import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/**
 * Takes one of the analyst's lookups for `day` if fewer than `limit` were taken, in one statement that
 * admits or refuses atomically on SQLite and PostgreSQL alike (PostgreSQL re-checks the condition on
 * the row a concurrent transaction just committed). Run it inside the transaction that admits the
 * lookup, so a refusal or a rollback takes nothing. Nothing ever gives a lookup back.
 */
export async function claimDailyLookup(
  db: Kysely<Database>,
  analystId: string,
  day: string,
  limit: number,
): Promise<boolean> {
  const result = await db
    .insertInto('analyst_daily_usage')
    .values({ analyst_id: analystId, day, used: 1 })
    .onConflict((conflict) =>
      conflict
        .columns(['analyst_id', 'day'])
        .doUpdateSet((update) => ({ used: update('analyst_daily_usage.used', '+', 1) }))
        .where('analyst_daily_usage.used', '<', limit),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function dailyLookupsUsed(
  db: Kysely<Database>,
  analystId: string,
  day: string,
): Promise<number> {
  const row = await db
    .selectFrom('analyst_daily_usage')
    .select('used')
    .where('analyst_id', '=', analystId)
    .where('day', '=', day)
    .executeTakeFirst();
  return row?.used ?? 0;
}
