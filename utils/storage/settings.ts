/** The analyst's settings, in browser.storage.local (docs/architecture.md §5). */

import { alertThresholdsFrom } from '@lupa/contract/alert-thresholds';
import type { CsvSeparator } from '@lupa/contract/csv';
import { browser } from 'wxt/browser';
import type { Language } from '../locale/i18n.js';
import { CRM_ADAPTERS } from '../overlay/crm-adapters.js';
import { fieldLocatorFrom, MAX_LOCATORS_PER_SITE, type SiteFieldLocator } from '../overlay/field-locators.js';
import { patternOfOrigin } from '../overlay/match-patterns.js';
import { DEFAULT_POLICY, type IndicatorPolicy } from '../report/credit/credit-indicators.js';
import { readAgreementNit } from '../report/credit/record-checks.js';
import { RELAY_POLICIES_KEY, type RelayPolicies } from './relay-policies.js';

/** A payroll agreement (convenio de libranza) of the lender: the employer's NIT and name. */
export type PayrollAgreement = { nit: string; name: string };

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
  /** Where the cédula is on each site, as the analyst pointed at it ("Señalar el campo de la cédula"). */
  fieldLocators: SiteFieldLocator[];
  /** The same, shipped by the organisation for its systems: read first, never removed here. */
  crmFieldLocators: SiteFieldLocator[];
  /** Where the overlay sits on each site (by origin), and whether it was left open. */
  overlayPlacement: Record<string, { side: 'left' | 'right'; expanded: boolean }>;
  /** The organisation's thresholds for the summary's flags. */
  indicatorPolicy: IndicatorPolicy;
  /** The lender's payroll agreements, to pick the agreement's employer from (set by the organisation). */
  payrollAgreements: PayrollAgreement[];
  /** The organisation requires sign-in with its identity provider: no static token is used. */
  signInRequired: boolean;
  /** The fields the organisation set (browser policy, or the relay for the thresholds): shown, never changed here. */
  managed: ManagedKey[];
};

/** What IT may set by browser policy (public/managed-schema.json; docs/rolling-out.md). */
export const MANAGED_KEYS = [
  'relayUrl',
  'signInRequired',
  'crmSites',
  'retentionDays',
  'csvSeparator',
  'language',
  'indicatorPolicy',
  'payrollAgreements',
  'crmFieldLocators',
] as const;
export type ManagedKey = (typeof MANAGED_KEYS)[number];
export type ManagedSettings = Partial<Pick<Settings, ManagedKey>>;

export const DEFAULT_SETTINGS: Settings = {
  relayUrl: '',
  analystToken: '',
  signedInAs: null,
  language: 'es',
  // No longer than the relay keeps reports (RETENTION_HOURS, 72 by default).
  retentionDays: 3,
  csvSeparator: ';',
  crmSites: [],
  fieldLocators: [],
  crmFieldLocators: [],
  overlayPlacement: {},
  indicatorPolicy: DEFAULT_POLICY,
  payrollAgreements: [],
  signInRequired: false,
  managed: [],
};

const KEY = 'settings';

/**
 * The organisation's policy as this extension can use it: each value checked on its own, a wrong one
 * left out (and the analyst's own value kept) rather than the whole policy refused.
 */
export function managedSettingsFrom(raw: unknown): ManagedSettings {
  const policy = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const managed: ManagedSettings = {};
  const relayUrl = typeof policy.relayUrl === 'string' ? normalizeRelayUrl(policy.relayUrl) : undefined;
  if (relayUrl) managed.relayUrl = relayUrl;
  if (typeof policy.signInRequired === 'boolean') managed.signInRequired = policy.signInRequired;
  if (Array.isArray(policy.crmSites)) managed.crmSites = [...new Set(policy.crmSites.flatMap(sitePatterns))];
  if (Array.isArray(policy.crmFieldLocators)) {
    const locators = policy.crmFieldLocators.flatMap((entry) => {
      const locator = fieldLocatorFrom(entry);
      const site = (entry as { site?: unknown } | null)?.site;
      return locator ? sitePatterns(site).map((pattern) => ({ site: pattern, ...locator })) : [];
    });
    managed.crmFieldLocators = capPerSite(locators);
  }
  const days = policy.retentionDays;
  if (typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 90)
    managed.retentionDays = days;
  if (policy.csvSeparator === ';' || policy.csvSeparator === ',') managed.csvSeparator = policy.csvSeparator;
  if (policy.language === 'es' || policy.language === 'en') managed.language = policy.language;
  if (policy.indicatorPolicy && typeof policy.indicatorPolicy === 'object')
    managed.indicatorPolicy = alertThresholdsFrom(policy.indicatorPolicy);
  if (Array.isArray(policy.payrollAgreements)) {
    managed.payrollAgreements = policy.payrollAgreements.flatMap((agreement) => {
      const { nit, name } = (agreement ?? {}) as Record<string, unknown>;
      const read = typeof nit === 'string' || typeof nit === 'number' ? readAgreementNit(String(nit)) : null;
      return read?.ok && typeof name === 'string' && name.trim()
        ? [{ nit: read.nit, name: name.trim().slice(0, 120) }]
        : [];
    });
  }
  return managed;
}

/** A site as IT names it in a policy: a CRM by name (its patterns), or an origin. */
function sitePatterns(site: unknown): string[] {
  if (typeof site !== 'string') return [];
  const adapter = CRM_ADAPTERS.find((candidate) => candidate.id === site.trim().toLowerCase());
  if (adapter) return adapter.matches;
  const pattern = patternOfOrigin(site);
  return pattern ? [pattern] : [];
}

/** The first MAX_LOCATORS_PER_SITE locators of each site. */
export function capPerSite(locators: SiteFieldLocator[]): SiteFieldLocator[] {
  const counts = new Map<string, number>();
  return locators.filter((locator) => {
    const count = (counts.get(locator.site) ?? 0) + 1;
    counts.set(locator.site, count);
    return count <= MAX_LOCATORS_PER_SITE;
  });
}

/** The policy as last read, so a page need not wait for a slow storage.managed (see loadSettings). */
const POLICY_COPY_KEY = 'managedPolicyCopy';

/** storage.managed: empty where no policy is set (Firefox without one throws instead). */
async function loadManagedSettings(): Promise<ManagedSettings> {
  try {
    return managedSettingsFrom(await browser.storage.managed.get());
  } catch {
    return {};
  }
}

/**
 * The analyst's settings under the organisation's policy. Right after the browser starts, Chromium
 * answers storage.managed only after seconds (2.8 s measured): a page that passes `policyCopyAfterMs`
 * takes the copy of the policy read last time when the live one is slower than that (the copy is
 * refreshed all the same, for the next page). The background always waits for the live policy. One
 * read of storage.local for everything else: each read is a round trip to the browser.
 */
export async function loadSettings(options: { policyCopyAfterMs?: number } = {}): Promise<Settings> {
  const live = loadManagedSettings();
  const local = browser.storage.local.get([KEY, POLICY_COPY_KEY, RELAY_POLICIES_KEY]);
  const copy = local.then((items) => items[POLICY_COPY_KEY] as ManagedSettings | undefined);
  // The copy follows the live policy, written only when it changed.
  void Promise.all([live, copy])
    .then(([policy, kept]) =>
      JSON.stringify(policy) === JSON.stringify(kept)
        ? undefined
        : browser.storage.local.set({ [POLICY_COPY_KEY]: policy }),
    )
    .catch(() => undefined);
  const policy =
    options.policyCopyAfterMs === undefined
      ? live
      : copy.then((kept) =>
          kept
            ? Promise.race([
                live,
                new Promise<ManagedSettings>((resolveCopy) =>
                  setTimeout(() => resolveCopy(kept), options.policyCopyAfterMs),
                ),
              ])
            : live,
        );
  const [items, managed] = await Promise.all([local, policy]);
  const stored = items[KEY] as Partial<Settings> | undefined;
  // The relay's thresholds (ALERT_* settings in /v1/me) are the organisation's too; a browser policy
  // that sets them is more specific and wins.
  const relayThresholds = (items[RELAY_POLICIES_KEY] as RelayPolicies | undefined)?.alertThresholds;
  const organisation: ManagedSettings = {
    ...(relayThresholds ? { indicatorPolicy: alertThresholdsFrom(relayThresholds) } : {}),
    ...managed,
  };
  // Thresholds added in a later release than the stored settings take their defaults; what the
  // organisation set wins over what is stored.
  return {
    ...DEFAULT_SETTINGS,
    ...stored,
    indicatorPolicy: { ...DEFAULT_POLICY, ...stored?.indicatorPolicy },
    ...organisation,
    ...(organisation.signInRequired ? { analystToken: '' } : {}),
    managed: MANAGED_KEYS.filter((key) => key in organisation),
  };
}

/** Stores the analyst's changes; what the organisation set by policy is not theirs to change. */
export async function saveSettings(changes: Partial<Settings>): Promise<Settings> {
  const current = await loadSettings();
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  const own = Object.fromEntries(
    Object.entries(changes).filter(
      ([key]) =>
        key !== 'managed' && key !== 'signInRequired' && !current.managed.includes(key as ManagedKey),
    ),
  );
  await browser.storage.local.set({ [KEY]: { ...stored, ...own } });
  return loadSettings();
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
