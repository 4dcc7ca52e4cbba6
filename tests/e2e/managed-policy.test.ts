/**
 * The organisation's policy (storage.managed), read by the real browsers from where IT puts it:
 * Chromium's managed-policy folder (a `3rdparty` entry for the extension's id, checked against
 * public/managed-schema.json) and Firefox's enterprise policies.json. The files are machine-wide, so
 * they exist only while this file runs (end-to-end files run one at a time) and only browsers started
 * meanwhile read them. Writing them needs root, as in CI.
 */
import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_EXTENSION_ID } from '../../dev-extension-identity.js';
import { FIREFOX_ADDON_ID } from '../../extension-policy.js';
import { startFixtureServer } from './crm-fixture-server.js';
import { type Session, startSession } from './extension-harness.js';
import {
  FIREFOX,
  type FirefoxSession,
  readExtensionPageUntil,
  startFirefoxSession,
} from './firefox-harness.js';

const POLICY = {
  relayUrl: 'https://lupa.banco.example',
  signInRequired: true,
  crmSites: ['hubspot'],
  retentionDays: 2,
  csvSeparator: ',',
  language: 'en',
  // Where the cédula is on the lender's core-banking system (the fixtures' host stands for it).
  crmFieldLocators: [{ site: 'http://127.0.0.1', label: 'Id externo' }],
};
const CHROMIUM_POLICY_DIR = '/etc/chromium/policies/managed';
const CHROMIUM_POLICY = `${CHROMIUM_POLICY_DIR}/lupa-e2e.json`;
// Beside the Firefox that runs (LUPA_FIREFOX may name another build than Debian's).
const FIREFOX_POLICY = join(dirname(realpathSync(FIREFOX)), 'distribution', 'policies.json');

describe('settings set by the organisation’s policy', () => {
  describe('Chromium', () => {
    let session: Session;
    beforeAll(async () => {
      mkdirSync(CHROMIUM_POLICY_DIR, { recursive: true });
      writeFileSync(
        CHROMIUM_POLICY,
        JSON.stringify({ '3rdparty': { extensions: { [DEV_EXTENSION_ID]: POLICY } } }),
      );
      session = await startSession();
    });
    afterAll(async () => {
      rmSync(CHROMIUM_POLICY, { force: true });
      await session?.stop();
    });

    it('shows the managed values as set by the organisation, and does not let them change', async () => {
      const options = await session.openPage('options.html');
      // The policy's language.
      const relayUrl = options.getByLabel("Your organisation's server URL");
      await relayUrl.waitFor();
      expect(await relayUrl.inputValue()).toBe('https://lupa.banco.example');
      expect(await relayUrl.isDisabled()).toBe(true);
      expect(await options.getByText('Set by your organisation.').count()).toBe(4);
      expect(await options.getByLabel('Keep queries in this browser (days)').inputValue()).toBe('2');
      // Sign-in required: no static token to type.
      expect(await options.locator('#analyst-token').count()).toBe(0);
      // HubSpot enabled by the organisation, access still to be given by the analyst once.
      const hubspot = options.getByLabel('HubSpot', { exact: true });
      expect(await hubspot.isChecked()).toBe(true);
      expect(await hubspot.isDisabled()).toBe(true);
      await options.getByText(/Your organisation enabled Lupa on HubSpot/).waitFor();
      await options.getByRole('button', { name: 'Allow' }).waitFor();
      // What the background reads is the policy too, whatever was stored before.
      const settings = await session.serviceWorker.evaluate(async () => {
        const chrome = (
          globalThis as unknown as { chrome: { storage: { managed: { get(): Promise<unknown> } } } }
        ).chrome;
        return chrome.storage.managed.get();
      });
      expect(settings).toEqual(POLICY);
    });

    it('reads the cédula where the policy says, on the first load of a page nothing else reads', async () => {
      const fixtures = await startFixtureServer();
      try {
        const page = await session.context.newPage();
        await page.goto(`${fixtures.url}/crm/mifos-client.html`);
        await page
          .frameLocator('iframe[title="Lupa"]')
          .getByText('Lupa will look up C.C. 1.037.612.984.')
          .waitFor({ timeout: 15_000 });
        await page.close();
      } finally {
        await fixtures.close();
      }
    });
  });

  describe('Firefox', () => {
    let firefox: FirefoxSession;
    beforeAll(async () => {
      mkdirSync(dirname(FIREFOX_POLICY), { recursive: true });
      writeFileSync(
        FIREFOX_POLICY,
        JSON.stringify({ policies: { '3rdparty': { Extensions: { [FIREFOX_ADDON_ID]: POLICY } } } }),
      );
      firefox = await startFirefoxSession();
    });
    afterAll(async () => {
      rmSync(FIREFOX_POLICY, { force: true });
      await firefox?.stop();
    });

    it('reads policies.json and shows the values as set by the organisation', async () => {
      const options = await firefox.openExtensionPage('options.html', '#relay-url');
      await readExtensionPageUntil(
        options,
        () => (document.querySelector('#relay-url') as HTMLInputElement).value,
        (relayUrl) => relayUrl === 'https://lupa.banco.example',
      );
      const state = await options.evaluate(() => ({
        disabled: (document.querySelector('#relay-url') as HTMLInputElement).disabled,
        notes: [...document.querySelectorAll('.hint')].filter(
          (note) => note.textContent === 'Set by your organisation.',
        ).length,
        token: document.querySelector('#analyst-token') !== null,
        retention: (document.querySelector('#retention') as HTMLInputElement).value,
      }));
      expect(state).toEqual({ disabled: true, notes: 4, token: false, retention: '2' });
    });

    it('reads the cédula where the policy says, on the first load of a page nothing else reads', async () => {
      const page = await firefox.browser.newPage();
      await page.goto(`${firefox.crm.url}/crm/mifos-client.html`);
      // What the page's content script reported to the background, which is all the panel shows (in
      // this session ESR 140's BiDi reaches no extension frame inside a page, so it is read here).
      const background = await firefox.openExtensionPage('options.html', '#relay-url');
      const reported = await readExtensionPageUntil(
        background,
        () =>
          (
            globalThis as unknown as {
              browser: { storage: { session: { get(key: string): Promise<unknown> } } };
            }
          ).browser.storage.session.get('crmTabs'),
        (tabs) => JSON.stringify(tabs).includes('1037612984'),
      );
      expect(
        Object.values((reported as { crmTabs: Record<string, { cedulas: string[] }> }).crmTabs).map(
          (tab) => tab.cedulas,
        ),
      ).toContainEqual(['1037612984']);
      // The panel shows once it has read the cache for that cédula, in the tab the analyst looks at
      // (a tab behind another gets its timers throttled).
      await background.close();
      await page.bringToFront();
      await expect
        .poll(
          () =>
            page.$eval('iframe[title="Lupa"]', (frame) => (frame.parentElement as HTMLElement).style.display),
          { timeout: 15_000 },
        )
        .toBe('block');
      await page.close();
    });
  });
});
