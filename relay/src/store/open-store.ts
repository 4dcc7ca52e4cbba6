/**
 * Opens the relay's database from DATABASE_URL and brings its schema up to date.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as SqliteDialectDatabase } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import type { Database } from './schema.js';

export type StoreDialect = 'sqlite' | 'postgres';

export type Store = {
  db: Kysely<Database>;
  dialect: StoreDialect;
  /** True when only this process can use the store, so leftover job leases are ours to release. */
  singleNode: boolean;
  ping(): Promise<void>;
  /**
   * After personal data was erased: SQLite overwrites freed pages (secure_delete) but the write-ahead
   * log still holds the old pages until a checkpoint, which this forces and truncates. PostgreSQL
   * reclaims dead rows with its own vacuum (docs/operating-the-relay.md).
   */
  compact(): Promise<void>;
  close(): Promise<void>;
};

const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; preparing was the largest cost of a webhook. Statements are reused
 * by SQL text (Kysely serialises access to the connection, so a statement is never used twice at once).
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  } as SqliteDialectDatabase;
}

export function sqlitePathOf(databaseUrl: string): string {
  return resolve(databaseUrl.slice('sqlite:'.length));
}

export type StoreOptions = {
  /** PostgreSQL: connections this process keeps open. */
  poolSize?: number;
  /** PostgreSQL: a pooled connection that breaks while idle (the server restarted) is reported here. */
  onConnectionError?: (error: Error) => void;
  /** The relay's clock, for migrations that read the time. */
  now?: () => Date;
};

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

export async function openStore(databaseUrl: string, options: StoreOptions = {}): Promise<Store> {
  return isPostgresUrl(databaseUrl)
    ? openPostgresStore(databaseUrl, options)
    : openSqliteStore(databaseUrl, options);
}

/**
 * Several relay nodes share one PostgreSQL. A connection broken by a server restart is dropped from the
 * pool and the next query opens a new one, so a node rides out a restart without being restarted.
 */
async function openPostgresStore(databaseUrl: string, options: StoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    keepAlive: true,
  });
  // Without a listener, an idle connection's error (the server going away) would end the process.
  pool.on('error', (error) => options.onConnectionError?.(error));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as Kysely<unknown>, 'postgres', options.now);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect: 'postgres',
    singleNode: false,
    ping: async () => {
      await pool.query('select 1');
    },
    compact: async () => {},
    close: () => db.destroy(),
  };
}

async function openSqliteStore(databaseUrl: string, options: StoreOptions): Promise<Store> {
  const path = sqlitePathOf(databaseUrl);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Personal data: readable by the relay's user only. SQLite gives the -wal and -shm files the same
  // mode as the database file.
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
  const sqlite = new SqliteDatabase(path);
  // WAL with synchronous=FULL: a commit is on disk before we acknowledge it (webhooks, consent).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // Deleted and purged values are overwritten, not left in free pages.
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrateToLatest(db as Kysely<unknown>, 'sqlite', options.now);
  return {
    db,
    dialect: 'sqlite',
    singleNode: true,
    ping: async () => {
      sqlite.prepare('select 1').get();
    },
    compact: async () => {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: () => db.destroy(),
  };
}

/**
 * A consistent copy of a SQLite store through SQLite's online backup, which is safe while the relay
 * writes (copying the file is not: the write-ahead log holds recent commits). Returns the pages copied.
 */
export async function backupSqlite(path: string, destination: string): Promise<number> {
  const source = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  try {
    // A copy of personal data: readable by the relay's user only, from its first byte.
    // 'wx': never over an existing file (the live store, an earlier backup).
    closeSync(openSync(destination, 'wx', 0o600));
    chmodSync(destination, 0o600);
    const { totalPages } = await source.backup(destination);
    chmodSync(destination, 0o600);
    return totalPages;
  } finally {
    source.close();
  }
}
