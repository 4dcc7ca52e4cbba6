import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lookup } from '@lupa/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyst } from '../src/analysts/analyst-tokens.js';
import { loadConfig } from '../src/config.js';
import { createBelvoEmulator } from '../src/emulator/belvo-emulator.js';
import { createLogger } from '../src/observability/logger.js';
import { startRelay } from '../src/relay-server.js';
import { runCli } from './cli-runner.js';
import { analystClient, relayEnv, WEBHOOK_AUTHORIZATION, waitUntilFinal } from './relay-harness.js';
import { createTestDatabase } from './test-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('rotating RELAY_ENCRYPTION_KEY', () => {
  it('keeps every stored report, reuse and audit entry readable once the old key is a previous key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lupa-rotation-'));
    const database = await createTestDatabase(dir);
    const emulator = createBelvoEmulator({
      secretId: 'test-secret-id',
      secretPassword: 'test-secret-password',
      extractionMs: 150,
    });
    const emulatorUrl = await emulator.listen();
    cleanups.push(async () => {
      await emulator.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    });
    const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const start = async (env: Record<string, string>) => {
      const relay = await startRelay(loadConfig(env), { logger: createLogger('silent'), jobIdlePollMs: 50 });
      emulator.setWebhookTarget({
        url: `${relay.url}/webhooks/belvo`,
        authorization: WEBHOOK_AUTHORIZATION,
        retryDelayMs: 100,
      });
      return relay;
    };

    const before = relayEnv(database.url, emulatorUrl, { RELAY_ENCRYPTION_KEY: oldKey });
    const first = await start(before);
    const analyst = await createAnalyst(first.ctx.store.db, 'Rita Rotación', new Date());
    let api = analystClient(first.url, analyst.token);
    const consent = { granted: true, reference: 'SOL-2026-0042' };
    const created = (await (
      await api.post('v1/lookups', { json: { cedula: '1020304050', consent } })
    ).json()) as Lookup;
    expect((await waitUntilFinal(api, created.id)).status).toBe('ready');
    const reportBefore = await (await api.get(`v1/lookups/${created.id}/report`)).json();
    await first.stop();

    const after = { ...before, RELAY_ENCRYPTION_KEY: newKey, RELAY_PREVIOUS_ENCRYPTION_KEYS: oldKey };
    const second = await start(after);
    cleanups.push(() => second.stop());
    api = analystClient(second.url, analyst.token);

    // The report sealed with the old key is still served.
    const reportAfter = await api.get(`v1/lookups/${created.id}/report`);
    expect(reportAfter.status).toBe(200);
    expect(await reportAfter.json()).toEqual(reportBefore);

    // The same person is found under the old key's hash: reused, no second Belvo link.
    const again = await api.post('v1/lookups', { json: { cedula: '1020304050', consent } });
    expect(again.status).toBe(200);
    expect(emulator.counters.linksCreated).toBe(1);
    const listed = (await (
      await api.post('v1/lookups/search', { json: { cedula: '1020304050' } })
    ).json()) as {
      lookups: Lookup[];
    };
    expect(listed.lookups).toHaveLength(2);

    // New data is sealed with the new key and reaches ready as usual.
    const fresh = (await (
      await api.post('v1/lookups', { json: { cedula: '52123456', consent } })
    ).json()) as Lookup;
    expect((await waitUntilFinal(api, fresh.id)).status).toBe('ready');
    expect((await api.get(`v1/lookups/${fresh.id}/report`)).status).toBe(200);

    // The audit trail shows the person's entries from both sides of the rotation, references opened.
    const audit = runCli(['audit', '--cedula', '1020304050'], after);
    expect(audit.status).toBe(0);
    expect(audit.stdout).toContain('lookup_created');
    expect(audit.stdout).toContain('lookup_reused');
    expect(audit.stdout.match(/SOL-2026-0042/g)?.length).toBeGreaterThanOrEqual(2);
  });
});
