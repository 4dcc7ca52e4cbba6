import type { Kysely } from 'kysely';
import type { Database, WebhookEventsTable } from '../schema.js';

export type WebhookEvent = WebhookEventsTable;

/** Rows per INSERT: well under SQLite's and PostgreSQL's limits on bound parameters. */
const ROWS_PER_INSERT = 500;

/**
 * Stores webhooks in as few statements as possible; returns the webhook_ids stored now. One stored
 * before (Belvo delivered it again, or another node got it first) is left as it was and not returned.
 */
export async function insertWebhookEvents(
  db: Kysely<Database>,
  events: WebhookEventsTable[],
): Promise<Set<string>> {
  const stored = new Set<string>();
  for (let start = 0; start < events.length; start += ROWS_PER_INSERT) {
    const rows = await db
      .insertInto('webhook_events')
      .values(events.slice(start, start + ROWS_PER_INSERT))
      .onConflict((conflict) => conflict.column('webhook_id').doNothing())
      .returning('webhook_id')
      .execute();
    for (const row of rows) stored.add(row.webhook_id);
  }
  return stored;
}

export async function findWebhookEvent(db: Kysely<Database>, id: string): Promise<WebhookEvent | undefined> {
  return db.selectFrom('webhook_events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Events that arrived before their link was known to us. */
export async function findUnprocessedEventIdsOfLink(db: Kysely<Database>, linkId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_events')
    .select('id')
    .where('link_id', '=', linkId)
    .where('processed_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

/** Marks the event processed once; false when another worker got there first. */
export async function markWebhookEventProcessed(
  db: Kysely<Database>,
  id: string,
  outcome: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_events')
    .set({ processed_at: now, outcome })
    .where('id', '=', id)
    .where('processed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteWebhookEventsReceivedBefore(
  db: Kysely<Database>,
  before: string,
): Promise<number> {
  const result = await db.deleteFrom('webhook_events').where('received_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
