/**
 * Runs the Belvo emulator and a relay over real HTTP on 127.0.0.1, on a real SQLite file in a temporary
 * folder or a fresh database on the throwaway PostgreSQL (see test-store.ts). The relay runs in this
 * process, or as a child process where a test kills it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import type { Lookup, Role } from '@lupa/contract';
import ky, { type KyInstance } from 'ky';
import { createAnalyst } from '../src/analysts/analyst-tokens.js';
import { loadConfig } from '../src/config.js';
import {
  type BelvoEmulator,
  createBelvoEmulator,
  type EmulatorOptions,
} from '../src/emulator/belvo-emulator.js';
import { createLogger } from '../src/observability/logger.js';
import { type RunningRelay, startRelay } from '../src/relay-server.js';
import { createTestDatabase } from './test-store.js';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const WEBHOOK_AUTHORIZATION = `Bearer ${randomBytes(16).toString('hex')}`;
/**
 * The moment the emulator reads PILA at in every test: Bogotá's 20 November 2026, so the latest
 * month is October 2026 whatever today's date, and every figure a test expects stays true.
 */
export const TEST_PILA_AS_OF = new Date('2026-11-20T15:00:00Z');
const SECRET_ID = 'test-secret-id';
const SECRET_PASSWORD = 'test-secret-password';

export type StackOptions = {
  env?: Record<string, string>;
  emulator?: Partial<EmulatorOptions>;
  now?: () => Date;
};

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function relayEnv(
  databaseUrl: string,
  emulatorUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    // Several relays run at once here: each scrape listener on a port of its own.
    METRICS_PORT: '0',
    DATABASE_URL: databaseUrl,
    BELVO_BASE_URL: emulatorUrl,
    BELVO_SECRET_ID: SECRET_ID,
    BELVO_SECRET_PASSWORD: SECRET_PASSWORD,
    BELVO_WEBHOOK_AUTHORIZATION: WEBHOOK_AUTHORIZATION,
    RELAY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RELAY_ALLOWED_ORIGINS: 'chrome-extension://lupatestextensionid',
    BELVO_RETRY_BASE_SECONDS: '0.01',
    WEBHOOK_TIMEOUT_SECONDS: '30',
    LENDER_NAME: 'Financiera Andina de Prueba S.A.',
    LOG_LEVEL: 'debug',
    ...extra,
  };
}

export function analystClient(baseUrl: string, token: string): KyInstance {
  return ky.create({
    prefixUrl: baseUrl,
    headers: { authorization: `Bearer ${token}` },
    throwHttpErrors: false,
    retry: 0,
    timeout: 40_000,
  });
}

/** Long-polls until the lookup leaves `pending`, the way the extension does. */
export async function waitUntilFinal(api: KyInstance, id: string, deadlineMs = 45_000): Promise<Lookup> {
  const deadline = Date.now() + deadlineMs;
  let version = 0;
  while (Date.now() < deadline) {
    const response = await api.get(`v1/lookups/${id}`, {
      searchParams: { sinceVersion: version, waitSeconds: 5 },
    });
    if (response.status !== 200)
      throw new Error(`long-poll answered ${response.status}: ${await response.text()}`);
    const lookup = (await response.json()) as Lookup;
    if (lookup.status !== 'pending') return lookup;
    version = lookup.version;
  }
  throw new Error(`lookup ${id} still pending after ${deadlineMs} ms`);
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export async function startStack(options: StackOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lupa-relay-'));
  const logLines: string[] = [];
  const emulator: BelvoEmulator = createBelvoEmulator({
    secretId: SECRET_ID,
    secretPassword: SECRET_PASSWORD,
    extractionMs: 150,
    pageSize: 2,
    pilaAsOf: () => TEST_PILA_AS_OF,
    ...options.emulator,
  });
  const emulatorUrl = await emulator.listen();
  const database = await createTestDatabase(dir);
  const env = relayEnv(database.url, emulatorUrl, options.env);
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const relay: RunningRelay = await startRelay(loadConfig(env), {
    logger: createLogger('debug', logStream),
    now: options.now,
    jobIdlePollMs: 50,
  });
  emulator.setWebhookTarget({
    url: `${relay.url}/webhooks/belvo`,
    authorization: WEBHOOK_AUTHORIZATION,
    retryDelayMs: 100,
  });
  const analyst = await createAnalyst(relay.ctx.store.db, 'Ana Analista', new Date());
  const api = analystClient(relay.url, analyst.token);

  return {
    dir,
    env,
    emulator,
    emulatorUrl,
    relay,
    analyst,
    api,
    logLines,
    storedText: () => database.storedText(),
    async newAnalyst(name: string, roles?: Role[]) {
      const created = await createAnalyst(relay.ctx.store.db, name, new Date(), roles);
      return { ...created, api: analystClient(relay.url, created.token) };
    },
    async startLookup(cedula: string, extra: Record<string, unknown> = {}) {
      const response = await api.post('v1/lookups', {
        json: { cedula, consent: { granted: true, reference: 'SOL-2026-0001' }, ...extra },
      });
      return { status: response.status, body: (await response.json()) as Lookup };
    },
    webhook(body: unknown, authorization: string = WEBHOOK_AUTHORIZATION) {
      return ky.post(`${relay.url}/webhooks/belvo`, {
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { authorization, 'content-type': 'application/json' },
        throwHttpErrors: false,
        retry: 0,
      });
    },
    async stop() {
      await relay.stop();
      await emulator.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How to run the relay's CLI: from source through tsx (tests), or the built bundle (bench). */
export const RELAY_FROM_SOURCE = ['--import', 'tsx', 'relay/src/cli.ts'];
export const RELAY_BUILT = ['relay/dist/cli.mjs'];

/** The relay as its own process, for tests that kill it. */
export function spawnRelay(
  env: Record<string, string>,
  entry: string[] = RELAY_FROM_SOURCE,
): { child: ChildProcess; output: string[]; ready: Promise<void> } {
  const output: string[] = [];
  const child = spawn(process.execPath, [...entry, 'serve'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolveReady, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(...String(chunk).split('\n').filter(Boolean));
      if (String(chunk).includes('relay listening')) resolveReady();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}: ${output.join('\n')}`)));
  });
  return { child, output, ready };
}
