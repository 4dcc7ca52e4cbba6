/** A minimal keep-alive HTTP client for load on 127.0.0.1 (node:http: no extra dependency, low overhead). */
import http from 'node:http';

export type Reply = { status: number; body: string };

export function createHttpLoad(baseUrl: string, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const { hostname, port } = new URL(baseUrl);
  function request(
    method: string,
    path: string,
    options: { body?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        {
          agent,
          hostname,
          port,
          method,
          path,
          headers: { 'content-type': 'application/json', ...options.headers },
          signal: options.signal,
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(options.body);
    });
  }
  return { request, close: () => agent.destroy() };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
