import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-runner.js';
import { type Stack, startStack, waitUntilFinal } from './relay-harness.js';

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

  it('/metrics speaks Prometheus and counts what happened', async () => {
    const response = await get('/metrics');
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/lupa_webhooks_received_total\{outcome="stored"\} 2/);
    expect(text).toMatch(/lupa_lookups_total\{kind="new"\} 1/);
    expect(text).toMatch(/lupa_extractions_finished_total\{status="ready",code=""\} 1/);
    expect(text).toContain('lupa_belvo_calls_total{method="POST",outcome="ok"} 1');
    expect(text).toContain('lupa_open_long_polls 0');
  });

  it('/openapi.json describes every endpoint with the contract’s schemas', async () => {
    const document = (await (await get('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/lookups',
        '/v1/lookups/{id}',
        '/v1/lookups/{id}/report',
        '/v1/me',
        '/webhooks/belvo',
        '/healthz',
        '/readyz',
        '/metrics',
      ]),
    );
    expect(Object.keys(document.components.schemas.Lookup?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'status', 'stage', 'cedulaMasked', 'version', 'counts', 'error']),
    );
    expect(document.components.schemas.ApiError).toBeDefined();
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
