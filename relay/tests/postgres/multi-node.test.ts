import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Batch, Lookup } from '@lupa/contract';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/schema.js';
import { freePort } from '../relay-harness.js';
import { controlPostgres } from '../test-store.js';
import { followUntilFinal, requestLookup, startCluster } from './cluster-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function cluster(options: Parameters<typeof startCluster>[0]) {
  const started = await startCluster(options);
  cleanups.push(() => started.stop());
  return started;
}

function inspect(databaseUrl: string) {
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl, max: 2 }) }),
  });
  cleanups.push(() => db.destroy());
  return db;
}

const stageOf = async (api: Parameters<typeof followUntilFinal>[0], id: string) =>
  ((await (await api.get(`v1/lookups/${id}`)).json()) as Lookup).stage;

describe('several relay nodes on one PostgreSQL', () => {
  it('wakes a long-poll on node B when the deciding webhook lands on node A', async () => {
    const { nodes, sendWebhooksTo } = await cluster({ nodes: 2, extractionMs: 500 });
    const [nodeA, nodeB] = [nodes[0]!, nodes[1]!];
    sendWebhooksTo(nodeA);
    const created = await requestLookup(nodeB.api, '1020304050');
    const { lookup, waitsRanOut } = await followUntilFinal(nodeB.api, created.id, {
      deadlineMs: 30_000,
      waitSeconds: 25,
    });
    // Every long-poll on node B was answered by a change committed on node A, none by its 25 s wait running out.
    expect(waitsRanOut).toBe(0);
    expect(lookup).toMatchObject({
      status: 'ready',
      counts: { employments: { expected: 3, received: 3 }, owners: { received: 1 } },
    });
  });

  it('wakes a batch wait on node B when node A cancels the batch (announced by the database)', async () => {
    const { nodes } = await cluster({ nodes: 2, extractionMs: 60_000 });
    const [nodeA, nodeB] = [nodes[0]!, nodes[1]!];
    const created = (await (
      await nodeA.api.post('v1/batches', {
        json: {
          rows: [
            { cedula: '78000011', consentReference: 'AUT-1' },
            { cedula: '78000012', consentReference: 'AUT-2' },
          ],
        },
      })
    ).json()) as Batch;
    const batchOnB = async () => (await (await nodeB.api.get(`v1/batches/${created.id}`)).json()) as Batch;
    // Both rows running (a 60 s extraction): the batch holds still until node A cancels it.
    await expect.poll(async () => (await batchOnB()).counts.running, { timeout: 10_000 }).toBe(2);
    const current = await batchOnB();
    const started = Date.now();
    const waiting = nodeB.api.get(`v1/batches/${created.id}`, {
      searchParams: { sinceVersion: current.version, waitSeconds: 25 },
      timeout: 40_000,
    });
    // Node B's wait is open before node A acts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await nodeA.api.post(`v1/batches/${created.id}/cancel`)).status).toBe(200);
    const answered = (await (await waiting).json()) as Batch;
    expect(answered.status).toBe('cancelled');
    // Woken by the change, not by its 25 s wait running out (nothing on node B polls the batch).
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('processes a webhook delivered to both nodes once', async () => {
    const { nodes, emulator, databaseUrl, sendEveryWebhookToAllNodes } = await cluster({
      nodes: 2,
      extractionMs: 300,
    });
    await sendEveryWebhookToAllNodes();
    const created = await requestLookup(nodes[0]!.api, '1020304050');
    const { lookup } = await followUntilFinal(nodes[1]!.api, created.id, { deadlineMs: 30_000 });
    expect(lookup.status).toBe('ready');

    const db = inspect(databaseUrl);
    const sent = new Set(emulator.deliveries.map((delivery) => delivery.webhookId));
    expect(sent.size).toBeGreaterThan(1);
    const events = await db.selectFrom('webhook_events').select(['webhook_id', 'processed_at']).execute();
    expect(events.map((event) => event.webhook_id).sort()).toEqual([...sent].sort());
    await expect
      .poll(
        async () =>
          (await db.selectFrom('webhook_events').select('id').where('processed_at', 'is', null).execute())
            .length,
      )
      .toBe(0);
    const jobs = await db
      .selectFrom('jobs')
      .select(['attempts', 'finished_at'])
      .where('kind', '=', 'process_webhook')
      .execute();
    expect(jobs).toHaveLength(sent.size);
    expect(jobs.every((job) => job.attempts === 1)).toBe(true);
    // Counted once each: the totals match what Belvo has, not twice that.
    expect(lookup.counts).toMatchObject({
      employments: { expected: 3, received: 3 },
      owners: { expected: 1, received: 1 },
    });
  });

  it('finishes on node B the lookup node A was working on when it was killed', async () => {
    const { nodes, emulator, sendWebhooksTo, kill } = await cluster({ nodes: 2, extractionMs: 300 });
    const [nodeA, nodeB] = [nodes[0]!, nodes[1]!];
    sendWebhooksTo(nodeB);
    // Belvo creates the link but answers node A late: node A dies inside the registration job.
    emulator.answerLate({ method: 'POST', pathPrefix: '/api/links/', count: 1, delayMs: 15_000 });
    const created = await requestLookup(nodeA.api, '52123456');
    await expect.poll(() => emulator.counters.linksCreated, { timeout: 10_000 }).toBe(1);
    await kill(nodeA);

    // Node B takes the job over once node A's lease (2 s here) ends, finds the link Belvo already made
    // by its external_id, and finishes.
    const { lookup } = await followUntilFinal(nodeB.api, created.id, { deadlineMs: 40_000 });
    expect(lookup).toMatchObject({ status: 'ready', counts: { employments: { received: 3 } } });
    expect(emulator.counters.linksCreated).toBe(1);
  });

  it('brings every pending lookup to ready across a PostgreSQL restart', async () => {
    // Its own server: stopping the shared one would fail every other test running meanwhile.
    const port = String(await freePort());
    const dataDir = mkdtempSync(join(tmpdir(), 'lupa-restart-pg-'));
    const server = { LUPA_TEST_POSTGRES_PORT: port, LUPA_TEST_POSTGRES_DIR: dataDir };
    cleanups.push(() => {
      controlPostgres('destroy', server);
      rmSync(dataDir, { recursive: true, force: true });
    });
    controlPostgres('start', server);
    const { nodes, sendWebhooksTo } = await cluster({
      nodes: 2,
      extractionMs: 2_500,
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    });
    const [nodeA, nodeB] = [nodes[0]!, nodes[1]!];
    sendWebhooksTo(nodeA);
    const cedulas = ['1020304050', '52123456', '1030405060', '1000000005'];
    const created = await Promise.all(
      cedulas.map((cedula, index) => requestLookup(nodes[index % 2]!.api, cedula)),
    );
    for (const lookup of created) {
      await expect.poll(() => stageOf(nodeA.api, lookup.id), { timeout: 10_000 }).toBe('waiting_for_belvo');
    }
    // Long-polls are waiting on node B when the database goes away.
    const following = created.map((lookup) =>
      followUntilFinal(nodeB.api, lookup.id, { deadlineMs: 60_000, waitSeconds: 25 }),
    );

    controlPostgres('stop', server);
    // Belvo's webhooks arrive while it is down: node A answers 503 and Belvo retries them.
    const duringOutage = await nodeA.api.get('readyz');
    expect(duringOutage.status).toBe(503);
    expect(await duringOutage.json()).toMatchObject({ error: { code: 'store_unavailable' } });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    controlPostgres('start', server);

    const finals = await Promise.all(following);
    for (const { lookup, waitsRanOut } of finals) {
      expect(lookup.status).toBe('ready');
      // Node B listened again after the restart and caught up: no long-poll had to run out its wait.
      expect(waitsRanOut).toBe(0);
    }
    await expect.poll(async () => (await nodeA.api.get('readyz')).status, { timeout: 10_000 }).toBe(200);
    await expect.poll(async () => (await nodeB.api.get('readyz')).status, { timeout: 10_000 }).toBe(200);
  });
});

describe('the daily limit across nodes', () => {
  it('admits at most the limit of 20 concurrent requests spread over two nodes, and pays for no more links', async () => {
    const { nodes, emulator, sendWebhooksTo } = await cluster({
      nodes: 2,
      extractionMs: 200,
      env: { ANALYST_DAILY_LIMIT: '12' },
    });
    sendWebhooksTo(nodes[0]!);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        nodes[index % 2]!.api.post('v1/lookups', {
          json: { cedula: String(51_234_500 + index), consent: { granted: true } },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(12);
    expect(statuses.filter((status) => status === 429)).toHaveLength(8);
    const admitted = await Promise.all(
      answers
        .filter((answer) => answer.status === 202)
        .map(async (answer) => (await answer.json()) as Lookup),
    );
    await Promise.all(
      admitted.map((lookup) => followUntilFinal(nodes[1]!.api, lookup.id, { deadlineMs: 30_000 })),
    );
    expect(emulator.counters.linksCreated).toBe(12);
  });
});
