import { defineConfig, type TestProjectConfiguration } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { postgresAdminUrl, probePostgres } from './relay/tests/test-store.js';

/** The relay's tests that start relays, emulators and stores (its pure-module tests run with `unit`). */
const RELAY_SUITE = ['relay/tests/*.test.ts'];
const RELAY_TIMEOUTS = { testTimeout: 60_000, hookTimeout: 60_000 };

/**
 * The relay suite again on PostgreSQL, plus the tests of several nodes on one database. They need the
 * throwaway server (`npm run test:postgres-server`; `.ci/run` starts it). In CI its absence is a failure;
 * on a developer's machine the suite is left out, and said so loudly.
 */
async function postgresProjects(): Promise<TestProjectConfiguration[]> {
  const probe = await probePostgres();
  if (probe.ok) {
    return [
      {
        test: {
          name: 'relay-postgres',
          include: [...RELAY_SUITE, 'relay/tests/postgres/**/*.test.ts'],
          environment: 'node',
          env: { LUPA_TEST_STORE: 'postgres' },
          ...RELAY_TIMEOUTS,
        },
      },
    ];
  }
  const why = `no PostgreSQL at ${postgresAdminUrl()} (${probe.reason})`;
  if (process.env.CI === 'true') {
    throw new Error(`The PostgreSQL suite cannot run in CI: ${why}. .ci/run starts the server.`);
  }
  const line = '!'.repeat(100);
  const notice =
    `\n${line}\n!! SKIPPED: the relay suite on PostgreSQL and the multi-node tests: ${why}.\n` +
    `!! Start the throwaway server with \`npm run test:postgres-server\` and run the tests again.\n${line}\n`;
  console.warn(notice);
  // Said again when the run ends, where it cannot scroll away.
  process.once('beforeExit', () => console.warn(notice));
  return [];
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'relay/tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'contract',
          include: ['contract/tests/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [WxtVitest()],
        // The tests are outside tsconfig.json (the extension's code), so its JSX setting is said here too.
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        // wxt.config.ts defines this for builds; unit tests run with no development origins.
        define: { __LUPA_DEV_ORIGINS__: '[]' },
        test: {
          name: 'extension',
          include: ['tests/extension/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['tests/extension/setup.ts'],
        },
      },
      {
        test: {
          name: 'relay',
          // relay/tests/sqlite: what only a SQLite file can show (a store made by the previous release).
          include: [...RELAY_SUITE, 'relay/tests/sqlite/**/*.test.ts'],
          environment: 'node',
          ...RELAY_TIMEOUTS,
        },
      },
      ...(await postgresProjects()),
      {
        test: {
          name: 'package',
          include: ['tests/package/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/package/build-packages.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'deploy',
          include: ['relay/tests/deploy/**/*.test.ts'],
          environment: 'node',
          // A relay-only `npm ci` compiles better-sqlite3: minutes on 2 cores.
          hookTimeout: 600_000,
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/build-extension.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
