/**
 * How many connections one client may hold open. Without a proxy the client is the socket's address
 * and each TCP connection counts; behind a trusted proxy every connection comes from the proxy, so the
 * client is the address the proxy appended to X-Forwarded-For and each request in progress counts
 * (long-polls included). Past the cap the relay answers 429 `too_many_connections` and closes.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { withoutIpv4Mapping } from '../config.js';

/**
 * The client's address: behind a trusted proxy, the last X-Forwarded-For entry, the one the proxy
 * itself appended (the earlier ones are whatever the client sent); otherwise the socket's. With a
 * list of proxies, only a request from one of them is believed: anyone else names only themselves.
 */
export function clientAddressOf(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustProxy: boolean | string[],
): string {
  const socket = socketAddress === undefined ? undefined : withoutIpv4Mapping(socketAddress);
  const believed = Array.isArray(trustProxy)
    ? socket !== undefined && trustProxy.includes(socket)
    : trustProxy;
  if (believed && forwardedFor) {
    const last = forwardedFor.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return socket ?? 'unknown';
}

/** Open connections (or requests) per client address, never below zero, forgotten at zero. */
export function createClientCounter(max: number) {
  const open = new Map<string, number>();
  return {
    /** Counts one more for `address`, or returns false (counting nothing) when it is at the cap. */
    tryOpen(address: string): boolean {
      const current = open.get(address) ?? 0;
      if (current >= max) return false;
      open.set(address, current + 1);
      return true;
    },
    close(address: string): void {
      const current = open.get(address) ?? 0;
      if (current <= 1) open.delete(address);
      else open.set(address, current - 1);
    },
    openOf: (address: string) => open.get(address) ?? 0,
  };
}

const REFUSAL_BODY = JSON.stringify({
  error: {
    code: 'too_many_connections',
    message: 'Too many connections from this address at once; close some and try again',
  },
});

function refuse(response: ServerResponse) {
  response.writeHead(429, {
    'content-type': 'application/json',
    'retry-after': '5',
    'cache-control': 'no-store',
    connection: 'close',
  });
  response.end(REFUSAL_BODY);
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The cap around the app's request listener, so a refused request never reaches a route. Without a
 * proxy a connection over the cap is answered at its first request (the client reads why), then closed.
 */
export function limitConnectionsPerClient(
  server: Server,
  listener: RequestListener,
  options: { max: number; trustProxy: boolean | string[]; onRefused: () => void },
): RequestListener {
  const counter = createClientCounter(options.max);
  if (!options.trustProxy) {
    const refused = new WeakSet<Socket>();
    server.on('connection', (socket: Socket) => {
      const address = clientAddressOf(undefined, socket.remoteAddress, false);
      if (!counter.tryOpen(address)) {
        refused.add(socket);
        // Answered at its first request; one that sends none holds nothing past a second.
        socket.setTimeout(1_000, () => socket.destroy());
        return;
      }
      socket.once('close', () => counter.close(address));
    });
    return (request, response) => {
      if (!refused.has(request.socket)) return listener(request, response);
      options.onRefused();
      refuse(response);
    };
  }
  return (request, response) => {
    const forwarded = request.headers['x-forwarded-for'];
    const address = clientAddressOf(
      Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      request.socket.remoteAddress,
      options.trustProxy,
    );
    if (!counter.tryOpen(address)) {
      options.onRefused();
      return refuse(response);
    }
    response.once('close', () => counter.close(address));
    listener(request, response);
  };
}
