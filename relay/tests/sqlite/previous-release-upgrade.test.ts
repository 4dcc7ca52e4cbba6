/**
 * A relay upgraded in place: it opens a SQLite store written by the previous release (made by
 * fixtures/make-previous-release-store.ts at commit fb704be), migrates it, binds every sealed value
 * to its row, and serves the report, the audit trail and the daily usage as before. SQLite only: the
 * fixture is a SQLite file.
 *
 * The fixture was written on one day and its report expires with the retention period, so the relay
 * runs on a clock set one hour after the fixture's lookup: the test reads the same on any date.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Me, Report } from '@lupa/contract';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { bogotaDate } from '../../src/lookups/bogota-day.js';
import { createLogger } from '../../src/observability/logger.js';
import { type RunningRelay, startRelay } from '../../src/relay-server.js';
import { runCli } from '../cli-runner.js';
import { analystClient, relayEnv } from '../relay-harness.js';

const FIXTURES = join(import.meta.dirname, '../fixtures');
const fixture = JSON.parse(readFileSync(join(FIXTURES, 'previous-release.json'), 'utf8')) as {
  encryptionKey: string;
  analystToken: string;
  lookupId: string;
  cedula: string;
  consentReference: string;
  ownerName: string;
  employments: number;
};

let dir: string;
let path: string;
let env: Record<string, string>;
let relay: RunningRelay;
let lookupCreatedAt: Date;
/** One hour after the fixture's lookup: within retention and the reuse window, whatever today is. */
let relayNow: Date;

/** Every sealed value in the store, with where it lives. */
function sealedValues(): string[] {
  const db = new Database(path, { readonly: true });
  try {
    const rows = [
      ...db.prepare('select cedula_sealed a, employments_sealed b, owners_sealed c from extractions').all(),
      ...db.prepare('select consent_reference_sealed a from lookups').all(),
      ...db.prepare('select consent_reference_sealed a from audit_log').all(),
    ] as Array<Record<string, string | null>>;
    return rows.flatMap((row) => Object.values(row).filter((value): value is string => value !== null));
  } finally {
    db.close();
  }
}

function lookupCreatedAtInFixture(): Date {
  const db = new Database(path, { readonly: true });
  try {
    const { created_at } = db.prepare('select created_at from lookups').get() as { created_at: string };
    return new Date(created_at);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lupa-upgrade-'));
  path = join(dir, 'relay.db');
  copyFileSync(join(FIXTURES, 'previous-release.db'), path);
  expect(sealedValues().every((value) => value.startsWith('v1.'))).toBe(true);
  lookupCreatedAt = lookupCreatedAtInFixture();
  relayNow = new Date(lookupCreatedAt.getTime() + 3_600_000);
  env = relayEnv(`sqlite:${path}`, 'http://127.0.0.1:9', { RELAY_ENCRYPTION_KEY: fixture.encryptionKey });
  relay = await startRelay(loadConfig(env), { logger: createLogger('warn'), now: () => relayNow });
});
afterAll(async () => {
  await relay?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('upgrading a store written by the previous release', () => {
  it('binds every sealed value to its row at start', () => {
    const values = sealedValues();
    expect(values.length).toBeGreaterThanOrEqual(5);
    expect(values.filter((value) => !value.startsWith('v2.'))).toEqual([]);
  });

  it('serves the report it stored, to the analyst who asked', async () => {
    const api = analystClient(relay.url, fixture.analystToken);
    const response = await api.get(`v1/lookups/${fixture.lookupId}/report`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as Report;
    expect(report.owners[0]?.display_name).toBe(fixture.ownerName);
    expect(report.employments).toHaveLength(fixture.employments);
  });

  it('keeps the audit trail readable, consent reference included', () => {
    const audit = runCli(['audit', '--cedula', fixture.cedula], env);
    expect(audit.status).toBe(0);
    expect(audit.stdout).toContain('lookup_created');
    expect(audit.stdout).toContain(fixture.consentReference);
  });

  it('counts the lookups made before the upgrade against the day they were made', async () => {
    const me = (await (await analystClient(relay.url, fixture.analystToken).get('v1/me')).json()) as Me;
    // One hour later is the same Bogotá day for this fixture (18:26Z is 13:26 in Bogotá).
    expect(bogotaDate(relayNow)).toBe(bogotaDate(lookupCreatedAt));
    expect(me.usage.lookupsToday).toBe(1);
  });

  it('leaves the file readable by the relay’s user only', () => {
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
