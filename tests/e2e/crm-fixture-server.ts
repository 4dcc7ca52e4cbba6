/**
 * Serves the CRM fixture pages (tests/extension/fixtures/crm, the markup the adapters are built from)
 * and the end-to-end-only pages (tests/e2e/fixtures) as whole documents, so the browser tests run the
 * overlay on exactly the markup the unit tests read.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { listenLocally } from '../../demo-crm/crm-server.js';

const FOLDERS: Record<string, string> = {
  crm: join(import.meta.dirname, '../extension/fixtures/crm'),
  e2e: join(import.meta.dirname, 'fixtures'),
};

export async function startFixtureServer(host = '127.0.0.1', port = 0) {
  const server = createServer(async (request, response) => {
    const match = /^\/(crm|e2e)\/([a-z0-9-]+)\.html$/.exec(new URL(request.url ?? '/', 'http://x').pathname);
    const body = match
      ? await readFile(join(FOLDERS[match[1]!]!, `${match[2]}.html`), 'utf8').catch(() => undefined)
      : undefined;
    if (body === undefined) return void response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end(
        `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>${match![2]}</title></head><body>${body}</body></html>`,
      );
  });
  return listenLocally(server, host, port);
}
