/**
 * Packages the extension once for the end-to-end run, the way `npm run zip` does, and loads the
 * unpacked zip: the tests run on the package's files, not on a development build folder. Like the demo,
 * this test package grants the test relay's origin and the CRM overlay's (any port on 127.0.0.1) at
 * build time (docs/architecture.md §6), because headless Chromium cannot answer a permission prompt; the store
 * package leaves them out, and tests/package checks its manifest.
 *
 * Firefox gets its own build (Manifest V3, as `npm run zip` ships it). There a granted
 * `http://127.0.0.1/*` does not answer the options' request for `http://127.0.0.1:<port>/*`, so that
 * build grants the test relay by its exact origin, on a port chosen here and written to
 * FIREFOX_PORTS_FILE. CRM pages are granted by host, as Firefox matches no pattern with a port.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import JSZip from 'jszip';
import { freePort } from '../../relay/tests/relay-harness.js';

export const E2E_OUT_DIR = resolve(import.meta.dirname, '../../.output/e2e');
export const E2E_EXTENSION_DIR = resolve(E2E_OUT_DIR, 'package');
export const E2E_FIREFOX_OUT_DIR = resolve(import.meta.dirname, '../../.output/e2e-firefox');
export const E2E_FIREFOX_DIR = resolve(E2E_FIREFOX_OUT_DIR, 'firefox-mv3');
export const FIREFOX_PORTS_FILE = resolve(E2E_FIREFOX_OUT_DIR, 'ports.json');

export type FirefoxPorts = { relay: number };

function buildFirefox(ports: FirefoxPorts) {
  rmSync(E2E_FIREFOX_OUT_DIR, { recursive: true, force: true });
  execFileSync('npx', ['wxt', 'build', '-b', 'firefox', '--mv3'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      LUPA_TARGET: 'test',
      LUPA_OUT_DIR: E2E_FIREFOX_OUT_DIR,
      LUPA_DEV_RELAY_ORIGINS: `http://127.0.0.1:${ports.relay}`,
      LUPA_DEV_ORIGINS: 'http://127.0.0.1/*',
    },
    stdio: 'ignore',
  });
  writeFileSync(FIREFOX_PORTS_FILE, JSON.stringify(ports));
}

export default async function buildExtension() {
  rmSync(E2E_OUT_DIR, { recursive: true, force: true });
  execFileSync('npx', ['wxt', 'zip'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: {
      ...process.env,
      LUPA_TARGET: 'test',
      LUPA_OUT_DIR: E2E_OUT_DIR,
      LUPA_DEV_RELAY_ORIGINS: 'http://127.0.0.1',
      LUPA_DEV_ORIGINS: 'http://127.0.0.1/*',
    },
    stdio: 'ignore',
  });
  const zipName = readdirSync(E2E_OUT_DIR).find((name) => name.endsWith('-chrome.zip'));
  if (!zipName) throw new Error(`no Chrome package in ${E2E_OUT_DIR}`);
  const zip = await JSZip.loadAsync(readFileSync(resolve(E2E_OUT_DIR, zipName)));
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    const target = resolve(E2E_EXTENSION_DIR, entry.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, await entry.async('nodebuffer'));
  }
  buildFirefox({ relay: await freePort() });
}
