import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [WxtVitest()],
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
          include: ['tests/relay/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
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
