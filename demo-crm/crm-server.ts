/**
 * Serves the demo CRM pages (npm start, and the end-to-end tests): an in-house loan system, a single
 * page app whose cédula appears only after a client-side navigation, and pages shaped like
 * Salesforce and HubSpot record pages. Every path without a file extension is the in-house app.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const PAGES = join(import.meta.dirname, 'pages');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export async function startDemoCrm(port = 0, host = '127.0.0.1') {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = extname(path) ? join(PAGES, path) : join(PAGES, 'index.html');
    try {
      const body = await readFile(file);
      response
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('No encontrado');
    }
  });
  return listenLocally(server, host, port);
}

/** Listens on `host:port` (0: any free port); `close` also ends the browser's kept-alive connections. */
export async function listenLocally(server: Server, host: string, port: number) {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers keep connections alive; close would otherwise wait for them.
        server.closeAllConnections();
      }),
  };
}
