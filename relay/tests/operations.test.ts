import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/create-app.js';
import { openStore } from '../src/store/open-store.js';
import { runCli } from './cli-runner.js';
import { type Stack, startStack, waitUntilFinal } from './relay-harness.js';
import { TEST_STORE } from './test-store.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
  const started = await stack.startLookup('1020304050');
  await waitUntilFinal(stack.api, started.body.id);
});
afterAll(() => stack.stop());

const get = (path: string) => ky.get(`${stack.relay.url}${path}`, { throwHttpErrors: false });

describe('operations endpoints', () => {
  it('/healthz and /readyz answer without a token', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await get('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('/metrics answers on its own listener only, speaks Prometheus and counts what happened', async () => {
    const metrics = () => ky.get(stack.relay.metricsUrl, { throwHttpErrors: false });
    const onPublic = await get('/metrics');
    expect(onPublic.status).toBe(404);
    expect(await onPublic.text()).not.toContain('lupa_');
    expect(new URL(stack.relay.metricsUrl).hostname).toBe('127.0.0.1');
    expect(new URL(stack.relay.metricsUrl).port).not.toBe(String(stack.relay.port));
    const response = await metrics();
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/lupa_webhooks_received_total\{outcome="stored"\} 2/);
    expect(text).toMatch(/lupa_lookups_total\{kind="new"\} 1/);
    expect(text).toMatch(/lupa_extractions_finished_total\{status="ready",code=""\} 1/);
    expect(text).toContain('lupa_belvo_calls_total{method="POST",outcome="ok"} 1');
    expect(text).toContain('lupa_open_long_polls 0');
    expect(text).toContain('lupa_change_listener_up 1');
    // Only the retention purge is left waiting for its next slot, or nothing at all. The job that made the
    // lookup ready commits the lookup first and its own completion just after: wait out that moment.
    const unfinishedJobs = async () =>
      Number((await (await metrics()).text()).match(/^lupa_jobs_unfinished (\S+)$/m)?.[1]);
    await expect.poll(unfinishedJobs, { timeout: 5_000 }).toBeLessThanOrEqual(1);
  });

  it('/openapi.json uses the contract’s schemas as components', async () => {
    const document = (await (await get('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.schemas.Lookup?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'status', 'stage', 'cedulaMasked', 'version', 'counts', 'error']),
    );
    expect(document.components.schemas.ApiError).toBeDefined();
  });

  it('/openapi.json documents exactly the routes the router serves', async () => {
    const app = createApp(stack.relay.ctx, stack.relay.services);
    const routed = new Set(
      app.routes
        .filter((route) => route.method !== 'ALL')
        .map((route) => `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const document = (await (await get('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations)
          .filter((key) => key !== 'parameters')
          .map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    expect([...documented].sort()).toEqual([...routed].sort());
    expect(routed).toContain('POST /v1/lookups');
    expect(routed).toContain('POST /webhooks/belvo');
    expect(routed).toContain('POST /v1/batches');
    // /metrics is served on its own listener, not routed here.
    expect(routed.size).toBe(24);
  });

  it('answers sign-in requests with sign_in_not_configured when no identity provider is set', async () => {
    for (const path of ['/auth/sign-in', '/auth/callback?state=x']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'sign_in_not_configured',
      );
    }
  });

  it('answers unknown paths with the contract’s error body', async () => {
    const response = await get('/v2/nothing');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('starting with a wrong configuration', () => {
  it('exits 2 and names every missing or wrong value', () => {
    const result = runCli(['serve'], {
      RELAY_ENCRYPTION_KEY: 'c2hvcnQ=',
      REUSE_WINDOW_HOURS: 'soon',
      RELAY_ALLOWED_ORIGINS: '*',
    });
    expect(result.status).toBe(2);
    for (const expected of [
      'BELVO_SECRET_ID is required',
      'BELVO_SECRET_PASSWORD is required',
      'BELVO_WEBHOOK_AUTHORIZATION is required',
      'RELAY_ENCRYPTION_KEY must be 32 bytes in base64 (got 5 bytes)',
      'REUSE_WINDOW_HOURS must be a positive number (got "soon")',
      'wildcards are refused',
    ]) {
      expect(result.stderr).toContain(expected);
    }
  });

  it('prints the help for an unknown command', () => {
    const result = runCli(['frobnicate'], {});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Unknown command "frobnicate"');
    expect(result.stderr).toContain('audit --cedula <n>');
  });
});

describe('backups', () => {
  it('copies a SQLite store consistently while the relay serves; points PostgreSQL to pg_dump', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lupa-backup-'));
    try {
      const destination = join(dir, 'relay-backup.db');
      const result = runCli(['backup', destination], stack.env);
      if (TEST_STORE === 'postgres') {
        expect(result.status).toBe(2);
        expect(result.stderr).toContain('pg_dump');
        return;
      }
      expect(result.status).toBe(0);
      // A copy of personal data, readable by the relay's user only (it was 0644 under a usual umask).
      expect(statSync(destination).mode & 0o777).toBe(0o600);
      // The copy is a working store with what the live one had committed.
      const copy = await openStore(`sqlite:${destination}`);
      try {
        const lookups = await copy.db.selectFrom('lookups').select('id').execute();
        const live = await stack.relay.ctx.store.db.selectFrom('lookups').select('id').execute();
        expect(lookups.map((row) => row.id).sort()).toEqual(live.map((row) => row.id).sort());
        expect(lookups.length).toBeGreaterThan(0);
      } finally {
        await copy.close();
      }
      // It never overwrites a file.
      expect(runCli(['backup', destination], stack.env).status).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
