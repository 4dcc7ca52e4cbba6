import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lookup } from '@lupa/contract';
import type { KyInstance } from 'ky';
import { afterEach, describe, expect, it } from 'vitest';
import { type BelvoEmulator, createBelvoEmulator } from '../src/emulator/belvo-emulator.js';
import { runCli } from './cli-runner.js';
import {
  analystClient,
  freePort,
  relayEnv,
  spawnRelay,
  WEBHOOK_AUTHORIZATION,
  waitUntilFinal,
} from './relay-harness.js';
import { createTestDatabase } from './test-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(extractionMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-crash-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const emulator: BelvoEmulator = createBelvoEmulator({
    secretId: 'test-secret-id',
    secretPassword: 'test-secret-password',
    extractionMs,
  });
  const emulatorUrl = await emulator.listen();
  cleanups.push(() => emulator.close());
  const database = await createTestDatabase(dir);
  cleanups.push(() => database.drop());
  const port = await freePort();
  const env = relayEnv(database.url, emulatorUrl, { PORT: String(port), LOG_LEVEL: 'info' });
  // Belvo keeps retrying while the relay is down.
  emulator.setWebhookTarget({
    url: `http://127.0.0.1:${port}/webhooks/belvo`,
    authorization: WEBHOOK_AUTHORIZATION,
    retryDelayMs: 300,
    attempts: 12,
  });

  const added = runCli(['analysts', 'add', 'Carla', 'Crash'], env);
  expect(added.status).toBe(0);
  const token = added.stdout.trimEnd().split('\n').at(-1)!;
  expect(token).toMatch(/^lupa_[A-Za-z0-9_-]{43}$/);
  return { env, emulator, api: analystClient(`http://127.0.0.1:${port}`, token) };
}

function start(env: Record<string, string>) {
  const relay = spawnRelay(env);
  cleanups.push(() => {
    if (relay.child.exitCode === null) relay.child.kill('SIGKILL');
  });
  return relay;
}

/** Kills the relay the way a crash does, and waits until the process is gone. */
async function killHard(relay: ReturnType<typeof start>) {
  relay.child.kill('SIGKILL');
  await new Promise((resolve) => relay.child.once('exit', resolve));
}

async function requestLookup(api: KyInstance, cedula: string): Promise<Lookup> {
  return (await (
    await api.post('v1/lookups', { json: { cedula, consent: { granted: true } } })
  ).json()) as Lookup;
}

describe('a relay killed mid-lookup', () => {
  it('reaches ready after SIGKILL while waiting for webhooks and a restart', async () => {
    const { env, emulator, api } = await setUp(1_500);
    const first = start(env);
    await first.ready;

    const created = await requestLookup(api, '1020304050');
    await expect
      .poll(async () => ((await (await api.get(`v1/lookups/${created.id}`)).json()) as Lookup).stage)
      .toBe('waiting_for_belvo');
    await killHard(first);

    // Belvo's webhooks now hit a closed port and are retried.
    await expect
      .poll(() => emulator.deliveries.some((delivery) => delivery.attempts > 1), { timeout: 10_000 })
      .toBe(true);
    const second = start(env);
    await second.ready;

    const ready = await waitUntilFinal(api, created.id);
    expect(ready).toMatchObject({
      status: 'ready',
      counts: { employments: { received: 3 }, owners: { received: 1 } },
    });
    expect(emulator.counters.linksCreated).toBe(1);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(second.child.exitCode).toBe(0);
  });

  it('registers exactly one Belvo link when killed while retrying the registration', async () => {
    const { env, emulator, api } = await setUp(300);
    emulator.failNext({
      method: 'POST',
      pathPrefix: '/api/links/',
      count: 2,
      status: 500,
      code: 'unexpected_error',
    });
    const first = start({ ...env, BELVO_RETRY_BASE_SECONDS: '2' });
    await first.ready;
    const created = await requestLookup(api, '52123456');
    // The first POST failed and the relay is waiting 2 s before retrying: kill it there.
    await expect.poll(() => emulator.counters.requests).toBeGreaterThanOrEqual(1);
    await killHard(first);

    const second = start(env);
    await second.ready;
    const ready = await waitUntilFinal(api, created.id);
    expect(ready.status).toBe('ready');
    expect(emulator.counters.linksCreated).toBe(1);
  });

  it('does not pay for a second link when killed after Belvo created the link but before its answer arrived', async () => {
    const { env, emulator, api } = await setUp(300);
    emulator.answerLate({ method: 'POST', pathPrefix: '/api/links/', count: 1, delayMs: 10_000 });
    const first = start(env);
    await first.ready;
    const created = await requestLookup(api, '1030405060');
    await expect.poll(() => emulator.counters.linksCreated).toBe(1);
    await killHard(first);

    const second = start(env);
    await second.ready;
    const ready = await waitUntilFinal(api, created.id);
    expect(ready.status).toBe('ready');
    expect(emulator.counters.linksCreated).toBe(1);
  });
});
