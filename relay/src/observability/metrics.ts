/** Prometheus metrics, one registry per relay instance (tests run several in one process). */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type RelayMetrics = ReturnType<typeof createMetrics>;

export function createMetrics() {
  const registry = new Registry();
  // Process metrics (RSS, heap, event-loop lag, open handles) for operators' alerts.
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'lupa_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'lupa_http_request_duration_seconds',
      help: 'HTTP request duration (long-polls included)',
      labelNames: ['route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    connectionsRefused: new Counter({
      name: 'lupa_connections_refused_total',
      help: 'Requests refused because their client held MAX_CONNECTIONS_PER_CLIENT already',
      registers: [registry],
    }),
    webhooksReceived: new Counter({
      name: 'lupa_webhooks_received_total',
      help: 'Belvo webhooks by outcome (stored, duplicate, unauthorized, invalid, too_large)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    webhookEventsProcessed: new Counter({
      name: 'lupa_webhook_events_processed_total',
      help: 'Stored webhook events processed, by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    belvoCalls: new Counter({
      name: 'lupa_belvo_calls_total',
      help: 'Calls to Belvo by method and outcome (ok, HTTP status, network_error)',
      labelNames: ['method', 'outcome'] as const,
      registers: [registry],
    }),
    lookupsCreated: new Counter({
      name: 'lupa_lookups_total',
      help: 'Lookups requested, by how they were served (new, reused, joined)',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    extractionsFinished: new Counter({
      name: 'lupa_extractions_finished_total',
      help: 'Extractions that reached a final state, by status and error code',
      labelNames: ['status', 'code'] as const,
      registers: [registry],
    }),
    reconciliations: new Counter({
      name: 'lupa_reconciliations_total',
      help: 'Extractions completed by reading Belvo directly because webhooks did not come in time',
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'lupa_jobs_total',
      help: 'Durable jobs run, by kind and outcome (done, retry, gave_up)',
      labelNames: ['kind', 'outcome'] as const,
      registers: [registry],
    }),
    openLongPolls: new Gauge({
      name: 'lupa_open_long_polls',
      help: 'Long-polls currently waiting for a change',
      registers: [registry],
    }),
    wakeLatency: new Histogram({
      name: 'lupa_long_poll_wake_seconds',
      help: 'From a committed change to the waiting long-poll being released',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
  };
}

/** Gauges read at scrape time from the store and the change listener, for backlog and outage alerts. */
export function addStoreGauges(
  metrics: RelayMetrics,
  sources: { unfinishedJobs(): Promise<number>; isListening(): boolean },
): void {
  new Gauge({
    name: 'lupa_jobs_unfinished',
    help: 'Jobs not finished yet (due, running or waiting to retry); NaN while the store does not answer',
    registers: [metrics.registry],
    async collect() {
      this.set(await sources.unfinishedJobs().catch(() => Number.NaN));
    },
  });
  new Gauge({
    name: 'lupa_change_listener_up',
    help: '1 while this node hears changes committed by other nodes (always 1 on SQLite)',
    registers: [metrics.registry],
    collect() {
      this.set(sources.isListening() ? 1 : 0);
    },
  });
}
