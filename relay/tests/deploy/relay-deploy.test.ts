/**
 * The relay deploys alone, as docs/operating-the-relay.md says: into a copy of the checkout (every
 * tracked file, in a folder named lupa-main-…, as a downloaded archive unpacks) plus the built bundle,
 * `npm ci --omit=dev --workspace relay` installs the relay's dependencies only, better-sqlite3
 * compiled as usual, and the bundle serves /healthz and /readyz from that install.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PROJECT_ROOT } from '../relay-harness.js';

/** The ceiling for a relay-only install (a full `npm ci` installs about 700). */
const MAX_PACKAGES = 100;
/** The extension's and the tests' tools: none of them belongs on the server that holds the Belvo keys. */
const FORBIDDEN = [
  'wxt',
  'vite',
  'preact',
  'playwright-core',
  'vitest',
  'web-ext',
  'esbuild',
  'tsx',
  'typescript',
];

/** Every installed package folder (scoped or not, nested or not). */
function installedPackages(nodeModules: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@') && entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!entry.isDirectory() && !entry.isSymbolicLink()) continue;
      found.push(path.slice(nodeModules.length + 1));
      walk(join(path, 'node_modules'));
    }
  };
  walk(nodeModules);
  return found;
}

describe('deploying the relay alone', () => {
  let dir: string;
  let relay: ChildProcess | undefined;

  beforeAll(() => {
    execFileSync('npm', ['run', '--silent', 'build:relay'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    dir = join(mkdtempSync(join(tmpdir(), 'lupa-main-deploy-')), 'lupa-main');
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file && existsSync(join(PROJECT_ROOT, file)));
    for (const file of tracked) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(join(PROJECT_ROOT, file), join(dir, file));
    }
    cpSync(join(PROJECT_ROOT, 'relay/dist'), join(dir, 'relay/dist'), { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--workspace', 'relay', '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: 'inherit',
    });
  }, 600_000);

  afterAll(() => {
    relay?.kill('SIGTERM');
    if (dir) rmSync(dirname(dir), { recursive: true, force: true });
  });

  it(`installs at most ${MAX_PACKAGES} packages, none of the extension's or the tests'`, () => {
    const packages = installedPackages(join(dir, 'node_modules'));
    console.info(`relay-only install: ${packages.length} packages`);
    expect(packages.length).toBeGreaterThan(10);
    expect(packages.length).toBeLessThanOrEqual(MAX_PACKAGES);
    const names = new Set(packages.map((path) => path.split('/node_modules/').at(-1)));
    expect(FORBIDDEN.filter((name) => names.has(name))).toEqual([]);
    expect(names.has('hono') && names.has('kysely') && names.has('pg')).toBe(true);
    // The native module was built, not skipped.
    expect(existsSync(join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
  });

  it('serves /healthz and /readyz from that install', async () => {
    const port = await freePort();
    relay = spawn(process.execPath, ['relay/dist/cli.mjs', 'serve'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: String(port),
        METRICS_PORT: '0',
        DATABASE_URL: 'sqlite:./data/relay.db',
        BELVO_SECRET_ID: 'deploy-test',
        BELVO_SECRET_PASSWORD: 'deploy-test',
        BELVO_WEBHOOK_AUTHORIZATION: `Bearer ${randomBytes(16).toString('hex')}`,
        RELAY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output.push(String(chunk));
        if (String(chunk).includes('relay listening')) resolve();
      };
      relay?.stdout?.on('data', onData);
      relay?.stderr?.on('data', onData);
      relay?.once('exit', (code) => reject(new Error(`relay exited with ${code}: ${output.join('')}`)));
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });
});
