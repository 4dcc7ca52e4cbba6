/**
 * Several relay processes on one PostgreSQL database, the way a lender deploys them behind a load
 * balancer: same DATABASE_URL, encryption key and webhook Authorization, each node on its own port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lookup } from '@lupa/contract';
import type { KyInstance } from 'ky';
import { type BelvoEmulator, createBelvoEmulator } from '../../src/emulator/belvo-emulator.js';
import { runCli } from '../cli-runner.js';
import { analystClient, freePort, relayEnv, spawnRelay, WEBHOOK_AUTHORIZATION } from '../relay-harness.js';
import { createTestDatabase } from '../test-store.js';

export type ClusterOptions = {
  nodes: number;
  extractionMs: number;
  /** An existing database (its own server, for the restart test); otherwise a fresh one on the shared server. */
  databaseUrl?: string;
  env?: Record<string, string>;
};

export type RelayNode = {
  url: string;
  api: KyInstance;
  process: ReturnType<typeof spawnRelay>;
};

export async function startCluster(options: ClusterOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-cluster-'));
  const database = options.databaseUrl ? undefined : await createTestDatabase(dir, 'postgres');
  const databaseUrl = options.databaseUrl ?? database!.url;
  const emulator: BelvoEmulator = createBelvoEmulator({
    secretId: 'test-secret-id',
    secretPassword: 'test-secret-password',
    extractionMs: options.extractionMs,
  });
  const emulatorUrl = await emulator.listen();
  const shared = relayEnv(databaseUrl, emulatorUrl, {
    LOG_LEVEL: 'info',
    JOB_LEASE_SECONDS: '2',
    ...options.env,
  });
  const added = runCli(['analysts', 'add', 'Nora', 'Nodos'], shared);
  if (added.status !== 0) throw new Error(`analysts add failed: ${added.stderr}`);
  const token = added.stdout.trimEnd().split('\n').at(-1)!;

  const ports = await Promise.all(Array.from({ length: options.nodes }, () => freePort()));
  const nodes: RelayNode[] = ports.map((port) => {
    const url = `http://127.0.0.1:${port}`;
    return { url, api: analystClient(url, token), process: spawnRelay({ ...shared, PORT: String(port) }) };
  });
  await Promise.all(nodes.map((node) => node.process.ready));

  let fanOut: Server | undefined;
  return {
    nodes,
    emulator,
    databaseUrl,
    /** Belvo's webhooks go to this node only. */
    sendWebhooksTo(node: RelayNode) {
      emulator.setWebhookTarget({
        url: `${node.url}/webhooks/belvo`,
        authorization: WEBHOOK_AUTHORIZATION,
        retryDelayMs: 300,
        attempts: 15,
      });
    },
    /** Every webhook is delivered to every node at once, as a misbehaving balancer or a retry race would. */
    async sendEveryWebhookToAllNodes() {
      fanOut = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', async () => {
          const statuses = await Promise.all(
            nodes.map((node) =>
              fetch(`${node.url}/webhooks/belvo`, {
                method: 'POST',
                headers: {
                  authorization: String(request.headers.authorization),
                  'content-type': 'application/json',
                },
                body: Buffer.concat(chunks),
              }).then(
                (answer) => answer.status,
                () => 502,
              ),
            ),
          );
          response.writeHead(statuses.every((status) => status === 200) ? 200 : 502).end();
        });
      });
      const port = await freePort();
      await new Promise<void>((resolve) => fanOut!.listen(port, '127.0.0.1', resolve));
      emulator.setWebhookTarget({
        url: `http://127.0.0.1:${port}/`,
        authorization: WEBHOOK_AUTHORIZATION,
        retryDelayMs: 300,
        attempts: 15,
      });
    },
    async kill(node: RelayNode) {
      node.process.child.kill('SIGKILL');
      if (node.process.child.exitCode === null && node.process.child.signalCode === null) {
        await new Promise((resolve) => node.process.child.once('exit', resolve));
      }
    },
    async stop() {
      for (const node of nodes) if (node.process.child.exitCode === null) node.process.child.kill('SIGKILL');
      await new Promise<void>((resolve) => (fanOut ? fanOut.close(() => resolve()) : resolve()));
      await emulator.close();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function requestLookup(api: KyInstance, cedula: string): Promise<Lookup> {
  const response = await api.post('v1/lookups', { json: { cedula, consent: { granted: true } } });
  if (response.status !== 202 && response.status !== 200) {
    throw new Error(`lookup request answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as Lookup;
}

/**
 * Long-polls until the lookup leaves `pending`, like the extension: an unreachable relay or a 503 while
 * the database restarts is waited out, not reported.
 */
export async function followUntilFinal(
  api: KyInstance,
  id: string,
  options: { deadlineMs: number; waitSeconds?: number },
): Promise<{ lookup: Lookup; unavailableAnswers: number; waitsRanOut: number }> {
  const deadline = Date.now() + options.deadlineMs;
  let version = 0;
  let unavailableAnswers = 0;
  /** Long-polls that ran their whole wait: nothing woke them. */
  let waitsRanOut = 0;
  const waitMs = (options.waitSeconds ?? 5) * 1000;
  while (Date.now() < deadline) {
    const asked = Date.now();
    const response = await api
      .get(`v1/lookups/${id}`, {
        searchParams: { sinceVersion: version, waitSeconds: options.waitSeconds ?? 5 },
      })
      .catch(() => undefined);
    if (!response || response.status === 503) {
      if (response) {
        const body = (await response.json()) as { error: { code: string } };
        if (body.error.code !== 'store_unavailable') throw new Error(`503 with ${body.error.code}`);
      }
      unavailableAnswers++;
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    if (response.status !== 200)
      throw new Error(`long-poll answered ${response.status}: ${await response.text()}`);
    const lookup = (await response.json()) as Lookup;
    if (Date.now() - asked >= waitMs - 500) waitsRanOut++;
    if (lookup.status !== 'pending') return { lookup, unavailableAnswers, waitsRanOut };
    version = lookup.version;
  }
  throw new Error(`lookup ${id} still pending after ${options.deadlineMs} ms`);
}
