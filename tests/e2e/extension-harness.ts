/**
 * Real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with the built extension,
 * against a real relay and the Belvo emulator on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { DEV_EXTENSION_ID, DEV_EXTENSION_ORIGIN } from '../../dev-extension-identity.js';
import { type Stack, type StackOptions, startStack } from '../../relay/tests/relay-harness.js';
import { E2E_EXTENSION_DIR } from './build-extension.js';

export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../test-artifacts/screenshots');
export const CHROMIUM = process.env.LUPA_CHROMIUM ?? '/usr/bin/chromium';

export type Session = Awaited<ReturnType<typeof startSession>>;

export async function launchWithExtension(options: { profile?: string } = {}): Promise<{
  context: BrowserContext;
  serviceWorker: Worker;
  /** The Chromium profile folder (a temporary one, deleted on close, unless the caller gave it). */
  profile: string;
  close(): Promise<void>;
}> {
  const profile = options.profile ?? mkdtempSync(join(tmpdir(), 'lupa-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: [
      `--disable-extensions-except=${E2E_EXTENSION_DIR}`,
      `--load-extension=${E2E_EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    serviceWorker,
    profile,
    async close() {
      await context.close();
      if (!options.profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function startSession(options: StackOptions = {}) {
  const stack: Stack = await startStack({
    ...options,
    env: { RELAY_ALLOWED_ORIGINS: DEV_EXTENSION_ORIGIN, ...options.env },
    emulator: { extractionMs: 1_500, ...options.emulator },
  });
  const browser = await launchWithExtension();
  const extensionId = new URL(browser.serviceWorker.url()).host;
  const page = (path: string) => `chrome-extension://${extensionId}/${path}`;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });

  return {
    stack,
    ...browser,
    extensionId,
    expectedExtensionId: DEV_EXTENSION_ID,
    async openPage(path: 'popup.html' | 'options.html'): Promise<Page> {
      const opened = await browser.context.newPage();
      await opened.goto(page(path));
      return opened;
    },
    /** Saves the relay URL and token the way an analyst does, in the options page. */
    async configure(token = stack.analyst.token): Promise<Page> {
      const options = await this.openPage('options.html');
      await options.getByLabel('URL del servidor de tu entidad').fill(stack.relay.url);
      await options.getByLabel('Token de analista').fill(token);
      await options.getByRole('button', { name: 'Guardar' }).click();
      await options.getByText('Guardado.').waitFor();
      return options;
    },
    /**
     * Stops the service worker as Chrome stops an idle one, from a blank page (which cannot wake an
     * extension). Playwright reports neither a worker stopped this way nor its restart, so `statuses`
     * is the worker's running status as CDP reports it, in order.
     */
    async stopServiceWorker(): Promise<{ statuses: string[]; blank: Page }> {
      const blank = await browser.context.newPage();
      const devtools = await browser.context.newCDPSession(blank);
      const statuses: string[] = [];
      devtools.on('ServiceWorker.workerVersionUpdated', (event) => {
        for (const version of event.versions)
          if (version.scriptURL.endsWith('/background.js')) statuses.push(version.runningStatus);
      });
      await devtools.send('ServiceWorker.enable');
      await devtools.send('ServiceWorker.stopAllWorkers');
      return { statuses, blank };
    },
    screenshot: (target: Page, name: string) =>
      target.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true }),
    async stop() {
      await browser.close();
      await stack.stop().catch(() => undefined);
    },
  };
}

export async function startLookupInPopup(popup: Page, cedula: string, reference?: string) {
  await popup.getByLabel('Cédula', { exact: true }).fill(cedula);
  await popup.getByLabel(/^El solicitante autorizó/).check();
  if (reference) await popup.getByLabel(/Referencia/).fill(reference);
  await popup.getByLabel('Cédula', { exact: true }).press('Enter');
}
