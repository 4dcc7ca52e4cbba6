/**
 * The relay's own limits, over raw sockets where a client misbehaves: a slow client is cut at the
 * header and request timeouts, one address holds at most MAX_CONNECTIONS_PER_CLIENT connections (or,
 * behind a trusted proxy, requests per forwarded address), and an oversized body always gets its 413.
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './relay-harness.js';

let direct: Stack;
let proxied: Stack;

beforeAll(async () => {
  [direct, proxied] = await Promise.all([
    startStack({
      env: { HEADER_TIMEOUT_SECONDS: '1', REQUEST_TIMEOUT_SECONDS: '2', MAX_CONNECTIONS_PER_CLIENT: '4' },
    }),
    startStack({ env: { TRUST_PROXY: 'true', MAX_CONNECTIONS_PER_CLIENT: '2' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([direct?.stop(), proxied?.stop()]);
});

/** A raw connection, with what it received and when it closed. */
function rawConnection(stack: Stack) {
  const socket = connect(stack.relay.port, '127.0.0.1');
  const opened = Date.now();
  const state = { received: '', closedAfterMs: undefined as number | undefined };
  socket.on('data', (chunk) => {
    state.received += chunk;
  });
  socket.on('close', () => {
    state.closedAfterMs = Date.now() - opened;
  });
  socket.on('error', () => undefined);
  return Object.assign(state, {
    socket,
    ready: new Promise<void>((resolve) => socket.once('connect', () => resolve())),
  });
}

const until = async (check: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return check();
};

const statusLine = (text: string) => text.split('\r\n')[0];

describe('timeouts', () => {
  it('cuts a client that sends its headers slowly at the header timeout, with 408', async () => {
    const slow = rawConnection(direct);
    await slow.ready;
    slow.socket.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n');
    const drip = setInterval(() => slow.socket.writable && slow.socket.write('X-Lento: si\r\n'), 200);
    try {
      expect(await until(() => slow.closedAfterMs !== undefined, 5_000)).toBe(true);
    } finally {
      clearInterval(drip);
    }
    expect(statusLine(slow.received)).toBe('HTTP/1.1 408 Request Timeout');
    expect(slow.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(slow.closedAfterMs).toBeLessThan(3_500);
  });

  it('cuts a body that arrives slower than the request timeout', async () => {
    const slow = rawConnection(direct);
    await slow.ready;
    slow.socket.write(
      `POST /v1/lookups HTTP/1.1\r\nHost: relay\r\nAuthorization: Bearer ${direct.analyst.token}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const drip = setInterval(() => slow.socket.writable && slow.socket.write(' '), 200);
    try {
      expect(await until(() => slow.closedAfterMs !== undefined, 6_000)).toBe(true);
    } finally {
      clearInterval(drip);
    }
    expect(slow.closedAfterMs).toBeLessThan(4_500);
  });

  it('keeps an idle keep-alive connection past the header timeout (the header clock starts with a request)', async () => {
    const idle = rawConnection(direct);
    await idle.ready;
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
    await until(() => idle.received.includes('"ok"'), 2_000);
    idle.received = '';
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    idle.socket.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
    expect(await until(() => idle.received.includes('"ok"'), 2_000)).toBe(true);
    idle.socket.destroy();
  });
});

describe('connections per client', () => {
  it('answers the connection past MAX_CONNECTIONS_PER_CLIENT with 429 and admits one again once another closes', async () => {
    const held = Array.from({ length: 4 }, () => rawConnection(direct));
    await Promise.all(held.map((connection) => connection.ready));
    // The server has seen all four before the fifth arrives.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fifth = rawConnection(direct);
    await fifth.ready;
    fifth.socket.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
    expect(await until(() => fifth.closedAfterMs !== undefined, 3_000)).toBe(true);
    expect(statusLine(fifth.received)).toBe('HTTP/1.1 429 Too Many Requests');
    expect(fifth.received).toContain('"code":"too_many_connections"');
    expect(fifth.received.toLowerCase()).toContain('retry-after: 5');

    held[0]!.socket.destroy();
    await until(() => held[0]!.closedAfterMs !== undefined, 1_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = rawConnection(direct);
    await again.ready;
    again.socket.write('GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n');
    expect(await until(() => again.received.includes('"ok"'), 2_000)).toBe(true);
    for (const connection of [...held, again]) connection.socket.destroy();
  });

  it('behind a trusted proxy, counts requests per forwarded address (the last entry, not the client’s own)', async () => {
    const longPoll = (forwardedFor: string) => {
      const connection = rawConnection(proxied);
      connection.socket.write(
        `GET /v1/me HTTP/1.1\r\nHost: relay\r\nX-Forwarded-For: ${forwardedFor}\r\nConnection: close\r\n\r\n`,
      );
      return connection;
    };
    // Two long-polls held open from 203.0.113.7 (the cap is 2), then a third from the same address
    // pretending, in a first entry, to be someone else.
    const { id } = (await proxied.startLookup('1020304050')).body;
    const holds: Array<ReturnType<typeof rawConnection>> = [];
    for (let index = 0; index < 2; index++) {
      const connection = rawConnection(proxied);
      await connection.ready;
      connection.socket.write(
        `GET /v1/lookups/${id}?sinceVersion=99&waitSeconds=10 HTTP/1.1\r\nHost: relay\r\n` +
          `Authorization: Bearer ${proxied.analyst.token}\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n`,
      );
      holds.push(connection);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const spoofed = longPoll('198.51.100.1, 203.0.113.7');
    expect(await until(() => spoofed.closedAfterMs !== undefined, 3_000)).toBe(true);
    expect(statusLine(spoofed.received)).toBe('HTTP/1.1 429 Too Many Requests');
    // Another office behind the same proxy is not affected.
    const other = longPoll('203.0.113.99');
    expect(await until(() => other.closedAfterMs !== undefined, 3_000)).toBe(true);
    expect(statusLine(other.received)).toBe('HTTP/1.1 401 Unauthorized');
    for (const connection of holds) connection.socket.destroy();
  });
});

describe('oversized bodies', () => {
  /** A 2 MB POST the way a plain client sends it: the whole body written, then the answer read. */
  function postTwoMegabytes(stack: Stack, chunked: boolean): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const size = 2 * 1024 * 1024;
      const request = httpRequest(
        {
          host: '127.0.0.1',
          port: stack.relay.port,
          path: '/v1/lookups',
          method: 'POST',
          agent: false,
          headers: {
            authorization: `Bearer ${stack.analyst.token}`,
            'content-type': 'application/json',
            ...(chunked ? {} : { 'content-length': size }),
          },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode!, body }));
        },
      );
      request.on('error', reject);
      const piece = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const writeMore = () => {
        while (sent < size) {
          sent += piece.length;
          if (!request.write(piece)) return void request.once('drain', writeMore);
        }
        request.end();
      };
      writeMore();
    });
  }

  it('answers a 2 MB body with 413 payload_too_large every time (50 tries, with and without a length)', async () => {
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        const { status, body } = await postTwoMegabytes(direct, attempt % 2 === 1);
        outcomes.push(`${status} ${JSON.parse(body).error.code}`);
      } catch (error) {
        outcomes.push(`failed: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }
    expect(outcomes).toEqual(Array(50).fill('413 payload_too_large'));
  });
});
