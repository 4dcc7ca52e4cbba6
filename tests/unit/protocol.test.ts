import { describe, expect, it } from 'vitest';
import {
  type BackgroundHandlers,
  dispatch,
  isAllowed,
  senderKindOf,
  TO_BACKGROUND,
} from '../../utils/messaging/protocol.js';

const extension = { id: 'lupa-id', baseUrl: 'chrome-extension://lupa-id/' };

describe('senderKindOf', () => {
  it.each([
    [{ id: 'lupa-id', url: 'chrome-extension://lupa-id/popup.html' }, 'extension-page'],
    [{ id: 'lupa-id', url: 'chrome-extension://lupa-id/overlay.html', tab: { id: 3 } }, 'overlay-frame'],
    [
      { id: 'lupa-id', url: 'chrome-extension://dynamic-session-id/overlay.html', tab: { id: 3 } },
      'overlay-frame',
    ],
    [{ id: 'lupa-id', url: 'moz-extension://a-uuid/popup.html?lookup=1', tab: { id: 3 } }, 'extension-page'],
    [{ id: 'lupa-id', url: 'https://crm.example/overlay.html', tab: { id: 3 } }, 'content-script'],
    [
      { id: 'lupa-id', url: 'https://acme.my.salesforce.com/lightning/r/Contact/1', tab: { id: 3 } },
      'content-script',
    ],
    [
      { id: 'lupa-id', url: 'https://evil.example/chrome-extension://lupa-id/popup.html', tab: { id: 3 } },
      'content-script',
    ],
    [
      { id: 'lupa-id', url: 'chrome-extension://dynamic-id/field-picker.html', tab: { id: 3 } },
      'picker-frame',
    ],
    [{ id: 'lupa-id', url: 'moz-extension://a-uuid/field-picker.html', tab: { id: 3 } }, 'picker-frame'],
    [{ id: 'lupa-id', url: 'https://crm.example/field-picker.html', tab: { id: 3 } }, 'content-script'],
    [{ id: 'another-extension', url: 'chrome-extension://another-extension/popup.html' }, 'foreign'],
    [{ url: 'https://web.example' }, 'foreign'],
  ])('%j is %s', (sender, kind) => {
    expect(senderKindOf(sender, extension)).toBe(kind);
  });
});

describe('isAllowed: privilege by sender', () => {
  it.each([
    ['extension-page', { type: 'lookup.start', cedula: '1' }, true],
    ['extension-page', { type: 'lookup.delete', lookupId: 'x' }, true],
    ['extension-page', { type: 'relay.test' }, true],
    ['content-script', { type: 'lookup.start', cedula: '1' }, false],
    ['content-script', { type: 'lookup.delete', lookupId: 'x' }, false],
    ['content-script', { type: 'relay.test' }, false],
    ['extension-page', { type: 'cache.latest-of-cedula', cedula: '1' }, true],
    ['content-script', { type: 'cache.latest-of-cedula', cedula: '1' }, false],
    ['overlay-frame', { type: 'cache.latest-of-cedula', cedula: '1' }, true],
    ['overlay-frame', { type: 'lookup.start', cedula: '1' }, true],
    ['overlay-frame', { type: 'overlay.attach' }, true],
    ['overlay-frame', { type: 'lookup.delete', lookupId: 'x' }, false],
    ['overlay-frame', { type: 'history.clear' }, false],
    ['overlay-frame', { type: 'relay.test' }, false],
    ['overlay-frame', { type: 'crm.cedulas-shown', cedulas: [] }, false],
    ['content-script', { type: 'crm.cedulas-shown', cedulas: [] }, true],
    ['content-script', { type: 'overlay.attach' }, false],
    ['extension-page', { type: 'crm.cedulas-shown', cedulas: [] }, false],
    // Batches spend many paid lookups at once: never from a CRM page's frame or content script.
    ['extension-page', { type: 'batch.create', rows: [] }, true],
    ['overlay-frame', { type: 'batch.create', rows: [] }, false],
    ['content-script', { type: 'batch.create', rows: [] }, false],
    ['overlay-frame', { type: 'batch.results', batchId: 'b', lookupIds: [] }, false],
    ['content-script', { type: 'batch.get', batchId: 'b' }, false],
    ['overlay-frame', { type: 'batch.cancel', batchId: 'b' }, false],
    // The team's usage names every analyst: the options page only.
    ['extension-page', { type: 'usage.get', from: '2026-11-01', to: '2026-11-30' }, true],
    ['overlay-frame', { type: 'usage.get', from: '2026-11-01', to: '2026-11-30' }, false],
    ['content-script', { type: 'usage.get', from: '2026-11-01', to: '2026-11-30' }, false],
    // The field picker: started from an extension page or the panel, never by the page's side.
    ['extension-page', { type: 'picker.start', sites: ['https://erp.example/*'] }, true],
    ['overlay-frame', { type: 'picker.start' }, true],
    ['content-script', { type: 'picker.start' }, false],
    ['picker-frame', { type: 'picker.start' }, false],
    ['picker-frame', { type: 'picker.point', x: 1, y: 1, choose: true }, true],
    ['picker-frame', { type: 'picker.finish', save: true }, true],
    ['overlay-frame', { type: 'picker.finish', save: true }, false],
    ['content-script', { type: 'picker.finish', save: true }, false],
    ['extension-page', { type: 'picker.point', x: 1, y: 1, choose: true }, false],
    // The picker's frame reads nothing else: no cache, no lookups, no history.
    ['picker-frame', { type: 'cache.latest-of-cedula', cedula: '1' }, false],
    ['picker-frame', { type: 'lookup.start', cedula: '1' }, false],
    ['picker-frame', { type: 'overlay.attach' }, false],
    // A save confirmed in Lupa's window: from an extension page only, never the picker or the page's side.
    ['extension-page', { type: 'picker.confirm', save: true }, true],
    ['picker-frame', { type: 'picker.confirm', save: true }, false],
    ['overlay-frame', { type: 'picker.confirm', save: true }, false],
    ['content-script', { type: 'picker.pending' }, false],
    ['content-script', { type: 'crm.field-locators' }, true],
    ['overlay-frame', { type: 'crm.field-locators' }, false],
    ['foreign', { type: 'lookup.start', cedula: '1' }, false],
    ['extension-page', { type: 'settings.set' }, false],
    ['extension-page', null, false],
    ['extension-page', 'lookup.start', false],
  ] as const)('%s sending %j: %s', (kind, message, allowed) => {
    expect(isAllowed(kind, message)).toBe(allowed);
  });
});

describe('the protocol map', () => {
  it('lets a content script report the cédulas its page shows and ask for its own site’s locators, nothing else', () => {
    const fromContent = Object.entries(TO_BACKGROUND)
      .filter(([, declaration]) => declaration.senders.includes('content-script'))
      .map(([type]) => type);
    expect(fromContent.sort()).toEqual(['crm.cedulas-shown', 'crm.field-locators']);
  });

  it('lets the picker’s frame send only the picker’s messages', () => {
    const fromPicker = Object.entries(TO_BACKGROUND)
      .filter(([, declaration]) => declaration.senders.includes('picker-frame'))
      .map(([type]) => type);
    expect(fromPicker.sort()).toEqual(['picker.attach', 'picker.finish', 'picker.point']);
  });

  it('keeps history, deletion, export and relay settings to extension pages', () => {
    for (const type of ['lookup.delete', 'history.clear', 'relay.test'] as const) {
      expect(TO_BACKGROUND[type].senders).toEqual(['extension-page']);
    }
  });

  it('refuses a type inherited from Object.prototype', () => {
    expect(isAllowed('extension-page', { type: 'toString' })).toBe(false);
    expect(isAllowed('extension-page', { type: 'constructor' })).toBe(false);
  });

  it('makes a handler table without every declared message a type error', async () => {
    const ok = async () => ({ ok: true as const });
    const failed = async () => ({ ok: false as const, error: { code: 'x' } });
    // @ts-expect-error: 'relay.test' has no handler (checked by `npm run typecheck`).
    const incomplete: BackgroundHandlers = {
      'lookup.start': failed,
      'lookup.delete': ok,
      'cache.latest-of-cedula': failed,
      'overlay.attach': failed,
      'crm.cedulas-shown': ok,
      'history.clear': ok,
    };
    const complete: BackgroundHandlers = { ...incomplete, 'relay.test': failed };
    expect(
      await dispatch(complete, { type: 'lookup.delete', lookupId: 'x' }, { kind: 'extension-page' }),
    ).toEqual({ ok: true });
  });
});
