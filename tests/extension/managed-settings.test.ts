import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_POLICY } from '../../utils/report/credit/credit-indicators.js';
import { loadSettings, managedSettingsFrom, saveSettings } from '../../utils/storage/settings.js';

describe('the organisation’s policy', () => {
  it.each([
    [{}, {}],
    [null, {}],
    [{ relayUrl: 'https://lupa.banco.com.co/' }, { relayUrl: 'https://lupa.banco.com.co' }],
    [{ relayUrl: 'http://lupa.banco.com.co' }, {}],
    [{ signInRequired: true }, { signInRequired: true }],
    [{ signInRequired: 'yes' }, {}],
    [
      { crmSites: ['HubSpot', 'https://prestamos.banco.com.co:8443', 'nada', 7] },
      {
        crmSites: [
          'https://app.hubspot.com/*',
          'https://app-eu1.hubspot.com/*',
          'https://app-na2.hubspot.com/*',
          'https://prestamos.banco.com.co/*',
        ],
      },
    ],
    // A wildcard host would grant every site: never taken from a policy either.
    [{ crmSites: ['https://*', 'https://*.banco.com.co'] }, { crmSites: [] }],
    // Where the cédula is on the organisation's systems: each entry checked, a wrong one left out.
    [
      {
        crmFieldLocators: [
          { site: 'https://core.banco.com.co:8443', label: 'Id externo' },
          { site: 'dynamics', label: 'Número de cliente', position: 1, labelTag: 'LABEL' },
          { site: 'https://*.banco.com.co', label: 'Id externo' },
          { site: 'https://core.banco.com.co', label: 'Cuenta 1234567' },
          { site: 'https://core.banco.com.co', label: 'Id', position: -1 },
          { label: 'Id externo' },
          'Id externo',
        ],
      },
      {
        crmFieldLocators: [
          { site: 'https://core.banco.com.co/*', label: 'Id externo', position: 0 },
          { site: 'https://*.dynamics.com/*', label: 'Número de cliente', position: 1, labelTag: 'label' },
        ],
      },
    ],
    [
      {
        crmFieldLocators: Array.from({ length: 12 }, (_, index) => ({
          site: 'https://core.banco.com.co',
          label: `Campo ${'x'.repeat(index)}`,
        })),
      },
      {
        crmFieldLocators: Array.from({ length: 10 }, (_, index) => ({
          site: 'https://core.banco.com.co/*',
          label: `Campo ${'x'.repeat(index)}`.trim(),
          position: 0,
        })),
      },
    ],
    [{ retentionDays: 30 }, { retentionDays: 30 }],
    [{ retentionDays: 0 }, {}],
    [{ retentionDays: 2.5 }, {}],
    [{ csvSeparator: ',' }, { csvSeparator: ',' }],
    [{ csvSeparator: '\t' }, {}],
    [{ language: 'en', unknown: 1 }, { language: 'en' }],
    // Thresholds: each checked against its range; a wrong one keeps its default.
    [
      { indicatorPolicy: { recentHireMonths: 12, declaredRatioAbove: 1.5, incomeDropPercent: 150 } },
      {
        indicatorPolicy: {
          recentHireMonths: 12,
          intermittentBelowMonths: 10,
          incomeDropPercent: 20,
          declaredRatioAbove: 1.5,
        },
      },
    ],
    // Agreements: a NIT with a wrong check digit or no name is left out.
    [
      {
        payrollAgreements: [
          { nit: '900.482.317-1', name: ' Comercializadora Andina ' },
          { nit: '900.482.317-5', name: 'Mal escrito' },
          { nit: 860512904, name: 'Instituto' },
          { nit: '860512904' },
          'x',
        ],
      },
      {
        payrollAgreements: [
          { nit: '900482317', name: 'Comercializadora Andina' },
          { nit: '860512904', name: 'Instituto' },
        ],
      },
    ],
  ])('%j → %j', (policy, expected) => {
    expect(managedSettingsFrom(policy)).toEqual(expected);
  });
});

describe('settings under a policy', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('takes the policy over what is stored, says which fields it set, and never stores over them', async () => {
    await saveSettings({ relayUrl: 'https://otro.example', analystToken: 'lupa_x', language: 'es' });
    await fakeBrowser.storage.managed.set({ relayUrl: 'https://lupa.banco.com.co', signInRequired: true });
    const settings = await loadSettings();
    expect(settings).toMatchObject({
      relayUrl: 'https://lupa.banco.com.co',
      signInRequired: true,
      analystToken: '',
      language: 'es',
      managed: ['relayUrl', 'signInRequired'],
    });
    const saved = await saveSettings({ relayUrl: 'https://otro.example', language: 'en' });
    expect(saved).toMatchObject({ relayUrl: 'https://lupa.banco.com.co', language: 'en' });
    // Without the policy the analyst's own values come back.
    await fakeBrowser.storage.managed.clear();
    expect(await loadSettings()).toMatchObject({
      relayUrl: 'https://otro.example',
      analystToken: 'lupa_x',
      signInRequired: false,
      managed: [],
    });
  });

  it('opens a page on the policy it read last when storage.managed is slow', async () => {
    await fakeBrowser.storage.managed.set({ relayUrl: 'https://lupa.banco.com.co' });
    // A first read keeps a copy of the policy.
    expect((await loadSettings()).relayUrl).toBe('https://lupa.banco.com.co');
    // Right after a browser start Chromium answers storage.managed after seconds.
    const never = new Promise<Record<string, unknown>>(() => {});
    const managed = vi.spyOn(fakeBrowser.storage.managed, 'get').mockReturnValue(never as never);
    const page = await loadSettings({ policyCopyAfterMs: 20 });
    expect(page.relayUrl).toBe('https://lupa.banco.com.co');
    expect(page.managed).toContain('relayUrl');
    managed.mockRestore();
  });

  it('takes the relay’s thresholds as the organisation’s, under a browser policy that sets them', async () => {
    await saveSettings({ indicatorPolicy: { ...DEFAULT_POLICY, incomeDropPercent: 40 } });
    await fakeBrowser.storage.local.set({
      relayPolicies: {
        reuseWindowHours: 24,
        alertThresholds: { ...DEFAULT_POLICY, incomeDropPercent: 25 },
      },
    });
    const settings = await loadSettings();
    expect(settings.indicatorPolicy.incomeDropPercent).toBe(25);
    expect(settings.managed).toContain('indicatorPolicy');
    // The analyst cannot store over them.
    await saveSettings({ indicatorPolicy: { ...DEFAULT_POLICY, incomeDropPercent: 50 } });
    expect((await loadSettings()).indicatorPolicy.incomeDropPercent).toBe(25);
    // A browser policy is more specific.
    await fakeBrowser.storage.managed.set({ indicatorPolicy: { incomeDropPercent: 30 } });
    expect((await loadSettings()).indicatorPolicy.incomeDropPercent).toBe(30);
  });
});
