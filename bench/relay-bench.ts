/**
 * Relay figures: webhook intake (SQLite with synchronous=FULL, and PostgreSQL), long-poll wake latency
 * on one node and across two nodes, memory and /healthz latency while holding 5,000 long-polls, and a
 * 500-row batch.
 * The relay runs as its own process, as deployed.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBelvoEmulator } from '../relay/src/emulator/belvo-emulator.js';
import { runCli } from '../relay/tests/cli-runner.js';
import {
  freePort,
  RELAY_BUILT,
  relayEnv,
  spawnRelay,
  WEBHOOK_AUTHORIZATION,
} from '../relay/tests/relay-harness.js';
import { createTestDatabase } from '../relay/tests/test-store.js';
import { createHttpLoad, percentile } from './http-load.js';

export type BenchRow = { what: string; value: string; target: string; ok: boolean | undefined };

const rssMegabytes = (pid: number) => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'));
  return Number(line?.match(/\d+/)?.[0] ?? Number.NaN) / 1024;
};

/** CPU seconds (user + system) the process has used so far, from /proc (clock ticks of 1/100 s). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

export type BenchStore = 'sqlite' | 'postgres';

/**
 * Runs the built relay (as deployed) on the chosen store, as one node or several sharing it, with the
 * emulator. PostgreSQL is the throwaway server of scripts/test-postgres.sh, with a fresh database.
 */
async function withRelay<T>(
  run: (setup: {
    url: string;
    /** Every node's URL; `url` is the first. */
    urls: string[];
    /** The first node's private scrape listener. */
    metricsUrl: string;
    pid: number;
    token: string;
    emulator: ReturnType<typeof createBelvoEmulator>;
  }) => Promise<T>,
  options: {
    store?: BenchStore;
    nodes?: number;
    /** Belvo's extraction time; with it set, the emulator's webhooks reach the (first) relay. */
    extractionMs?: number;
    env?: Record<string, string>;
  } = {},
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-bench-'));
  const emulator = createBelvoEmulator({
    secretId: 'test-secret-id',
    secretPassword: 'test-secret-password',
    extractionMs: options.extractionMs ?? 50,
  });
  const emulatorUrl = await emulator.listen();
  // Most phases post their own webhooks, timed.
  emulator.webhooks.drop = options.extractionMs === undefined;
  const database = await createTestDatabase(dir, options.store ?? 'sqlite');
  const env = relayEnv(database.url, emulatorUrl, {
    LOG_LEVEL: 'warn',
    WEBHOOK_TIMEOUT_SECONDS: '3600',
    ANALYST_DAILY_LIMIT: '100000',
    // One bench token stands for many analysts (5,000 waits are 250 analysts at the default cap of 20).
    MAX_WAITS_PER_ANALYST: '100000',
    // And one address for many offices: the per-client connection cap would refuse the load itself.
    MAX_CONNECTIONS_PER_CLIENT: '100000',
    ...options.env,
  });
  const token = runCli(['analysts', 'add', 'Bench'], env).stdout.trimEnd().split('\n').at(-1)!;
  const ports = await Promise.all(Array.from({ length: options.nodes ?? 1 }, () => freePort()));
  const metricsPorts = await Promise.all(ports.map(() => freePort()));
  // The built bundle, as deployed (bench/run.ts builds it first).
  const relays = ports.map((port, index) =>
    spawnRelay(
      { ...env, PORT: String(port), METRICS_PORT: String(metricsPorts[index]), LOG_LEVEL: 'info' },
      RELAY_BUILT,
    ),
  );
  emulator.setWebhookTarget({
    url: `http://127.0.0.1:${ports[0]}/webhooks/belvo`,
    authorization: WEBHOOK_AUTHORIZATION,
  });
  try {
    await Promise.all(relays.map((relay) => relay.ready));
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    const metricsUrl = `http://127.0.0.1:${metricsPorts[0]}`;
    return await run({ url: urls[0]!, urls, metricsUrl, pid: relays[0]!.child.pid!, token, emulator });
  } finally {
    for (const relay of relays) relay.child.kill('SIGKILL');
    await Promise.all(relays.map((relay) => new Promise((resolve) => relay.child.once('exit', resolve))));
    await emulator.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Load = ReturnType<typeof createHttpLoad>;
type LookupBody = {
  id: string;
  version: number;
  stage: string;
  status: string;
  counts: { employments: { expected: number | null } };
};

async function createLookup(load: Load, auth: Record<string, string>, cedula: string): Promise<LookupBody> {
  const reply = await load.request('POST', '/v1/lookups', {
    headers: auth,
    body: JSON.stringify({ cedula, consent: { granted: true } }),
  });
  return JSON.parse(reply.body) as LookupBody;
}

/** Long-polls the lookup, as the extension does, until `done` holds. */
async function longPollUntil(
  load: Load,
  auth: Record<string, string>,
  start: LookupBody,
  done: (lookup: LookupBody) => boolean,
): Promise<LookupBody> {
  let lookup = start;
  while (!done(lookup)) {
    const reply = await load.request(
      'GET',
      `/v1/lookups/${start.id}?sinceVersion=${lookup.version}&waitSeconds=5`,
      { headers: auth },
    );
    lookup = JSON.parse(reply.body) as LookupBody;
  }
  return lookup;
}

/** Sends `total` distinct webhooks, `concurrency` at a time; returns how many were accepted and in how long. */
async function sendWebhooks(load: Load, total: number, concurrency: number, deadline: number) {
  let sent = 0;
  let accepted = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total && Date.now() < deadline) {
        sent++;
        const reply = await load.request('POST', '/webhooks/belvo', {
          headers: { authorization: WEBHOOK_AUTHORIZATION },
          body: JSON.stringify({
            webhook_id: randomBytes(16).toString('hex'),
            webhook_type: 'EMPLOYMENTS',
            process_type: 'historical_update',
            webhook_code: 'historical_update',
            link_id: crypto.randomUUID(),
            data: { total_employments: 2 },
          }),
        });
        if (reply.status === 200) accepted++;
      }
    }),
  );
  return { sent, accepted, seconds: (performance.now() - started) / 1000 };
}

export async function benchWebhookIntake(store: BenchStore = 'sqlite'): Promise<BenchRow> {
  return withRelay(
    async ({ url }) => {
      const concurrency = 64;
      const load = createHttpLoad(url, concurrency);
      const deadline = Date.now() + 40_000;
      // Not timed: a fresh process runs its code unoptimised at first.
      await sendWebhooks(load, 1_000, concurrency, deadline);
      const { sent, accepted, seconds } = await sendWebhooks(load, 6_000, concurrency, deadline);
      load.close();
      const perSecond = accepted / seconds;
      const durability =
        store === 'sqlite' ? 'SQLite, synchronous=FULL' : 'PostgreSQL, synchronous_commit=on';
      return {
        what: `webhooks accepted per second, ${durability} (${accepted} stored after 1,000 to warm up, ${concurrency} concurrent)`,
        value: `${Math.round(perSecond)}/s`,
        target: '≥ 1,500/s',
        ok: perSecond >= 1_500 && accepted === sent,
      };
    },
    { store },
  );
}

/**
 * From the webhook that decides a lookup to the long-poll answering. `crossNode`: two nodes on one
 * PostgreSQL, the webhook posted to the first and the long-poll waiting on the second.
 */
export async function benchWakeLatency(options: { crossNode: boolean }, samples = 60): Promise<BenchRow> {
  return withRelay(
    async ({ urls, token, emulator }) => {
      const load = createHttpLoad(urls[0]!, 16);
      const waitingLoad = options.crossNode ? createHttpLoad(urls[1]!, 16) : load;
      const auth = { authorization: `Bearer ${token}` };
      const webhookAuth = { authorization: WEBHOOK_AUTHORIZATION };
      const latencies: number[] = [];
      const deadline = Date.now() + 60_000;
      for (let index = 0; index < samples && Date.now() < deadline; index++) {
        const cedula = String(30_000_000 + index);
        let lookup = await longPollUntil(
          load,
          auth,
          await createLookup(load, auth, cedula),
          (current) => current.stage === 'waiting_for_belvo',
        );
        const linkId = [...emulator.links.values()].at(-1)!.id;
        const hook = (type: string, data: Record<string, number>) =>
          load.request('POST', '/webhooks/belvo', {
            headers: webhookAuth,
            body: JSON.stringify({
              webhook_id: randomBytes(16).toString('hex'),
              webhook_type: type,
              webhook_code: 'historical_update',
              process_type: 'historical_update',
              link_id: linkId,
              data,
            }),
          });
        await hook('EMPLOYMENTS', { total_employments: 0 });
        // Versions: 2 link registered, 3 fetching employments, 4 employments stored (none announced).
        lookup = await longPollUntil(waitingLoad, auth, lookup, (current) => current.version >= 4);
        const waiting = waitingLoad.request(
          'GET',
          `/v1/lookups/${lookup.id}?sinceVersion=${lookup.version}&waitSeconds=10`,
          { headers: auth },
        );
        await new Promise((resolve) => setTimeout(resolve, 20));
        const decidingSentAt = performance.now();
        await hook('OWNERS', { total_owners: 0 });
        const woken = JSON.parse((await waiting).body);
        const elapsed = performance.now() - decidingSentAt;
        if (woken.status !== 'pending' || woken.version > lookup.version) latencies.push(elapsed);
      }
      load.close();
      if (waitingLoad !== load) waitingLoad.close();
      const p95 = percentile(latencies, 95);
      const limitMs = options.crossNode ? 100 : 50;
      const where = options.crossNode
        ? 'posted to node A, long-poll on node B, PostgreSQL'
        : 'one node, SQLite';
      return {
        what: `long-poll wake after the deciding webhook (${where}), p95 (p50 ${percentile(latencies, 50).toFixed(1)} ms, n=${latencies.length})`,
        value: `${p95.toFixed(1)} ms`,
        target: `< ${limitMs} ms`,
        ok: p95 < limitMs && latencies.length === samples,
      };
    },
    options.crossNode ? { store: 'postgres', nodes: 2 } : {},
  );
}

/**
 * A 500-row batch against the emulator with a fixed 2 s extraction: its time against what its
 * concurrency allows (rows ÷ BATCH_CONCURRENCY × 2 s), the relay's memory meanwhile, and how soon a
 * client following the batch (long-poll, as the extension does) sees each row's completion.
 */
export async function benchBatch(rows = 500, concurrency = 16): Promise<BenchRow[]> {
  const extractionMs = 2_000;
  return withRelay(
    async ({ url, pid, token }) => {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const body = JSON.stringify({
        rows: Array.from({ length: rows }, (_, index) => ({
          cedula: String(75_000_000 + index),
          consentReference: `AUT-${index}`,
        })),
      });
      let rss = rssMegabytes(pid);
      const sampler = setInterval(() => {
        rss = Math.max(rss, rssMegabytes(pid));
      }, 250);
      const started = performance.now();
      const created = (await (
        await fetch(`${url}/v1/batches`, { method: 'POST', headers, body })
      ).json()) as {
        id: string;
        version: string;
      };
      const seenReady = new Map<number, number>();
      let batch: {
        status: string;
        version: string;
        rows: Array<{ line: number; status: string; lookupId: string | null }>;
      } = { status: 'running', version: '', rows: [] };
      while (batch.status === 'running') {
        const response = await fetch(
          `${url}/v1/batches/${created.id}?sinceVersion=${encodeURIComponent(batch.version)}&waitSeconds=10`,
          { headers },
        );
        batch = (await response.json()) as typeof batch;
        const at = Date.now();
        for (const row of batch.rows)
          if (row.status === 'ready' && !seenReady.has(row.line)) seenReady.set(row.line, at);
      }
      const elapsedMs = performance.now() - started;
      clearInterval(sampler);
      // When each row's lookup became ready, by the relay's own clock (same machine).
      const delays: number[] = [];
      for (const row of batch.rows) {
        const lookup = (await (await fetch(`${url}/v1/lookups/${row.lookupId}`, { headers })).json()) as {
          updatedAt: string;
        };
        delays.push(seenReady.get(row.line)! - Date.parse(lookup.updatedAt));
      }
      const allowedMs = Math.ceil(rows / concurrency) * extractionMs;
      const ratio = elapsedMs / allowedMs;
      const p95Delay = percentile(delays, 95);
      return [
        {
          what: `${rows}-row batch, BATCH_CONCURRENCY=${concurrency}, 2 s extraction: time against what its concurrency allows (${(allowedMs / 1000).toFixed(0)} s)`,
          value: `${(elapsedMs / 1000).toFixed(1)} s (${((ratio - 1) * 100).toFixed(1)} % over)`,
          target: 'within 10 %',
          ok: ratio <= 1.1,
        },
        {
          what: 'relay RSS during that batch (peak)',
          value: `${rss.toFixed(0)} MB`,
          target: '< 300 MB',
          ok: rss < 300,
        },
        {
          what: `row ready at the relay → shown to the client following the batch, p95 (max ${Math.max(...delays).toFixed(0)} ms, n=${rows})`,
          value: `${p95Delay.toFixed(0)} ms`,
          target: '< 1 s',
          ok: p95Delay < 1_000,
        },
      ];
    },
    { extractionMs, env: { BATCH_CONCURRENCY: String(concurrency), WEBHOOK_TIMEOUT_SECONDS: '120' } },
  );
}

export async function benchManyLongPolls(count = 5_000): Promise<BenchRow[]> {
  return withRelay(async ({ url, metricsUrl, pid, token }) => {
    const auth = { authorization: `Bearer ${token}` };
    const setupLoad = createHttpLoad(url, 8);
    const metricsLoad = createHttpLoad(metricsUrl, 1);
    const lookup = await longPollUntil(
      setupLoad,
      auth,
      await createLookup(setupLoad, auth, '1020304050'),
      (current) => current.stage === 'waiting_for_belvo',
    );
    const rssBefore = rssMegabytes(pid);
    const pollLoad = createHttpLoad(url, count);
    const controller = new AbortController();
    // One signal ends every poll at once; that is thousands of listeners on purpose.
    setMaxListeners(0, controller.signal);
    const polls = Array.from({ length: count }, () =>
      pollLoad
        .request('GET', `/v1/lookups/${lookup.id}?sinceVersion=${lookup.version}&waitSeconds=30`, {
          headers: auth,
          signal: controller.signal,
        })
        .catch(() => undefined),
    );
    const deadline = Date.now() + 20_000;
    let open = 0;
    while (open < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const metrics = (await metricsLoad.request('GET', '/metrics')).body;
      open = Number(metrics.match(/^lupa_open_long_polls (\d+)/m)?.[1] ?? 0);
    }
    const rss = rssMegabytes(pid);
    const heapMetrics = (await metricsLoad.request('GET', '/metrics')).body;
    const heapUsed =
      Number(heapMetrics.match(/^nodejs_heap_size_used_bytes (\S+)/m)?.[1] ?? Number.NaN) / 1_048_576;
    const heapTotal =
      Number(heapMetrics.match(/^nodejs_heap_size_total_bytes (\S+)/m)?.[1] ?? Number.NaN) / 1_048_576;
    const latencies: number[] = [];
    for (let index = 0; index < 300; index++) {
      const started = performance.now();
      await setupLoad.request('GET', '/healthz');
      latencies.push(performance.now() - started);
    }
    controller.abort();
    await Promise.all(polls);
    pollLoad.close();
    setupLoad.close();
    metricsLoad.close();
    const p99 = percentile(latencies, 99);
    return [
      {
        what: `relay RSS holding ${open} open long-polls (${rssBefore.toFixed(0)} MB before; V8 heap ${heapUsed.toFixed(0)} of ${heapTotal.toFixed(0)} MB)`,
        value: `${rss.toFixed(0)} MB`,
        target: '< 250 MB',
        ok: rss < 250 && open === count,
      },
      {
        what: `/healthz p99 while holding them (n=${latencies.length})`,
        value: `${p99.toFixed(1)} ms`,
        target: '< 50 ms',
        ok: p99 < 50,
      },
    ];
  });
}

/**
 * 50 analysts following one quiet batch of 500 rows (its lookups waiting on a slow PILA): their waits
 * sleep on the change notifier, so the relay should spend next to no CPU while they are open.
 */
export async function benchBatchWaits(count = 50, rows = 500): Promise<BenchRow[]> {
  return withRelay(
    async ({ url, metricsUrl, pid, token }) => {
      const headers = { authorization: `Bearer ${token}` };
      const load = createHttpLoad(url, count + 4);
      const metricsLoad = createHttpLoad(metricsUrl, 1);
      const body = JSON.stringify({
        rows: Array.from({ length: rows }, (_, index) => ({
          cedula: String(70_000_000 + index),
          consentReference: `AUT-${index}`,
        })),
      });
      const created = JSON.parse((await load.request('POST', '/v1/batches', { body, headers })).body) as {
        id: string;
      };
      // Let the first rows start and the batch settle (BATCH_CONCURRENCY rows running, the rest pending).
      let version = '';
      for (let attempt = 0; attempt < 50; attempt++) {
        const batch = JSON.parse(
          (await load.request('GET', `/v1/batches/${created.id}`, { headers })).body,
        ) as {
          version: string;
        };
        if (batch.version === version) break;
        version = batch.version;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const rssBefore = rssMegabytes(pid);
      const windowSeconds = 10;
      // The batch's own job runs every 100 ms while its rows are out: measured alone first.
      const idleBefore = cpuSeconds(pid);
      await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
      const baseline = ((cpuSeconds(pid) - idleBefore) / windowSeconds) * 100;
      const controller = new AbortController();
      setMaxListeners(0, controller.signal);
      const waits = Array.from({ length: count }, () =>
        load
          .request(
            'GET',
            `/v1/batches/${created.id}?sinceVersion=${encodeURIComponent(version)}&waitSeconds=30`,
            {
              headers,
              signal: controller.signal,
            },
          )
          .catch(() => undefined),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const cpuBefore = cpuSeconds(pid);
      await new Promise((resolve) => setTimeout(resolve, windowSeconds * 1000));
      const cpuShare = ((cpuSeconds(pid) - cpuBefore) / windowSeconds) * 100;
      const metrics = (await metricsLoad.request('GET', '/metrics')).body;
      const open = Number(metrics.match(/^lupa_open_long_polls (\d+)/m)?.[1] ?? 0);
      const rss = rssMegabytes(pid);
      controller.abort();
      await Promise.all(waits);
      load.close();
      metricsLoad.close();
      return [
        {
          what: `relay CPU added by ${open} open waits on a quiet ${rows}-row batch (${cpuShare.toFixed(1)} % with them, ${baseline.toFixed(1)} % without; ${windowSeconds} s each, share of one core)`,
          value: `${(cpuShare - baseline).toFixed(1)} %`,
          target: '< 2 %',
          ok: cpuShare - baseline < 2 && open === count,
        },
        {
          what: `relay RSS with them open (${rssBefore.toFixed(0)} MB before)`,
          value: `${rss.toFixed(0)} MB`,
          target: '< 250 MB',
          ok: rss < 250,
        },
      ];
    },
    { extractionMs: 600_000, env: { BATCH_CONCURRENCY: '4', MAX_WAITS_PER_ANALYST: '100000' } },
  );
}
