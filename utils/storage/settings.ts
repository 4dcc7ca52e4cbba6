/** The analyst's settings, in browser.storage.local (DESIGN §5). */

import type { CsvSeparator } from '@lupa/contract/csv';
import { browser } from 'wxt/browser';
import type { Language } from '../locale/i18n.js';
import { DEFAULT_POLICY, type IndicatorPolicy } from '../report/pila/credit-indicators.js';

export type Settings = {
  relayUrl: string;
  /** A static token from `analysts add` (service accounts, development); empty when signed in. */
  analystToken: string;
  /** Who signed in with the lender's identity provider (the tokens are kept apart, relay-session.ts). */
  signedInAs: string | null;
  language: Language;
  retentionDays: number;
  csvSeparator: CsvSeparator;
  /** Match patterns where the analyst enabled the CRM overlay (a CRM's, or a custom origin's). */
  crmSites: string[];
  /** Where the overlay sits on each site (by origin), and whether it was left open. */
  overlayPlacement: Record<string, { side: 'left' | 'right'; expanded: boolean }>;
  /** The organisation's thresholds for the summary's flags. */
  indicatorPolicy: IndicatorPolicy;
};

export const DEFAULT_SETTINGS: Settings = {
  relayUrl: '',
  analystToken: '',
  signedInAs: null,
  language: 'es',
  // No longer than the relay keeps reports (RETENTION_HOURS, 72 by default).
  retentionDays: 3,
  csvSeparator: ';',
  crmSites: [],
  overlayPlacement: {},
  indicatorPolicy: DEFAULT_POLICY,
};

const KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  // Thresholds added in a later release than the stored settings take their defaults.
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    indicatorPolicy: { ...DEFAULT_POLICY, ...stored?.indicatorPolicy },
  };
}

export async function saveSettings(changes: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings()), ...changes };
  await browser.storage.local.set({ [KEY]: next });
  return next;
}

export function isConfigured(settings: Settings): boolean {
  return settings.relayUrl !== '' && (settings.analystToken !== '' || settings.signedInAs !== null);
}

/** `https://relay.example.co/` as `https://relay.example.co`; undefined when it is not an http(s) URL. */
export function normalizeRelayUrl(input: string): string | undefined {
  try {
    const url = new URL(input.trim());
    // The token travels with every request: plain http only to a relay on the analyst's own machine.
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return undefined;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}
