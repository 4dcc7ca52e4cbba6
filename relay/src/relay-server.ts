/** Builds and runs one relay node: store, Belvo client, job runner, HTTP server, retention timer. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Logger } from 'pino';
import { createAnalystAdmin } from './analysts/analyst-admin.js';
import { createAdvanceBatchJob } from './batches/advance-batch-job.js';
import { createBatchService } from './batches/batch-service.js';
import { createBelvoClient } from './belvo/belvo-client.js';
import type { RelayConfig } from './config.js';
import { createDeleteLinkJob } from './extractions/delete-link-job.js';
import { createPurgeJob, schedulePurge } from './extractions/purge.js';
import { createReconcileJob } from './extractions/reconcile-job.js';
import { createRegisterLinkJob } from './extractions/register-link-job.js';
import { limitConnectionsPerClient } from './http/client-limits.js';
import { createApp } from './http/create-app.js';
import { createJobRunner, type JobRunner } from './jobs/job-runner.js';
import { createLocalChangeNotifier } from './lookups/change-notifier.js';
import { createLookupService } from './lookups/lookup-service.js';
import { createPostgresChangeNotifier } from './lookups/postgres-change-notifier.js';
import { createWaitSlots } from './lookups/wait-slots.js';
import { createLogger } from './observability/logger.js';
import { addStoreGauges, createMetrics } from './observability/metrics.js';
import { createDataProtector } from './privacy/data-protector.js';
import { resealLegacyValues } from './privacy/reseal-legacy-values.js';
import type { RelayContext, RelayServices } from './relay-context.js';
import { createSignInService } from './sign-in/sign-in-service.js';
import { openStore } from './store/open-store.js';
import { countUnfinishedJobs } from './store/queries/jobs-queries.js';
import { createProcessWebhookJob } from './webhooks/process-webhook-job.js';

const PURGE_INTERVAL_MS = 15 * 60_000;
const KEEP_ALIVE_MS = 65_000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export type RelayOptions = { logger?: Logger; now?: () => Date; jobIdlePollMs?: number };

/**
 * The pieces that work without an HTTP server, and every service, built once here and handed to the
 * routes, the jobs and the CLI.
 */
export async function createRelayContext(config: RelayConfig, options: RelayOptions = {}) {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const now = options.now ?? (() => new Date());
  const store = await openStore(config.databaseUrl, {
    poolSize: config.databasePoolSize,
    now,
    onConnectionError: (error) =>
      logger.warn({ err: error.message }, 'a database connection broke; the next query opens another'),
  });
  const notifier =
    store.dialect === 'postgres'
      ? await createPostgresChangeNotifier({ databaseUrl: config.databaseUrl, db: store.db, logger })
      : createLocalChangeNotifier();
  let runner: JobRunner | undefined;
  const ctx: RelayContext = {
    config,
    store,
    protector: createDataProtector(config.encryptionKey, config.previousEncryptionKeys),
    belvo: createBelvoClient({ ...config.belvo, logger, metrics }),
    notifier,
    logger,
    metrics,
    wakeJobs: () => runner?.wake(),
    now,
  };
  await resealLegacyValues(ctx);
  addStoreGauges(metrics, {
    unfinishedJobs: () => countUnfinishedJobs(store.db),
    isListening: () => notifier.isListening(),
  });
  // One cap for every long-poll an analyst holds on this node, lookups and batches alike.
  const waits = createWaitSlots(config.maxWaitsPerAnalyst);
  const lookups = createLookupService(ctx, waits);
  const services: RelayServices = {
    lookups,
    batches: createBatchService(ctx, waits),
    analysts: createAnalystAdmin(ctx),
    signIn: config.oidc ? createSignInService(ctx, config.oidc) : undefined,
  };
  runner = createJobRunner({
    store,
    logger,
    metrics,
    now: ctx.now,
    idlePollMs: options.jobIdlePollMs,
    leaseMs: config.jobLeaseMs,
    handlers: {
      register_link: createRegisterLinkJob(ctx),
      process_webhook: createProcessWebhookJob(ctx),
      reconcile: createReconcileJob(ctx),
      delete_link: createDeleteLinkJob(ctx),
      purge: createPurgeJob(ctx),
      advance_batch: createAdvanceBatchJob(ctx, lookups),
    },
  });
  return { ctx, runner, services };
}

export type RunningRelay = {
  url: string;
  port: number;
  /** Where Prometheus scrapes: a listener of its own (METRICS_HOST, METRICS_PORT), never the public one. */
  metricsUrl: string;
  ctx: RelayContext;
  services: RelayServices;
  stop(): Promise<void>;
};

export async function startRelay(config: RelayConfig, options: RelayOptions = {}): Promise<RunningRelay> {
  const { ctx, runner, services } = await createRelayContext(config, options);
  const app = createApp(ctx, services);
  const { limits } = config;
  const server = createServer({
    // Idle connections outlive those of the proxies and load balancers in front (often 60 s), so the
    // relay never closes a connection at the moment a proxy sends a request down it.
    keepAliveTimeout: KEEP_ALIVE_MS,
    // A client that sends its headers (or its body) slowly holds a connection no longer than this;
    // checked every second (Node's default, 30 s, would let a slow client keep it that long).
    headersTimeout: limits.headerTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: 1_000,
  });
  server.on(
    'request',
    limitConnectionsPerClient(server, getRequestListener(app.fetch), {
      max: limits.maxConnectionsPerClient,
      trustProxy: limits.trustProxy,
      onRefused: () => ctx.metrics.connectionsRefused.inc(),
    }),
  );
  await listen(server, config.port, config.host);
  const metricsServer = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    ctx.metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': ctx.metrics.registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  });
  await listen(metricsServer, config.metrics.port, config.metrics.host).catch(async (error: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  await runner.start();
  await schedulePurge(ctx, PURGE_INTERVAL_MS);
  const purgeTimer = setInterval(() => {
    schedulePurge(ctx, PURGE_INTERVAL_MS).catch((error: unknown) =>
      ctx.logger.error({ err: String(error) }, 'could not schedule purge'),
    );
  }, PURGE_INTERVAL_MS);
  purgeTimer.unref();
  const metricsPort = (metricsServer.address() as AddressInfo).port;
  ctx.logger.info(
    { port, host: config.host, metricsPort, metricsHost: config.metrics.host, store: ctx.store.dialect },
    'relay listening',
  );

  return {
    url: `http://${config.host}:${port}`,
    port,
    metricsUrl: `http://${config.metrics.host}:${metricsPort}/metrics`,
    ctx,
    services,
    async stop() {
      clearInterval(purgeTimer);
      await new Promise<void>((resolve) => {
        metricsServer.close(() => resolve());
        metricsServer.closeAllConnections();
      });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Long-polls would otherwise hold the close for up to 30 s; clients retry them.
        server.closeAllConnections();
      });
      await runner.stop();
      await ctx.notifier.close();
      await ctx.store.close();
    },
  };
}
