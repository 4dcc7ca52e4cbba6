import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analystClient, type Stack, startStack, waitUntilFinal } from './relay-harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const consent = { granted: true };

describe('POST /v1/lookups refuses bad input with a stable code and starts nothing', () => {
  it.each([
    ['letters', 'abc1234567'],
    ['11 digits', '10203040501'],
    ['empty', ''],
    ['only separators', ' . . '],
    ['a leading zero', '0123456789'],
    ['two digits', '12'],
    ['a hyphen', '1020-304050'],
    ['a number instead of text', 1020304050],
    ['missing', undefined],
  ])('invalid_cedula for %s', async (_case, cedula) => {
    const linksBefore = stack.emulator.counters.linksCreated;
    const response = await stack.api.post('v1/lookups', { json: { cedula, consent } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('invalid_cedula');
    expect(body.error.message).toMatch(/3 to 10 digits/);
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
    expect(stack.emulator.counters.linksCreated).toBe(linksBefore);
  });

  it.each([
    ['no consent at all', {}],
    ['consent not granted', { consent: { granted: false } }],
    ['consent without granted', { consent: { reference: 'SOL-1' } }],
  ])('consent_required for %s', async (_case, extra) => {
    const response = await stack.api.post('v1/lookups', { json: { cedula: '1020304050', ...extra } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'consent_required' } });
  });

  it('accepts the cédula with dots and spaces', async () => {
    const response = await stack.api.post('v1/lookups', { json: { cedula: ' 1.020.304 050 ', consent } });
    expect(response.status).toBe(202);
  });

  it('answers invalid_json for a body that is not JSON', async () => {
    const response = await stack.api.post('v1/lookups', {
      body: '{"cedula": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('answers 415 unsupported_media_type for a body not sent as JSON', async () => {
    const response = await stack.api.post('v1/lookups', {
      body: JSON.stringify({ cedula: '1020304050', consent: { granted: true } }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('answers invalid_request for a consent reference longer than 120 characters', async () => {
    const response = await stack.api.post('v1/lookups', {
      json: { cedula: '1020304050', consent: { granted: true, reference: 'x'.repeat(121) } },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('answers 413 payload_too_large past 16 KB', async () => {
    const response = await stack.api.post('v1/lookups', {
      json: { cedula: '1020304050', consent, padding: 'x'.repeat(20_000) },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });
});

describe('analyst tokens', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer lupa_not-a-real-token'],
    ['a non-Bearer scheme', 'Basic dXNlcjpwYXNz'],
  ])('401 unauthorized with %s', async (_case, authorization) => {
    const response = await ky.get(`${stack.relay.url}/v1/me`, {
      headers: authorization ? { authorization } : {},
      throwHttpErrors: false,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('401 for a revoked analyst', async () => {
    const analyst = await stack.newAnalyst('Saliente');
    expect((await analyst.api.get('v1/me')).status).toBe(200);
    await stack.relay.ctx.store.db
      .updateTable('analysts')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', analyst.id)
      .execute();
    expect((await analystClient(stack.relay.url, analyst.token).get('v1/me')).status).toBe(401);
  });
});

describe('browser origins', () => {
  it('allows the configured extension origin with CORS headers', async () => {
    const response = await stack.api.get('v1/me', {
      headers: { origin: 'chrome-extension://lupatestextensionid' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(
      'chrome-extension://lupatestextensionid',
    );
  });

  it('refuses any other origin, so a web page cannot drive the relay', async () => {
    const response = await stack.api.get('v1/me', { headers: { origin: 'https://crm.example.com' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toMatchObject({ error: { code: 'forbidden_origin' } });
  });

  it('answers the preflight of the allowed origin only', async () => {
    const preflight = (origin: string) =>
      ky(`${stack.relay.url}/v1/lookups`, {
        method: 'options',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
        throwHttpErrors: false,
      });
    const allowed = await preflight('chrome-extension://lupatestextensionid');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('chrome-extension://lupatestextensionid');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('Firefox installs', () => {
  it('admits any Firefox extension origin when RELAY_ALLOWED_ORIGINS has moz-extension://*, and still no web page', async () => {
    const firefox = await startStack({
      env: { RELAY_ALLOWED_ORIGINS: 'chrome-extension://lupatestextensionid,moz-extension://*' },
    });
    try {
      const origin = 'moz-extension://0b1e4f9a-7c53-4d3e-9d0e-2f4a1b6c8d90';
      const allowed = await firefox.api.get('v1/me', { headers: { origin } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);
      const page = await firefox.api.get('v1/me', { headers: { origin: 'https://crm.example.com' } });
      expect(page.status).toBe(403);
      for (const notAnInstall of [
        'moz-extension://-',
        'moz-extension://abc',
        'moz-extension://0B1E4F9A-7C53-4D3E-9D0E-2F4A1B6C8D90',
        'moz-extension://0b1e4f9a-7c53-4d3e-9d0e-2f4a1b6c8d90.evil.example',
        'moz-extension://0b1e4f9a-7c53-4d3e-9d0e-2f4a1b6c8d90:8080',
      ]) {
        const refused = await firefox.api.get('v1/me', { headers: { origin: notAnInstall } });
        expect([notAnInstall, refused.status]).toEqual([notAnInstall, 403]);
        expect(await refused.text()).not.toContain(notAnInstall);
      }
    } finally {
      await firefox.stop();
    }
  });
});

describe('what browsers and proxies may keep', () => {
  it('every /v1 answer, success or error, says no-store and nosniff', async () => {
    const started = await stack.startLookup('1020304050');
    const id = started.body.id;
    await waitUntilFinal(stack.api, id);
    const anonymous = ky.create({ prefixUrl: stack.relay.url, throwHttpErrors: false, retry: 0 });
    const answers = await Promise.all([
      stack.api.post('v1/lookups', { json: { cedula: '1020304050', consent: { granted: true } } }),
      stack.api.post('v1/lookups', { json: { cedula: 'x', consent: { granted: true } } }),
      stack.api.get(`v1/lookups/${id}`),
      stack.api.get(`v1/lookups/${id}`, { searchParams: { waitSeconds: 1, sinceVersion: 0 } }),
      stack.api.get(`v1/lookups/${id}/report`),
      stack.api.post('v1/lookups/search', { json: { cedula: '1020304050' } }),
      stack.api.get('v1/me'),
      stack.api.delete('v1/lookups/no-such-lookup'),
      anonymous.get('v1/me'),
      stack.api.get('v1/me', { headers: { origin: 'https://crm.example.com' } }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([
      200, 400, 200, 200, 200, 200, 200, 404, 401, 403,
    ]);
    for (const answer of answers) {
      expect([
        answer.url,
        answer.headers.get('cache-control'),
        answer.headers.get('x-content-type-options'),
      ]).toEqual([answer.url, 'no-store', 'nosniff']);
    }
  });
});
