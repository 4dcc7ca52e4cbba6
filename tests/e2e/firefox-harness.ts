/**
 * Real Firefox (Debian's firefox-esr) driven over WebDriver BiDi by puppeteer-core, with the Firefox
 * build of the extension installed as a temporary add-on, against a real relay and the Belvo emulator.
 * The add-on's `moz-extension://` UUID is pinned by preference, so the relay can name its origin.
 */
import { readFileSync } from 'node:fs';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { FIREFOX_ADDON_ID } from '../../extension-policy.js';
import { type Stack, startStack } from '../../relay/tests/relay-harness.js';
import { E2E_FIREFOX_DIR, FIREFOX_PORTS_FILE, type FirefoxPorts } from './build-extension.js';
import { startFixtureServer } from './crm-fixture-server.js';

export const FIREFOX = process.env.LUPA_FIREFOX ?? '/usr/bin/firefox-esr';
const ADDON_UUID = '6f1d2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
export const EXTENSION_ORIGIN = `moz-extension://${ADDON_UUID}`;

export type FirefoxSession = Awaited<ReturnType<typeof startFirefoxSession>>;

export async function startFirefoxSession() {
  // The relay's port the Firefox build grants (see build-extension.ts).
  const ports = JSON.parse(readFileSync(FIREFOX_PORTS_FILE, 'utf8')) as FirefoxPorts;
  const stack: Stack = await startStack({
    env: { PORT: String(ports.relay), RELAY_ALLOWED_ORIGINS: EXTENSION_ORIGIN },
    emulator: { extractionMs: 1_500 },
  });
  const crm = await startFixtureServer();
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      // Firefox 153 lets WebDriver open extension pages only with system access.
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: ADDON_UUID }),
      },
    });
    await browser.installExtension(E2E_FIREFOX_DIR);
  } catch (error) {
    await browser?.close();
    await crm.close();
    await stack.stop();
    throw error;
  }
  const opened = browser;

  return {
    stack,
    crm,
    browser: opened,
    /**
     * An extension page in a tab. Firefox never reports such a navigation as finished over BiDi, so
     * this waits for the page's own content instead.
     */
    async openExtensionPage(path: string, ready: string): Promise<Page> {
      const page = await opened.newPage();
      void page.goto(`${EXTENSION_ORIGIN}/${path}`, { timeout: 5_000 }).catch(() => undefined);
      // While the page is still navigating, Firefox's BiDi can fail the query itself ("right-hand side
      // of 'in' should be an object, got null"): that is asked again; a selector that never shows is not.
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          await page.waitForSelector(ready, { timeout: Math.max(1, deadline - Date.now()) });
          return page;
        } catch (error) {
          const causes: string[] = [];
          for (let cause: unknown = error; cause instanceof Error; cause = cause.cause)
            causes.push(cause.message);
          const protocolHiccup = causes.some((message) => /Protocol error/.test(message));
          if (!protocolHiccup || Date.now() >= deadline) throw error;
          await new Promise((resolveSoon) => setTimeout(resolveSoon, 200));
        }
      }
    },
    async stop() {
      await opened.close().catch(() => undefined);
      await crm.close();
      await stack.stop().catch(() => undefined);
    },
  };
}

/**
 * Reads an extension page with `read` until `accept` takes what it returns. Puppeteer's
 * `waitForFunction` rebuilds its predicate inside the page with `Function()`, which an extension
 * page's CSP blocks in Firefox ESR 140 ("call to Function() blocked by CSP"); `page.evaluate` goes
 * through WebDriver BiDi's `script.callFunction`, which every Firefox we run allows, so this polls
 * with it.
 */
export async function readExtensionPageUntil<T>(
  page: Page,
  read: () => T,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await page.evaluate(read);
  while (!accept(value as T)) {
    if (Date.now() > deadline) {
      throw new Error(`the extension page still read ${JSON.stringify(value)} after ${timeoutMs} ms`);
    }
    await new Promise((resolveSoon) => setTimeout(resolveSoon, 100));
    value = await page.evaluate(read);
  }
  return value as T;
}

/** The overlay's frame inside a CRM page, once it has mounted. */
export async function overlayFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe[title="Lupa"]', { timeout: 15_000 });
  const frame = await handle!.contentFrame();
  if (!frame) throw new Error('the overlay iframe has no frame');
  return frame;
}

/**
 * Waits for `selector` inside the frame of the page's `iframeSelector`, resolving the frame again on
 * each try: Firefox ESR 140 may hand out the frame's first, blank document, which never fills.
 */
export async function waitInFrame(
  page: Page,
  iframeSelector: string,
  selector: string,
  timeoutMs = 15_000,
): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await (await page.$(iframeSelector))?.contentFrame();
    if (frame) {
      try {
        await frame.waitForSelector(selector, { timeout: 1_000 });
        return frame;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
    } else if (Date.now() > deadline) {
      throw new Error(`no frame ${iframeSelector} after ${timeoutMs} ms`);
    } else {
      await new Promise((resolveSoon) => setTimeout(resolveSoon, 200));
    }
  }
}
