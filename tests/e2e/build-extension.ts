/**
 * Builds the extension once for the end-to-end run, into its own folder, granting the test relay's
 * origin and the CRM overlay's (any port on 127.0.0.1) at build time, as DESIGN §6 allows for test builds.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const E2E_OUT_DIR = resolve(import.meta.dirname, '../../.output/e2e');
export const E2E_EXTENSION_DIR = resolve(E2E_OUT_DIR, 'chrome-mv3');

export default function buildExtension() {
  execFileSync('npx', ['wxt', 'build'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      LUPA_OUT_DIR: E2E_OUT_DIR,
      LUPA_DEV_RELAY_ORIGINS: 'http://127.0.0.1',
      LUPA_DEV_ORIGINS: 'http://127.0.0.1/*',
    },
    stdio: 'ignore',
  });
}
