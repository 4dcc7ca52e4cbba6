/**
 * Schema migrations, run at start. Written with Kysely's schema builder and portable column types so
 * the same list serves SQLite and PostgreSQL. Never edit a released migration: add a new one.
 */

import { bogotaDay as bogotaDate, startOfBogotaDay } from '@lupa/contract/bogota-day';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import type { StoreDialect } from './open-store.js';

/** The channel PostgreSQL announces extraction changes on; see `postgres-change-notifier.ts`. */
export const EXTRACTION_CHANGED_CHANNEL = 'lupa_extraction_changed';

/** `now`: the relay's clock, for the migrations that read the time (tests run the relay on their own). */
const migrationsFor = (dialect: StoreDialect, now: () => Date): Record<string, Migration> => ({
  '2026-11-27-001-initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('analysts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('token_hash', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('revoked_at', 'text')
        .execute();

      await db.schema
        .createTable('extractions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('cedula_hash', 'text', (column) => column.notNull())
        .addColumn('cedula_sealed', 'text')
        .addColumn('external_id', 'text', (column) => column.notNull().unique())
        .addColumn('belvo_link_id', 'text', (column) => column.unique())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('stage', 'text', (column) => column.notNull())
        .addColumn('version', 'integer', (column) => column.notNull())
        .addColumn('employments_expected', 'integer')
        .addColumn('employments_received', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('employments_done', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('employments_sealed', 'text')
        .addColumn('owners_expected', 'integer')
        .addColumn('owners_received', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('owners_done', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('owners_sealed', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('error_retryable', 'integer')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addColumn('ready_at', 'text')
        .addColumn('purged_at', 'text')
        .addColumn('link_deletion_requested_at', 'text')
        .execute();
      await db.schema
        .createIndex('extractions_by_cedula')
        .on('extractions')
        .columns(['cedula_hash', 'status', 'created_at'])
        .execute();
      // At most one running extraction per person: concurrent requests join it instead of paying twice.
      await db.schema
        .createIndex('extractions_one_pending_per_cedula')
        .on('extractions')
        .column('cedula_hash')
        .unique()
        .where(sql.ref('status'), '=', 'pending')
        .execute();

      await db.schema
        .createTable('lookups')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('analyst_id', 'text', (column) => column.notNull().references('analysts.id'))
        .addColumn('extraction_id', 'text', (column) => column.notNull().references('extractions.id'))
        .addColumn('cedula_hash', 'text', (column) => column.notNull())
        .addColumn('cedula_masked', 'text', (column) => column.notNull())
        .addColumn('reused', 'integer', (column) => column.notNull())
        .addColumn('consent_reference_sealed', 'text')
        .addColumn('consent_at', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('lookups_by_analyst')
        .on('lookups')
        .columns(['analyst_id', 'created_at'])
        .execute();
      await db.schema.createIndex('lookups_by_extraction').on('lookups').column('extraction_id').execute();
      await db.schema
        .createIndex('lookups_by_analyst_cedula')
        .on('lookups')
        .columns(['analyst_id', 'cedula_hash'])
        .execute();

      await db.schema
        .createTable('webhook_events')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('webhook_id', 'text', (column) => column.notNull().unique())
        .addColumn('link_id', 'text')
        .addColumn('webhook_type', 'text')
        .addColumn('webhook_code', 'text')
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('received_at', 'text', (column) => column.notNull())
        .addColumn('processed_at', 'text')
        .addColumn('outcome', 'text')
        .execute();
      await db.schema
        .createIndex('webhook_events_by_link')
        .on('webhook_events')
        .columns(['link_id', 'processed_at'])
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('kind', 'text', (column) => column.notNull())
        .addColumn('subject_id', 'text', (column) => column.notNull())
        .addColumn('dedupe_key', 'text', (column) => column.unique())
        .addColumn('run_at', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('locked_by', 'text')
        .addColumn('locked_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema.createIndex('jobs_due').on('jobs').columns(['finished_at', 'run_at']).execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('at', 'text', (column) => column.notNull())
        .addColumn('action', 'text', (column) => column.notNull())
        .addColumn('analyst_id', 'text')
        .addColumn('cedula_hash', 'text')
        .addColumn('lookup_id', 'text')
        .addColumn('extraction_id', 'text')
        .addColumn('consent_reference_sealed', 'text')
        .execute();
      await db.schema.createIndex('audit_by_cedula').on('audit_log').columns(['cedula_hash', 'at']).execute();
    },
  },
  /**
   * Long-polls may wait on another node than the one that changes the extraction. The database itself
   * announces each committed version change, so no writer can forget to, and a change rolled back is
   * never announced. SQLite serves one node, whose in-process notifier is enough.
   */
  '2026-11-27-002-announce-extraction-changes': {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`
        create function lupa_announce_extraction_change() returns trigger language plpgsql as $$
        begin
          perform pg_notify(${sql.lit(EXTRACTION_CHANGED_CHANNEL)}, new.id);
          return null;
        end
        $$`.execute(db);
      await sql`
        create trigger extractions_announce_change after update on extractions
        for each row when (old.version is distinct from new.version)
        execute function lupa_announce_extraction_change()`.execute(db);
    },
  },
  /**
   * The daily limit counts what was admitted, in a counter claimed in the same transaction that admits
   * a lookup (it used to count the lookup rows that still existed, so deleting one gave it back, and a
   * count read outside the inserting transaction let concurrent requests past the limit). Today's
   * counts start from the lookups already made today, so an upgrade mid-day gives nothing back.
   */
  '2026-11-30-003-analyst-daily-usage': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('analyst_daily_usage')
        .addColumn('analyst_id', 'text', (column) => column.notNull())
        .addColumn('day', 'text', (column) => column.notNull())
        .addColumn('used', 'integer', (column) => column.notNull())
        .addPrimaryKeyConstraint('analyst_daily_usage_pk', ['analyst_id', 'day'])
        .execute();
      const today = now();
      await sql`
        insert into analyst_daily_usage (analyst_id, day, used)
        select analyst_id, ${bogotaDate(today)}, count(*) from lookups
        where created_at >= ${startOfBogotaDay(today).toISOString()}
        group by analyst_id`.execute(db);
    },
  },
  /** Payroll-agreement batches: the list, and each person with the consent for their lookup. */
  '2026-11-30-004-batches': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('batches')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('analyst_id', 'text', (column) => column.notNull().references('analysts.id'))
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('total_rows', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('batches_by_analyst')
        .on('batches')
        .columns(['analyst_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('batch_rows')
        .addColumn('batch_id', 'text', (column) => column.notNull().references('batches.id'))
        .addColumn('line', 'integer', (column) => column.notNull())
        .addColumn('cedula_hash', 'text', (column) => column.notNull())
        .addColumn('cedula_sealed', 'text')
        .addColumn('cedula_masked', 'text', (column) => column.notNull())
        .addColumn('consent_reference_sealed', 'text')
        .addColumn('state', 'text', (column) => column.notNull())
        .addColumn('lookup_id', 'text')
        .addColumn('refusal_code', 'text')
        .addColumn('updated_at', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('batch_rows_pk', ['batch_id', 'line'])
        .execute();
      await db.schema.createIndex('batch_rows_by_cedula').on('batch_rows').column('cedula_hash').execute();
    },
  },
  '2026-12-01-005-analyst-roles': {
    async up(db: Kysely<unknown>) {
      // Everyone who had a token before roles existed did lookups: they stay analysts.
      await db.schema
        .alterTable('analysts')
        .addColumn('roles', 'text', (column) => column.notNull().defaultTo('analyst'))
        .execute();
      // The usage report reads the audit trail by day.
      await db.schema.createIndex('audit_log_by_at').on('audit_log').column('at').execute();
      // What an admin changed about an analyst (never personal data of an applicant).
      await db.schema.alterTable('audit_log').addColumn('detail', 'text').execute();
    },
  },
  '2026-12-01-006-sign-in': {
    async up(db: Kysely<unknown>) {
      // Analysts who sign in with the lender's identity provider: `iss|sub`, and the e-mail it gave.
      await db.schema.alterTable('analysts').addColumn('oidc_subject', 'text').execute();
      await db.schema.alterTable('analysts').addColumn('email', 'text').execute();
      await db.schema
        .createIndex('analysts_by_oidc_subject')
        .on('analysts')
        .column('oidc_subject')
        .unique()
        .execute();
      await db.schema
        .createTable('sign_in_requests')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('nonce', 'text', (column) => column.notNull())
        .addColumn('code_verifier', 'text', (column) => column.notNull())
        .addColumn('redirect_uri', 'text', (column) => column.notNull())
        .addColumn('client_state', 'text', (column) => column.notNull())
        .addColumn('client_challenge', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('code_hash', 'text', (column) => column.unique())
        .addColumn('analyst_id', 'text')
        .addColumn('idp_refresh_sealed', 'text')
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('analyst_id', 'text', (column) => column.notNull().references('analysts.id'))
        .addColumn('access_hash', 'text', (column) => column.notNull().unique())
        .addColumn('access_expires_at', 'text', (column) => column.notNull())
        .addColumn('refresh_hash', 'text', (column) => column.notNull().unique())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('idp_refresh_sealed', 'text')
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_reason', 'text')
        .execute();
      await db.schema
        .createTable('spent_refresh_tokens')
        .addColumn('hash', 'text', (column) => column.primaryKey())
        .addColumn('session_id', 'text', (column) => column.notNull().references('sessions.id'))
        .addColumn('spent_at', 'text', (column) => column.notNull())
        .execute();
    },
  },
  /**
   * Where an analyst's roles come from (the identity provider's groups, or the relay's CLI and admin
   * routes: never both, or a refresh undoes an admin's demotion), and when a static token stops
   * working. Tokens issued before this release get the default lifetime from the upgrade on.
   */
  '2026-12-05-007-role-source-and-token-expiry': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('analysts')
        .addColumn('roles_source', 'text', (column) => column.notNull().defaultTo('relay'))
        .execute();
      await db.schema.alterTable('analysts').addColumn('token_expires_at', 'text').execute();
      // 90 days: the default of `analysts add --expires-days` when this migration was written.
      const expiry = new Date(now().getTime() + 90 * 86_400_000).toISOString();
      await sql`update analysts set token_expires_at = ${expiry}`.execute(db);
    },
  },
  /**
   * No row before authentication: anyone could make the relay write (and fsync) one per anonymous
   * GET /auth/sign-in. A sign-in in flight now travels sealed in the provider's `state`; only the
   * confirmed ones, with their one-time code, are stored. Sign-ins in flight at the upgrade start again.
   */
  '2026-12-05-008-sign-in-codes': {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable('sign_in_requests').execute();
      await db.schema
        .createTable('sign_in_codes')
        .addColumn('code_hash', 'text', (column) => column.primaryKey())
        .addColumn('client_challenge', 'text', (column) => column.notNull())
        .addColumn('analyst_id', 'text', (column) => column.notNull().references('analysts.id'))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .addColumn('idp_refresh_sealed', 'text')
        .execute();
    },
  },
  /**
   * Batch long-polls wake on changes instead of reading the batch every 250 ms: on PostgreSQL each
   * change to a batch or its rows is announced on the same channel as extractions' (as
   * `batch:<id>`, the key change-notifier.ts subscribes to), so a node hears other nodes' too.
   */
  '2026-12-05-009-announce-batch-changes': {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      for (const [table, batchId] of [
        ['batches', 'id'],
        ['batch_rows', 'batch_id'],
      ] as const) {
        await sql`
          create function ${sql.raw(`lupa_announce_${table}_change`)}() returns trigger language plpgsql as $$
          begin
            perform pg_notify(${sql.lit(EXTRACTION_CHANGED_CHANNEL)}, 'batch:' || new.${sql.raw(batchId)});
            return null;
          end
          $$`.execute(db);
        await sql`
          create trigger ${sql.raw(`${table}_announce_change`)} after update on ${sql.table(table)}
          for each row when (old is distinct from new)
          execute function ${sql.raw(`lupa_announce_${table}_change`)}()`.execute(db);
      }
    },
  },
  /** A refresh token presented again within a short grace gets the pair it was exchanged for. */
  '2026-12-05-010-refresh-grace': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('spent_refresh_tokens').addColumn('successor_sealed', 'text').execute();
    },
  },
});

export async function migrateToLatest(
  db: Kysely<unknown>,
  dialect: StoreDialect,
  now: () => Date = () => new Date(),
): Promise<void> {
  const migrations = migrationsFor(dialect, now);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
