/**
 * Every /v1 route with every role, over HTTP: the roles each route admits are written out here, apart
 * from the code that enforces them, and the list must name every route the relay documents.
 */
import { ROLES, type Role } from '@lupa/contract';
import ky from 'ky';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analystClient, type Stack, startStack } from './relay-harness.js';

const EVERYONE = ROLES;
const EXPECTED: Record<string, readonly Role[]> = {
  'POST /v1/lookups': ['analyst'],
  'POST /v1/lookups/search': ['analyst'],
  'GET /v1/lookups/{id}': ['analyst'],
  'GET /v1/lookups/{id}/report': ['analyst'],
  'DELETE /v1/lookups/{id}': ['analyst'],
  'GET /v1/me': EVERYONE,
  'POST /v1/batches': ['analyst'],
  'GET /v1/batches/{id}': ['analyst'],
  'POST /v1/batches/{id}/cancel': ['analyst'],
  'GET /v1/batches/{id}/results.csv': ['analyst'],
  'GET /v1/usage': ['supervisor', 'admin'],
  'POST /v1/people/audit': ['dpo'],
  'POST /v1/people/erase': ['dpo'],
  'GET /v1/analysts': ['admin'],
  'POST /v1/analysts/{id}/roles': ['admin'],
  'POST /v1/analysts/{id}/revoke': ['admin'],
};

/** A request each route accepts from a person with the role (its answer may still be a 404). */
const REQUESTS: Record<string, { query?: Record<string, string>; json?: unknown }> = {
  'POST /v1/lookups': { json: { cedula: '52123456', consent: { granted: true, reference: 'SOL-1' } } },
  'POST /v1/lookups/search': { json: { cedula: '52123456' } },
  'POST /v1/batches': { json: { rows: [{ cedula: '1030405060', consentReference: 'SOL-2' }] } },
  'GET /v1/usage': { query: { from: '2026-11-01', to: '2026-11-30' } },
  'POST /v1/people/audit': { json: { cedula: '1000000002' } },
  'POST /v1/people/erase': { json: { cedula: '1000000002' } },
  'POST /v1/analysts/{id}/roles': { json: { roles: ['analyst'] } },
};

let stack: Stack;
const tokens = new Map<Role, string>();
let documented: string[];

beforeAll(async () => {
  stack = await startStack();
  for (const role of ROLES) tokens.set(role, (await stack.newAnalyst(`Solo ${role}`, [role])).token);
  const document = (await ky.get(`${stack.relay.url}/openapi.json`).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  documented = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/v1/'))
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
});
afterAll(() => stack.stop());

function send(route: string, token: string | undefined) {
  const [method, path] = route.split(' ') as [string, string];
  const request = REQUESTS[route] ?? {};
  // No token: the header is sent empty.
  return analystClient(stack.relay.url, token ?? '')(path.slice(1).replace('{id}', 'no-such-id'), {
    method,
    searchParams: request.query,
    json: request.json ?? (method === 'POST' ? {} : undefined),
  });
}

describe('roles', () => {
  it('names every route the relay documents, and nothing else', () => {
    expect([...documented].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const cases = Object.entries(EXPECTED).flatMap(([route, allowed]) =>
    ROLES.map((role) => [route, role, allowed.includes(role)] as const),
  );
  it.each(cases)('%s as %s: allowed %s', async (route, role, allowed) => {
    const response = await send(route, tokens.get(role));
    const body = (await response
      .clone()
      .json()
      .catch(() => ({}))) as { error?: { code: string } };
    if (allowed) {
      expect(response.status, JSON.stringify(body)).not.toBe(401);
      expect(response.status, JSON.stringify(body)).not.toBe(403);
    } else {
      expect(response.status).toBe(403);
      expect(body.error?.code).toBe('forbidden_role');
    }
  });

  it.each(Object.keys(EXPECTED))('%s without a token: 401', async (route) => {
    const response = await send(route, undefined);
    expect(response.status).toBe(401);
  });

  it('refuses before reading the body: a wrong role with a body that is not JSON still gets 403', async () => {
    const response = await analystClient(stack.relay.url, tokens.get('supervisor')!).post('v1/lookups', {
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(403);
  });

  it('tells the extension who is signed in and with which roles', async () => {
    const me = (await analystClient(stack.relay.url, tokens.get('dpo')!).get('v1/me').json()) as {
      roles: Role[];
    };
    expect(me.roles).toEqual(['dpo']);
  });
});
