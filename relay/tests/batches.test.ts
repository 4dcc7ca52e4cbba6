/**
 * Payroll-agreement batches over HTTP against the emulator: per-row validation, bounded concurrency,
 * a Belvo login error and a flaky Belvo row, reuse, the daily limit, cancellation, and a relay killed
 * mid-batch that resumes without charging anybody twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, BatchCreated, Me } from '@lupa/contract';
import type { KyInstance } from 'ky';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdvanceBatchJob } from '../src/batches/advance-batch-job.js';
import { type BelvoEmulator, createBelvoEmulator } from '../src/emulator/belvo-emulator.js';
import { erasePerson } from '../src/extractions/erasure.js';
import { purgeExpired } from '../src/extractions/purge.js';
import type { Job } from '../src/store/queries/jobs-queries.js';
import { runCli } from './cli-runner.js';
import {
  analystClient,
  freePort,
  relayEnv,
  type Stack,
  spawnRelay,
  startStack,
  WEBHOOK_AUTHORIZATION,
} from './relay-harness.js';
import { createTestDatabase } from './test-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function stackWith(env: Record<string, string>, extractionMs = 150): Promise<Stack> {
  const stack = await startStack({ env, emulator: { extractionMs, pageSize: 100 } });
  cleanups.push(() => stack.stop());
  return stack;
}

type Row = { cedula: string; consentReference: string; line?: number };
const consented = (cedula: string, line?: number): Row => ({
  cedula,
  consentReference: `AUT-${cedula}`,
  ...(line === undefined ? {} : { line }),
});

async function createBatch(api: KyInstance, rows: Row[]) {
  const response = await api.post('v1/batches', { json: { rows } });
  return { status: response.status, body: (await response.json()) as BatchCreated };
}

/** Follows the batch the way the extension does (long-poll on its version) until it ends. */
async function followToEnd(api: KyInstance, id: string, deadlineMs = 120_000): Promise<Batch[]> {
  const seen: Batch[] = [];
  let version = '';
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const batch = (await (
      await api.get(`v1/batches/${id}`, { searchParams: { sinceVersion: version, waitSeconds: 5 } })
    ).json()) as Batch;
    seen.push(batch);
    version = batch.version;
    if (batch.status !== 'running') return seen;
  }
  throw new Error(`batch ${id} still running after ${deadlineMs} ms`);
}

async function lookupsToday(api: KyInstance): Promise<number> {
  return ((await (await api.get('v1/me')).json()) as Me).usage.lookupsToday;
}

describe('batches', () => {
  it('runs a 300-row file with 5 bad rows, a login error and a flaky Belvo row to the right counts and CSV', async () => {
    const stack = await stackWith({ ANALYST_DAILY_LIMIT: '1000', BATCH_CONCURRENCY: '16' });
    // Looked up an hour ago: the batch reuses it, with no new Belvo link.
    const earlier = await stack.startLookup('69999999');
    await expect
      .poll(
        async () => (await stack.api.get(`v1/lookups/${earlier.body.id}`).json<{ status: string }>()).status,
        { timeout: 10_000 },
      )
      .toBe('ready');
    const linksBefore = stack.emulator.links.size;

    const rows: Row[] = [];
    for (let index = 0; index < 292; index++) rows.push(consented(String(70_000_000 + index)));
    rows.push(consented('1.000.000.001')); // Belvo: login_error
    rows.push(consented('1000000004')); // Belvo: 500 twice, then the link
    rows.push(consented('69999999')); // already looked up: reused
    rows.push(consented('12ab')); // bad cédula
    rows.push(consented('0123456')); // starts with 0
    rows.push({ cedula: '70000500', consentReference: '   ' }); // no consent
    rows.push(consented('70.000.005')); // the same person as an earlier line
    rows.push(consented('')); // empty
    expect(rows).toHaveLength(300);

    // Belvo throttles: the first link creations answer 429, and are retried with backoff.
    stack.emulator.failNext({
      method: 'POST',
      pathPrefix: '/api/links/',
      count: 6,
      status: 429,
      code: 'too_many_requests',
    });
    const created = await createBatch(stack.api, rows);
    expect(created.status).toBe(201);
    expect(created.body.total).toBe(295);
    expect(created.body.invalid).toEqual([
      { line: 296, code: 'invalid_cedula', message: expect.any(String) },
      { line: 297, code: 'invalid_cedula', message: expect.any(String) },
      { line: 298, code: 'consent_required', message: expect.any(String) },
      { line: 299, code: 'duplicate_row', message: expect.any(String) },
      { line: 300, code: 'invalid_cedula', message: expect.any(String) },
    ]);

    const seen = await followToEnd(stack.api, created.body.id);
    const final = seen.at(-1)!;
    expect(final.status).toBe('done');
    expect(final.counts).toEqual({ pending: 0, running: 0, ready: 294, failed: 1, refused: 0, cancelled: 0 });
    // Never more than BATCH_CONCURRENCY running at once.
    expect(Math.max(...seen.map((batch) => batch.counts.running))).toBeLessThanOrEqual(16);
    const byLine = new Map(final.rows.map((row) => [row.line, row]));
    expect(byLine.get(293)).toMatchObject({ status: 'failed', errorCode: 'belvo_login_error' });
    expect(byLine.get(294)).toMatchObject({ status: 'ready', errorCode: null });
    expect(byLine.get(295)).toMatchObject({ status: 'ready', reused: true });

    // Every row admitted once: 295 today plus the earlier lookup; one Belvo link per new person.
    expect(await lookupsToday(stack.api)).toBe(296);
    expect(stack.emulator.links.size - linksBefore).toBe(293);

    const csvResponse = await stack.api.get(`v1/batches/${created.body.id}/results.csv`);
    expect(csvResponse.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await csvResponse.arrayBuffer());
    // UTF-8 with its byte-order mark, so Excel reads the accents (sí) right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('linea;cedula;estado;codigo;consulta_id;reutilizada');
    expect(lines).toHaveLength(1 + 295);
    expect(lines[293]).toMatch(/^293;1000000001;failed;belvo_login_error;[0-9a-f-]{36};no$/);
    expect(lines[295]).toMatch(/^295;69999999;ready;;[0-9a-f-]{36};sí$/);
    expect(
      stack.logLines.filter((line) => line.includes('"path":"/api/links/"') && line.includes('"status":429')),
    ).toHaveLength(6);
    // No cédula in the relay's log lines.
    expect(stack.logLines.some((line) => line.includes('70000123'))).toBe(false);
  }, 180_000);

  it('refuses a file with no row it can run, naming each bad line', async () => {
    const stack = await stackWith({});
    const response = await stack.api.post('v1/batches', {
      json: { rows: [consented('0'), { cedula: '52123456', consentReference: '' }] },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('batch_without_valid_rows');
    expect(body.error.message).toContain('line 1: invalid_cedula; line 2: consent_required');
    const tooMany = await stack.api.post('v1/batches', {
      json: { rows: Array.from({ length: 1_001 }, (_, index) => consented(String(80_000_000 + index))) },
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    // A row is known by its line: a repeated line is refused before anything is stored (it was a 500).
    const repeated = await stack.api.post('v1/batches', {
      json: {
        rows: [
          { ...consented('52123456'), line: 4 },
          { ...consented('1020304050'), line: 4 },
        ],
      },
    });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringContaining('line 4 is repeated') },
    });
  });

  it('counts rows against the daily limit and refuses the rest, saying so', async () => {
    const stack = await stackWith({ ANALYST_DAILY_LIMIT: '5', BATCH_CONCURRENCY: '2' });
    const created = await createBatch(
      stack.api,
      Array.from({ length: 8 }, (_, index) => consented(String(71_000_000 + index))),
    );
    const final = (await followToEnd(stack.api, created.body.id)).at(-1)!;
    expect(final.counts).toMatchObject({ ready: 5, refused: 3 });
    expect(final.rows.filter((row) => row.status === 'refused').map((row) => row.errorCode)).toEqual([
      'daily_limit_reached',
      'daily_limit_reached',
      'daily_limit_reached',
    ]);
    expect(await lookupsToday(stack.api)).toBe(5);
  });

  it('cancels: rows not started are neither looked up nor charged, the running ones finish', async () => {
    const stack = await stackWith({ ANALYST_DAILY_LIMIT: '100', BATCH_CONCURRENCY: '2' }, 1_500);
    const created = await createBatch(
      stack.api,
      Array.from({ length: 10 }, (_, index) => consented(String(72_000_000 + index))),
    );
    await expect
      .poll(
        async () => ((await stack.api.get(`v1/batches/${created.body.id}`).json()) as Batch).counts.running,
      )
      .toBe(2);
    const cancelled = (await (await stack.api.post(`v1/batches/${created.body.id}/cancel`)).json()) as Batch;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.counts.cancelled).toBe(8);
    // The two already admitted finish; nothing else starts.
    await expect
      .poll(
        async () => ((await stack.api.get(`v1/batches/${created.body.id}`).json()) as Batch).counts.ready,
        {
          timeout: 15_000,
        },
      )
      .toBe(2);
    expect(await lookupsToday(stack.api)).toBe(2);
    expect(stack.emulator.links.size).toBe(2);
    // Another analyst cannot see, follow or cancel it.
    const other = await stack.newAnalyst('Otra Analista');
    expect((await other.api.get(`v1/batches/${created.body.id}`)).status).toBe(404);
    expect((await other.api.post(`v1/batches/${created.body.id}/cancel`)).status).toBe(404);
  });
});

describe('batches and personal data', () => {
  it('seals cédulas and consent at rest, forgets a person on erasure and whole batches after retention', async () => {
    let offsetMs = 0;
    const stack = await startStack({ now: () => new Date(Date.now() + offsetMs) });
    cleanups.push(() => stack.stop());
    const created = await createBatch(stack.api, [consented('74000001'), consented('74000002')]);
    await followToEnd(stack.api, created.body.id);
    const stored = await stack.storedText();
    expect(stored).not.toContain('74000001');
    expect(stored).not.toContain('AUT-74000001');

    await erasePerson(stack.relay.ctx, '74000001');
    const csv = await (await stack.api.get(`v1/batches/${created.body.id}/results.csv`)).text();
    // The erased person's lookup is gone with their data: the row says so, with the masked cédula only.
    expect(csv).toContain('1;****0001;failed;lookup_not_found;;');
    expect(csv).toContain('2;74000002;');

    offsetMs = 73 * 3_600_000;
    expect((await purgeExpired(stack.relay.ctx)).batchesDeleted).toBe(1);
    expect((await stack.api.get(`v1/batches/${created.body.id}`)).status).toBe(404);
  });
});

describe('a person erased while their row waits', () => {
  it('is never looked up: the row says so and costs nothing', async () => {
    const stack = await stackWith({ BATCH_CONCURRENCY: '1' }, 1_000);
    const created = await createBatch(stack.api, [consented('77000001'), consented('77000002')]);
    await erasePerson(stack.relay.ctx, '77000002');
    const final = (await followToEnd(stack.api, created.body.id)).at(-1)!;
    expect(final.rows.map((row) => [row.status, row.errorCode])).toEqual([
      ['ready', null],
      ['refused', 'person_erased'],
    ]);
    expect(await lookupsToday(stack.api)).toBe(1);
  });
});

describe('a batch whose job keeps failing', () => {
  it('ends, its rows not started refused with internal_error and uncharged', async () => {
    const stack = await stackWith({ BATCH_CONCURRENCY: '1' }, 5_000);
    const created = await createBatch(stack.api, [consented('78000001'), consented('78000002')]);
    await expect
      .poll(
        async () => ((await stack.api.get(`v1/batches/${created.body.id}`).json()) as Batch).counts.running,
      )
      .toBe(1);
    // What the job runner does after the job's last failed attempt.
    await createAdvanceBatchJob(stack.relay.ctx, stack.relay.services.lookups).giveUp!(
      { subject_id: created.body.id } as Job,
      new Error('the store kept failing'),
    );
    const batch = (await stack.api.get(`v1/batches/${created.body.id}`).json()) as Batch;
    expect(batch.status).toBe('done');
    expect(batch.rows.map((row) => [row.status, row.errorCode])).toEqual([
      ['running', null],
      ['refused', 'internal_error'],
    ]);
    expect(await lookupsToday(stack.api)).toBe(1);
  });
});

describe('a relay killed mid-batch', () => {
  it('resumes after SIGKILL and a restart, and charges nobody twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lupa-batch-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const emulator: BelvoEmulator = createBelvoEmulator({
      secretId: 'test-secret-id',
      secretPassword: 'test-secret-password',
      extractionMs: 1_000,
    });
    const emulatorUrl = await emulator.listen();
    cleanups.push(() => emulator.close());
    const database = await createTestDatabase(dir);
    cleanups.push(() => database.drop());
    const port = await freePort();
    const env = relayEnv(database.url, emulatorUrl, {
      PORT: String(port),
      LOG_LEVEL: 'info',
      BATCH_CONCURRENCY: '3',
    });
    emulator.setWebhookTarget({
      url: `http://127.0.0.1:${port}/webhooks/belvo`,
      authorization: WEBHOOK_AUTHORIZATION,
      retryDelayMs: 300,
      attempts: 12,
    });
    const added = runCli(['analysts', 'add', 'Carla', 'Crash'], env);
    expect(added.status).toBe(0);
    const api = analystClient(`http://127.0.0.1:${port}`, added.stdout.trimEnd().split('\n').at(-1)!);

    const start = () => {
      const relay = spawnRelay(env);
      cleanups.push(() => {
        if (relay.child.exitCode === null) relay.child.kill('SIGKILL');
      });
      return relay;
    };
    const first = start();
    await first.ready;
    const created = await createBatch(
      api,
      Array.from({ length: 9 }, (_, index) => consented(String(73_000_000 + index))),
    );
    expect(created.status).toBe(201);
    await expect
      .poll(async () => ((await api.get(`v1/batches/${created.body.id}`).json()) as Batch).counts.running)
      .toBeGreaterThan(0);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = start();
    await second.ready;
    const final = (await followToEnd(api, created.body.id)).at(-1)!;
    expect(final.counts).toMatchObject({ ready: 9, failed: 0, refused: 0 });
    expect(await lookupsToday(api)).toBe(9);
    expect(emulator.links.size).toBe(9);
  }, 120_000);
});

describe('batch waits', () => {
  it('count against MAX_WAITS_PER_ANALYST with the lookup waits: the 41st past a cap of 40 is a 429', async () => {
    const stack = await stackWith({ MAX_WAITS_PER_ANALYST: '40' }, 30_000);
    const created = await createBatch(stack.api, [consented('78000011')]);
    // Once its one row runs (a 30 s extraction), the batch holds still: waits on its version wait.
    await expect
      .poll(
        async () => ((await stack.api.get(`v1/batches/${created.body.id}`).json()) as Batch).counts.running,
      )
      .toBe(1);
    const current = (await stack.api.get(`v1/batches/${created.body.id}`).json()) as Batch;
    const leaving = new AbortController();
    const waitOnBatch = () =>
      stack.api.get(`v1/batches/${created.body.id}`, {
        searchParams: { sinceVersion: current.version, waitSeconds: 20 },
        signal: leaving.signal,
        timeout: 30_000,
      });
    const openLongPolls = () =>
      stack.relay.ctx.metrics.openLongPolls.get().then((metric) => metric.values[0]?.value);
    const held = Array.from({ length: 40 }, waitOnBatch);
    await expect.poll(openLongPolls, { timeout: 10_000 }).toBe(40);
    // They wait on the change notifier, for the batch and for its running row's extraction, not on a timer.
    const [running] = (await stack.relay.ctx.store.db
      .selectFrom('lookups')
      .select('extraction_id')
      .execute()) as Array<{ extraction_id: string }>;
    expect(stack.relay.ctx.notifier.waitedFor()).toEqual(
      expect.arrayContaining([`batch:${created.body.id}`, running!.extraction_id]),
    );
    const refused = await stack.api.get(`v1/batches/${created.body.id}`, {
      searchParams: { sinceVersion: current.version, waitSeconds: 20 },
    });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'too_many_waits' } });
    // The same cap holds a lookup's long-poll: the analyst's waits are counted together.
    const lookup = await stack.startLookup('61234598');
    const lookupWait = await stack.api.get(`v1/lookups/${lookup.body.id}`, {
      searchParams: { sinceVersion: lookup.body.version + 100, waitSeconds: 5 },
    });
    expect(lookupWait.status).toBe(429);
    leaving.abort();
    await Promise.all(held.map((answer) => answer.catch(() => undefined)));
    await expect.poll(openLongPolls, { timeout: 5_000 }).toBe(0);
  });
});
