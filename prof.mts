import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpLoad } from './bench/http-load.ts';
import { freePort, relayEnv, WEBHOOK_AUTHORIZATION } from './tests/relay/relay-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const port = await freePort();
const env = relayEnv(dir, 'http://127.0.0.1:9', { PORT: String(port), LOG_LEVEL: process.env.LL ?? 'info' });
const child = spawn(
  process.execPath,
  ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', 'relay/cli.ts', 'serve'],
  { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] },
);
await new Promise((r) => setTimeout(r, 2500));
const load = createHttpLoad(`http://127.0.0.1:${port}`, 64);
let sent = 0,
  ok = 0;
const t = performance.now();
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (sent < 4000) {
      sent++;
      const r = await load.request('POST', '/webhooks/belvo', {
        headers: { authorization: WEBHOOK_AUTHORIZATION },
        body: JSON.stringify({
          webhook_id: randomBytes(16).toString('hex'),
          webhook_type: 'EMPLOYMENTS',
          link_id: crypto.randomUUID(),
          data: {},
        }),
      });
      if (r.status === 200) ok++;
    }
  }),
);
console.log('rate', (ok / ((performance.now() - t) / 1000)).toFixed(0));
load.close();
child.kill('SIGINT');
await new Promise((r) => child.once('exit', r));
