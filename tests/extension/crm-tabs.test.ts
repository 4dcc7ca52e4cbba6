import { describe, expect, it } from 'vitest';
import { type CrmTab, createCrmTabs, recordFactsFrom } from '../../utils/background/crm-tabs.js';
import type { SenderContext } from '../../utils/messaging/protocol.js';

const CRM = 'https://acme.my.salesforce.com';
const RECORD = `${CRM}/lightning/r/Contact/003/view`;

function tabs(store: { saved: Record<string, CrmTab> } = { saved: {} }) {
  return createCrmTabs({
    store: {
      load: async () => structuredClone(store.saved),
      save: async (next) => {
        store.saved = structuredClone(next);
      },
    },
    allowedPatterns: async () => ['https://*.my.salesforce.com/*'],
  });
}

const contentScript = (extra: Partial<SenderContext> = {}): SenderContext => ({
  kind: 'content-script',
  tabId: 7,
  frameId: 0,
  url: RECORD,
  ...extra,
});
const overlay = (extra: Partial<SenderContext> = {}): SenderContext => ({
  kind: 'overlay-frame',
  tabId: 7,
  frameId: 3,
  url: 'chrome-extension://lupa/overlay.html',
  tabUrl: RECORD,
  ...extra,
});

describe('the cédulas a CRM tab shows', () => {
  it('reach the overlay frame of that tab only', async () => {
    const crmTabs = tabs();
    expect(await crmTabs.reportShown(contentScript(), ['1020304050'])).toEqual({
      origin: CRM,
      cedulas: ['1020304050'],
      record: null,
    });
    expect(await crmTabs.attach(overlay())).toEqual({
      tabId: 7,
      site: CRM,
      cedulas: ['1020304050'],
      record: null,
    });
    expect(await crmTabs.attach(overlay({ tabId: 8 }))).toEqual({
      tabId: 8,
      site: CRM,
      cedulas: [],
      record: null,
    });
    expect(await crmTabs.mayUse(overlay({ tabId: 8 }), '1020304050')).toBe(false);
    expect(await crmTabs.mayUse(overlay(), '1020304050')).toBe(true);
    expect(await crmTabs.mayUse(overlay(), '52123456')).toBe(false);
    expect(await crmTabs.mayUse({ kind: 'extension-page' }, '52123456')).toBe(true);
  });

  it.each([
    ['a subframe of the CRM page', contentScript({ frameId: 4 })],
    ['a page on a site that is not enabled', contentScript({ url: 'https://attacker.example/' })],
    ['an overlay frame', overlay()],
    ['a sender without a tab', contentScript({ tabId: undefined })],
  ])('are not taken from %s', async (_what, sender) => {
    const crmTabs = tabs();
    expect(await crmTabs.reportShown(sender, ['1020304050'])).toBeUndefined();
    expect(await crmTabs.attach(overlay())).toEqual({ tabId: 7, site: CRM, cedulas: [], record: null });
    expect(await crmTabs.mayUse(overlay(), '1020304050')).toBe(false);
  });

  it('let a frame attach before its page has reported, and follow the report', async () => {
    const crmTabs = tabs();
    expect(await crmTabs.attach(overlay())).toEqual({ tabId: 7, site: CRM, cedulas: [], record: null });
    await crmTabs.reportShown(contentScript(), ['1020304050']);
    expect(await crmTabs.mayUse(overlay(), '1020304050')).toBe(true);
  });

  it.each([
    ['framed by a site that is not enabled', overlay({ tabUrl: 'https://attacker.example/' })],
    ['in a tab whose URL the extension may not see', overlay({ tabUrl: undefined })],
    ['sent by an extension page', { kind: 'extension-page' as const, tabId: 7, tabUrl: RECORD }],
  ])('are refused to a frame %s', async (_what, sender) => {
    const crmTabs = tabs();
    await crmTabs.reportShown(contentScript(), ['1020304050']);
    expect(await crmTabs.attach(sender)).toBe('overlay_not_allowed');
    if (sender.kind === 'overlay-frame') expect(await crmTabs.mayUse(sender, '1020304050')).toBe(false);
  });

  it('survive a stopped service worker (kept in session storage)', async () => {
    const store = { saved: {} };
    const before = tabs(store);
    await before.reportShown(contentScript(), ['1020304050']);
    await before.flushed();
    const restarted = tabs(store);
    expect(await restarted.mayUse(overlay(), '1020304050')).toBe(true);
  });

  it('carry the record’s facts only when the page shows one cédula', async () => {
    const crmTabs = tabs();
    const record = { employerNit: '900.482.317-1', applicantName: 'María Gómez' };
    await crmTabs.reportShown(contentScript(), ['1020304050'], record);
    expect((await crmTabs.attach(overlay())) as { record: unknown }).toMatchObject({ record });
    // A list of applicants names nobody in particular.
    await crmTabs.reportShown(contentScript(), ['1020304050', '52123456'], record);
    expect((await crmTabs.attach(overlay())) as { record: unknown }).toMatchObject({ record: null });
  });

  it.each([
    [{ employerNit: 'x'.repeat(121), applicantName: 7 }, null],
    [
      { employerNit: ' 900482317 ', applicantName: '' },
      { employerNit: '900482317', applicantName: null },
    ],
    ['900482317', null],
    [null, null],
  ])('believe of a page’s facts %j only short strings: %j', (raw, expected) => {
    expect(recordFactsFrom(raw)).toEqual(expected);
  });

  it('are forgotten with the tab', async () => {
    const crmTabs = tabs();
    await crmTabs.reportShown(contentScript(), ['1020304050']);
    await crmTabs.forget(7);
    expect(await crmTabs.mayUse(overlay(), '1020304050')).toBe(false);
  });

  it('are not shown to a frame whose tab moved to another enabled origin', async () => {
    const crmTabs = tabs();
    await crmTabs.reportShown(contentScript(), ['1020304050']);
    const moved = overlay({ tabUrl: 'https://other.my.salesforce.com/' });
    expect(await crmTabs.attach(moved)).toEqual({
      tabId: 7,
      site: 'https://other.my.salesforce.com',
      cedulas: [],
      record: null,
    });
    expect(await crmTabs.mayUse(moved, '1020304050')).toBe(false);
  });
});
