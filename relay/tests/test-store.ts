/**
 * Which store the relay suite runs on: a SQLite file (project `relay`) or a fresh database on the
 * throwaway PostgreSQL server (project `relay-postgres`, LUPA_TEST_STORE=postgres). Each test stack gets
 * its own database, so files run in parallel without seeing each other's rows.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';

export type TestStoreKind = 'sqlite' | 'postgres';

export const TEST_STORE: TestStoreKind = process.env.LUPA_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
const POSTGRES_SCRIPT = join(PROJECT_ROOT, 'scripts/test-postgres.sh');

/** The throwaway server's maintenance database, as `scripts/test-postgres.sh url` prints it. */
export function postgresAdminUrl(): string {
  const port = process.env.LUPA_TEST_POSTGRES_PORT ?? '54329';
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/** Whether the throwaway server answers; `reason` says why not. */
export async function probePostgres(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: postgresAdminUrl(), connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

async function onAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export type TestDatabase = {
  url: string;
  /** Every stored value as text, to check that nothing personal is stored in clear. */
  storedText(): Promise<string>;
  drop(): Promise<void>;
};

export async function createTestDatabase(
  dir: string,
  kind: TestStoreKind = TEST_STORE,
): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const path = join(dir, 'relay.db');
    return {
      url: `sqlite:${path}`,
      // The file and its write-ahead log, as bytes on disk.
      storedText: async () =>
        [path, `${path}-wal`]
          .filter(existsSync)
          .map((file) => readFileSync(file).toString('latin1'))
          .join('\n'),
      drop: async () => {},
    };
  }
  const name = `lupa_test_${randomBytes(6).toString('hex')}`;
  await onAdmin((client) => client.query(`create database ${name}`));
  const url = postgresAdminUrl().replace(/\/postgres$/, `/${name}`);
  return {
    url,
    storedText: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const tables = await client.query<{ tablename: string }>(
          "select tablename from pg_tables where schemaname = 'public'",
        );
        const dumps: string[] = [];
        for (const { tablename } of tables.rows) {
          const rows = await client.query(`select t::text as row from ${tablename} t`);
          dumps.push(...rows.rows.map((row: { row: string }) => row.row));
        }
        return dumps.join('\n');
      } finally {
        await client.end();
      }
    },
    drop: () =>
      onAdmin((client) => client.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  };
}

/**
 * Starts, stops or deletes a throwaway server through scripts/test-postgres.sh; `server` picks another
 * port and folder than the shared one (LUPA_TEST_POSTGRES_PORT, LUPA_TEST_POSTGRES_DIR).
 */
export function controlPostgres(
  step: 'start' | 'stop' | 'destroy',
  server: Record<string, string> = {},
): void {
  const result = spawnSync('bash', [POSTGRES_SCRIPT, step], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...server },
  });
  if (result.status !== 0) throw new Error(`test-postgres.sh ${step} failed: ${result.stderr}`);
}
