import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  locatorsForPage,
  notifyFinished,
  startBackgroundService,
} from '../../utils/background/background-service.js';
import { DEFAULT_SETTINGS, saveSettings } from '../../utils/storage/settings.js';

beforeEach(() => {
  // fakeBrowser lacks these; the popup port and CRM-site registration are not what these tests are about.
  vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation(() => {});
  vi.spyOn(fakeBrowser.permissions.onAdded, 'addListener').mockImplementation(() => {});
  vi.spyOn(fakeBrowser.permissions.onRemoved, 'addListener').mockImplementation(() => {});
  vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

/** Sends a message the way Chrome delivers it: with a sendResponse callback. */
function ask(message: unknown, sender: object): Promise<unknown> {
  return new Promise((resolve) => {
    // The fake's types know two arguments; Chrome passes sendResponse as the third.
    const trigger = fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown>;
    void trigger(message, sender, resolve);
  });
}

describe('background message surface', () => {
  it('refuses lookups, deletion and relay tests from a CRM page’s content script', async () => {
    startBackgroundService();
    const fromContentScript = {
      id: fakeBrowser.runtime.id,
      url: 'https://acme.my.salesforce.com/lightning/r/Contact/003',
      tab: { id: 7 },
    };
    for (const message of [
      { type: 'lookup.start', cedula: '1020304050' },
      { type: 'lookup.delete', lookupId: 'x' },
      { type: 'relay.test' },
    ]) {
      expect(await ask(message, fromContentScript)).toEqual({
        ok: false,
        error: { code: 'forbidden_message' },
      });
    }
  });

  it('lets the overlay frame see only the cédulas its own enabled CRM page reported', async () => {
    await saveSettings({ crmSites: ['https://*.my.salesforce.com/*'] });
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    startBackgroundService();
    const record = 'https://acme.my.salesforce.com/lightning/r/Contact/003/view';
    const frame = (tabUrl: string) => ({
      id: fakeBrowser.runtime.id,
      url: fakeBrowser.runtime.getURL('/overlay.html'),
      tab: { id: 7, url: tabUrl },
      frameId: 3,
    });
    const refused = { ok: false, error: { code: 'overlay_not_allowed' } };

    // Framed by a site that is not enabled: nothing.
    expect(await ask({ type: 'overlay.attach' }, frame('https://attacker.example/'))).toEqual(refused);
    expect(
      await ask({ type: 'cache.latest-of-cedula', cedula: '1020304050' }, frame('https://attacker.example/')),
    ).toEqual(refused);

    const contentScript = {
      id: fakeBrowser.runtime.id,
      url: record,
      tab: { id: 7, url: record },
      frameId: 0,
    };
    expect(await ask({ type: 'crm.cedulas-shown', cedulas: ['1.020.304.050', 'x'] }, contentScript)).toEqual({
      ok: true,
    });
    expect(await ask({ type: 'overlay.attach' }, frame(record))).toEqual({
      ok: true,
      tabId: 7,
      site: 'https://acme.my.salesforce.com',
      cedulas: ['1020304050'],
      first: { cedula: '1020304050', lookup: null, report: null },
      record: null,
    });
    expect(await ask({ type: 'cache.latest-of-cedula', cedula: '1020304050' }, frame(record))).toMatchObject({
      ok: true,
      lookup: null,
    });
    // Another cédula, as a page script would try through the frame: refused, and nothing spent.
    expect(await ask({ type: 'cache.latest-of-cedula', cedula: '52123456' }, frame(record))).toEqual(refused);
    expect(await ask({ type: 'lookup.start', cedula: '52123456' }, frame(record))).toEqual(refused);
    // The frame cannot reach history, deletion or the relay settings.
    expect(await ask({ type: 'history.clear' }, frame(record))).toEqual({
      ok: false,
      error: { code: 'forbidden_message' },
    });
  });

  it('answers an extension page with the stable code when the relay is not configured', async () => {
    startBackgroundService();
    const fromPopup = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };
    expect(await ask({ type: 'relay.test' }, fromPopup)).toMatchObject({
      ok: false,
      error: { code: 'relay_not_configured' },
    });
  });

  it('"Borrar todo" forgets the lookups being followed, whose full cédulas sit in storage, and the cache', async () => {
    await fakeBrowser.storage.local.set({
      pendingLookups: { 'lookup-1': { cedula: '1020304050', consentReference: null, version: 1 } },
    });
    startBackgroundService();
    const fromOptions = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
    expect(await ask({ type: 'history.clear' }, fromOptions)).toEqual({ ok: true });
    const stored = JSON.stringify(await fakeBrowser.storage.local.get(null));
    expect(stored).not.toContain('1020304050');
    expect(await ask({ type: 'cache.latest-of-cedula', cedula: '1020304050' }, fromOptions)).toEqual({
      ok: true,
      lookup: null,
      report: null,
    });
  });

  it('tests a typed relay only when its URL is one the options would save', async () => {
    startBackgroundService();
    const fromOptions = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
    expect(
      await ask({ type: 'relay.test', relayUrl: 'http://relay.example.com', analystToken: 'x' }, fromOptions),
    ).toEqual({ ok: false, error: { code: 'relay_not_configured' } });
  });

  it('refuses an invalid cédula before calling the relay', async () => {
    startBackgroundService();
    const fromPopup = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };
    expect(await ask({ type: 'lookup.start', cedula: '0123' }, fromPopup)).toEqual({
      ok: false,
      error: { code: 'invalid_cedula' },
    });
  });
});

describe('when a lookup finishes with the popup closed', () => {
  function stubIndicators() {
    const calls: Record<string, unknown[]> = { badge: [], color: [], notifications: [] };
    Object.assign(fakeBrowser, {
      action: {
        setBadgeText: async (details: unknown) => void calls.badge!.push(details),
        setBadgeBackgroundColor: async (details: unknown) => void calls.color!.push(details),
      },
      notifications: {
        create: async (id: string, options: unknown) => void calls.notifications!.push({ id, options }),
      },
    });
    return calls;
  }

  it.each([
    ['ready', '✓', 'Historia laboral lista: María Fernanda Gómez Restrepo'],
    ['failed', '!', 'La consulta de ******4050 falló'],
  ] as const)('%s: badge %s and a notification in Spanish', async (status, badge, text) => {
    const calls = stubIndicators();
    await notifyFinished({
      kind: 'finished',
      lookupId: 'l1',
      status,
      displayName: 'María Fernanda Gómez Restrepo',
      cedulaMasked: '******4050',
    });
    expect(calls.badge).toEqual([{ text: badge }]);
    expect(calls.notifications).toEqual([
      { id: 'lupa-l1', options: expect.objectContaining({ title: 'Lupa', message: text }) },
    ]);
  });
});

describe('the locators a CRM page is given', () => {
  const settings = {
    ...DEFAULT_SETTINGS,
    crmFieldLocators: [{ site: 'https://core.banco.com.co/*', label: 'Nro. doc. cliente', position: 1 }],
    fieldLocators: [
      { site: 'https://core.banco.com.co/*', label: 'Id externo', position: 0, labelTag: 'b' },
      { site: 'https://erp.banco.com.co/*', label: 'Número de Identificación', position: 1 },
      // Stored by hand or by an older release: checked again, and left out.
      { site: 'https://core.banco.com.co/*', label: 'Cuenta 123456', position: 0 },
      { label: 'Sin sitio', position: 0 },
    ],
  } as typeof DEFAULT_SETTINGS;

  it.each([
    [
      'https://core.banco.com.co/clientes/118',
      [
        { label: 'Nro. doc. cliente', position: 1 },
        { label: 'Id externo', position: 0, labelTag: 'b' },
      ],
    ],
    ['https://erp.banco.com.co/odoo/contacts/7', [{ label: 'Número de Identificación', position: 1 }]],
    // Its own site's only: another site's page, or one with no URL, gets none.
    ['https://evil.example/core.banco.com.co', []],
    [undefined, []],
  ])('%s gets %j', (url, expected) => {
    expect(locatorsForPage(settings, url)).toEqual(expected);
  });
});
