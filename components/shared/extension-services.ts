/**
 * What the extension pages need from the browser, behind one interface so components can be tested
 * with fakes and the entrypoints stay thin.
 */
import { browser } from 'wxt/browser';
import {
  type BackgroundToPages,
  type PageToBackground,
  POPUP_PORT,
  type ReplyTo,
  type ShownCedulas,
} from '../../utils/messaging/protocol.js';
import type { CaseInputs } from '../../utils/report/summary/summarize.js';
import { loadCaseInputs, saveCaseInputs } from '../../utils/storage/case-inputs.js';
import { loadFollowedLookups } from '../../utils/storage/followed-lookups.js';
import { type LookupCache, openLookupCache } from '../../utils/storage/lookup-cache.js';
import { loadRelayPolicies, type RelayPolicies } from '../../utils/storage/relay-policies.js';
import { loadSettings, type Settings, saveSettings } from '../../utils/storage/settings.js';

export type ExtensionServices = {
  loadSettings(): Promise<Settings>;
  /** The relay's policies as its /v1/me last said (undefined until the background has asked). */
  loadRelayPolicies(): Promise<RelayPolicies | undefined>;
  saveSettings(changes: Partial<Settings>): Promise<Settings>;
  openCache(): Promise<LookupCache>;
  /** The ids of the lookups the background follows (still running): a cheap read, unlike the history. */
  loadFollowedLookupIds(): Promise<string[]>;
  send<M extends PageToBackground>(message: M): Promise<ReplyTo<M>>;
  /** Calls back when the background says a lookup changed; returns the unsubscribe. */
  onLookupChanged(
    listener: (message: Extract<BackgroundToPages, { type: 'lookup.changed' }>) => void,
  ): () => void;
  /** Calls back with the cédulas a CRM tab shows whenever they change; returns the unsubscribe. */
  onCedulasOfTab(tabId: number, listener: (shown: ShownCedulas) => void): () => void;
  /** Calls back when the analyst pressed the shortcut to the panel of this tab. */
  onFocusRequest(tabId: number, listener: () => void): () => void;
  openOptions(): void;
  /** The extension's version, for a diagnostic support can read. */
  extensionVersion?: string;
  download(fileName: string, content: string, type: string): void;
  /** Asks for host access to match patterns (must run in a click handler: browsers prompt only then). */
  requestOrigins(patterns: string[]): Promise<boolean>;
  /** Whether host access to all these patterns is granted. */
  hasOrigins(patterns: string[]): Promise<boolean>;
  /** Gives host access back when the analyst disables a site. */
  releaseOrigins(patterns: string[]): Promise<void>;
  /** Opens a lookup's full view (the popup page in a tab). */
  /** A lookup's full view in a tab, with what the analyst added to it (storage/case-inputs.ts). */
  openDetail(lookupId: string, inputs?: CaseInputs): void;
  /** What the page that opened this one handed over for this lookup. */
  loadCaseInputs(lookupId: string): Promise<CaseInputs | undefined>;
  /**
   * Opens a lookup's credit-file report in a tab, which asks the browser to print it, with what the
   * analyst added beside the summary.
   */
  openCreditFile(lookupId: string, inputs?: CaseInputs): void;
  /** Opens the batch page in a tab. */
  openBatch(): void;
  /**
   * The batch the batch page follows, kept across its reopening: its id and, per line sent, the
   * consent reference and agreement NIT (no cédula); dropped with "Nuevo lote".
   */
  loadActiveBatch(): Promise<ActiveBatch | undefined>;
  saveActiveBatch(batch: ActiveBatch | undefined): Promise<void>;
};

const ACTIVE_BATCH_KEY = 'activeBatch';

/**
 * The batch the batch page follows, with what its file said per line that the relay does not keep:
 * the consent reference and the agreement's employer NIT, for the per-person CSV.
 */
export type ActiveBatch = {
  id: string;
  lines: Record<number, { consentReference: string; employerNit: string }>;
};

/** Listens to the background's broadcasts to extension pages; returns the unsubscribe. */
function onBackgroundMessage(listener: (message: BackgroundToPages) => void): () => void {
  const handler = (message: unknown) => {
    if (typeof (message as BackgroundToPages | undefined)?.type === 'string')
      listener(message as BackgroundToPages);
  };
  browser.runtime.onMessage.addListener(handler);
  return () => browser.runtime.onMessage.removeListener(handler);
}

export function browserServices(): ExtensionServices {
  let cache: Promise<LookupCache> | undefined;
  return {
    // A page opens on the policy it saw last when the live one is slow (right after a browser start).
    loadSettings: () => loadSettings({ policyCopyAfterMs: 100 }),
    loadRelayPolicies,
    loadFollowedLookupIds: async () => Object.keys(await loadFollowedLookups()),
    saveSettings,
    openCache: () => {
      cache ??= openLookupCache();
      return cache;
    },
    send: async (message) => {
      const reply = await browser.runtime.sendMessage(message);
      return reply as never;
    },
    onLookupChanged: (listener) =>
      onBackgroundMessage((message) => {
        if (message.type === 'lookup.changed') listener(message);
      }),
    onFocusRequest: (tabId, listener) =>
      onBackgroundMessage((message) => {
        if (message.type === 'overlay.focus' && message.tabId === tabId) listener();
      }),
    onCedulasOfTab: (tabId, listener) =>
      onBackgroundMessage((message) => {
        if (message.type === 'overlay.cedulas' && message.tabId === tabId)
          listener({ cedulas: message.cedulas, first: message.first, record: message.record });
      }),
    openOptions: () => void browser.runtime.openOptionsPage(),
    extensionVersion: browser.runtime.getManifest().version,
    download(fileName, content, type) {
      const url = URL.createObjectURL(new Blob([content], { type }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
    requestOrigins: (patterns) => browser.permissions.request({ origins: patterns }),
    hasOrigins: (patterns) => browser.permissions.contains({ origins: patterns }),
    releaseOrigins: async (patterns) => {
      await browser.permissions.remove({ origins: patterns });
    },
    openDetail: (lookupId, inputs) =>
      void handOver(lookupId, inputs).then(() =>
        browser.tabs.create({
          // This page's own origin, not runtime.getURL: in the overlay frame Chrome answers with the
          // frame's per-session URL (use_dynamic_url), where only overlay.html may load.
          url: `${location.origin}/popup.html?lookup=${encodeURIComponent(lookupId)}`,
        }),
      ),
    loadCaseInputs,
    openBatch: () => void browser.tabs.create({ url: `${location.origin}/batch.html` }),
    loadActiveBatch: async () => {
      const stored = (await browser.storage.local.get(ACTIVE_BATCH_KEY))[ACTIVE_BATCH_KEY] as
        | ActiveBatch
        | string
        | undefined;
      // An earlier release kept the id alone.
      return typeof stored === 'string' ? { id: stored, lines: {} } : stored;
    },
    saveActiveBatch: async (batch) => {
      if (batch === undefined) await browser.storage.local.remove(ACTIVE_BATCH_KEY);
      else await browser.storage.local.set({ [ACTIVE_BATCH_KEY]: batch });
    },
    openCreditFile: (lookupId, inputs) =>
      void handOver(lookupId, inputs).then(() =>
        browser.tabs.create({
          url: `${location.origin}/credit-file.html?lookup=${encodeURIComponent(lookupId)}`,
        }),
      ),
  };
}

/** The page about to open reads what the analyst added; a failed hand-over only loses that. */
const handOver = (lookupId: string, inputs: CaseInputs | undefined) =>
  inputs ? saveCaseInputs(lookupId, inputs).catch(() => undefined) : Promise.resolve();

/** Tells the background the popup is open, so it does not notify about what the analyst is watching. */
export function announcePopupOpen(): () => void {
  const port = browser.runtime.connect({ name: POPUP_PORT });
  return () => port.disconnect();
}
