/**
 * Which cédulas each CRM tab shows, as its content script reported them, and what the overlay frame
 * in that tab may therefore see. This is the panel's only source of cédulas: a page script can post
 * messages to the frame, but it cannot send extension messages, so it cannot choose whom the panel
 * shows or looks up. Kept in session storage, so a stopped service worker loses nothing.
 */
import type { RecordFacts, SenderContext } from '../messaging/protocol.js';
import { originMatches } from '../overlay/site-registration.js';

export type CrmTab = { origin: string; cedulas: string[]; record: RecordFacts | null };

export type CrmTabStore = {
  load(): Promise<Record<string, CrmTab>>;
  save(tabs: Record<string, CrmTab>): Promise<void>;
};

export type CrmTabRefusal = 'overlay_not_allowed';

/** Longest fact kept from a page: a name or a NIT, never a paragraph. */
const MAX_FACT_LENGTH = 120;

/** A content script's record facts, as far as they are believable: short strings or nothing. */
export function recordFactsFrom(raw: unknown): RecordFacts | null {
  if (!raw || typeof raw !== 'object') return null;
  const fact = (value: unknown) =>
    typeof value === 'string' && value.trim() !== '' && value.length <= MAX_FACT_LENGTH ? value.trim() : null;
  const { employerNit, applicantName } = raw as Record<string, unknown>;
  const facts = { employerNit: fact(employerNit), applicantName: fact(applicantName) };
  return facts.employerNit === null && facts.applicantName === null ? null : facts;
}

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

export function createCrmTabs(options: {
  store: CrmTabStore;
  /** Match patterns where the overlay may run: enabled and granted CRM sites, development origins. */
  allowedPatterns(): Promise<string[]>;
}) {
  // Read once per worker start, written through: the frame asks on every cache read.
  let loaded: Promise<Record<string, CrmTab>> | undefined;
  const load = () => {
    loaded ??= options.store.load();
    return loaded;
  };
  // Memory first, so the frame hears at once; the copy in session storage follows, in order.
  let persisted: Promise<unknown> = Promise.resolve();
  const save = (tabs: Record<string, CrmTab>) => {
    loaded = Promise.resolve(tabs);
    persisted = persisted.then(() => options.store.save(tabs)).catch(() => undefined);
  };

  // One change at a time: two tabs reporting at once must not overwrite each other's entry.
  let changes: Promise<unknown> = Promise.resolve();
  function serially<T>(change: () => Promise<T>): Promise<T> {
    const run = changes.then(change);
    changes = run.catch(() => undefined);
    return run;
  }

  async function allowed(url: string | undefined): Promise<boolean> {
    if (!url) return false;
    const patterns = await options.allowedPatterns();
    return patterns.some((pattern) => originMatches(url, pattern));
  }

  /**
   * The tab the frame is in, if its top document is an allowed CRM page, with the cédulas that page
   * reported (none yet if the frame asks before the content script has scanned).
   */
  async function tabOfFrame(sender: SenderContext): Promise<(CrmTab & { tabId: number }) | undefined> {
    if (sender.kind !== 'overlay-frame' || sender.tabId === undefined) return undefined;
    // The tab's URL is known only where we hold host access: another site's page gets undefined.
    const origin = originOf(sender.tabUrl);
    if (!origin || !(await allowed(sender.tabUrl))) return undefined;
    const tab = (await load())[String(sender.tabId)];
    const same = tab?.origin === origin;
    return {
      origin,
      cedulas: same ? tab.cedulas : [],
      record: same ? (tab.record ?? null) : null,
      tabId: sender.tabId,
    };
  }

  return {
    /** A content script's report. Returns the tab's new state, or undefined if it was not believed. */
    async reportShown(
      sender: SenderContext,
      cedulas: string[],
      record: RecordFacts | null = null,
    ): Promise<CrmTab | undefined> {
      // Top frame only: a CRM page's subframes (ads, widgets) do not speak for the record.
      if (sender.kind !== 'content-script' || sender.tabId === undefined || sender.frameId !== 0)
        return undefined;
      const origin = originOf(sender.url);
      if (!origin || !(await allowed(sender.url))) return undefined;
      const tabId = String(sender.tabId);
      // A record's facts belong to its one cédula; a list of applicants has none.
      const tab = { origin, cedulas, record: cedulas.length === 1 ? record : null };
      return serially(async () => {
        save({ ...(await load()), [tabId]: tab });
        return tab;
      });
    },

    async attach(
      sender: SenderContext,
    ): Promise<
      { tabId: number; site: string; cedulas: string[]; record: RecordFacts | null } | CrmTabRefusal
    > {
      const tab = await tabOfFrame(sender);
      return tab
        ? { tabId: tab.tabId, site: tab.origin, cedulas: tab.cedulas, record: tab.record }
        : 'overlay_not_allowed';
    },

    /** Extension pages may read any cédula; the overlay frame only one its page shows. */
    async mayUse(sender: SenderContext, cedula: string): Promise<boolean> {
      if (sender.kind === 'extension-page') return true;
      const tab = await tabOfFrame(sender);
      return tab?.cedulas.includes(cedula) ?? false;
    },

    /** Resolves once what is in memory is also in session storage. */
    flushed: () => persisted.then(() => undefined),

    forget(tabId: number): Promise<void> {
      return serially(async () => {
        const tabs = { ...(await load()) };
        if (!(String(tabId) in tabs)) return;
        delete tabs[String(tabId)];
        save(tabs);
      });
    },
  };
}

export type CrmTabs = ReturnType<typeof createCrmTabs>;
