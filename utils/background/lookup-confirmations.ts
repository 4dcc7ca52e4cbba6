/**
 * Lookups the CRM panel asked for where the browser cannot tell whether a page covers the panel
 * (Firefox: utils/overlay/frame-visibility.ts). Each waits for the analyst's confirmation in an
 * extension window, which no page can overlay or fade, for CONFIRM_WITHIN_MS at most. Kept in
 * storage.session, so a background worker stopped meanwhile loses nothing, and never in a URL.
 */
export type PendingLookup = {
  cedula: string;
  consentReference?: string;
  force?: boolean;
  /** The CRM site the panel was on, said in the window, and its tab: one request waits per tab. */
  site: string;
  tabId: number;
  /** Epoch ms. */
  expiresAt: number;
};

export const CONFIRM_WITHIN_MS = 2 * 60_000;

export type ConfirmationStore = {
  load(): Promise<Record<string, PendingLookup>>;
  save(pending: Record<string, PendingLookup>): Promise<void>;
};

export function createLookupConfirmations(
  store: ConfirmationStore,
  options: { now?: () => number; newId?: () => string } = {},
) {
  const now = options.now ?? Date.now;
  const newId = options.newId ?? (() => crypto.randomUUID());
  const live = (pending: Record<string, PendingLookup>) =>
    Object.fromEntries(Object.entries(pending).filter(([, entry]) => entry.expiresAt > now()));
  // One change at a time: two answers racing must not both take the same request.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(change: () => Promise<T>): Promise<T> => {
    const result = queue.then(change);
    queue = result.catch(() => undefined);
    return result;
  };
  return {
    /** Undefined when the tab already has a request waiting (a page luring clicks opens no more windows). */
    request(lookup: Omit<PendingLookup, 'expiresAt'>): Promise<string | undefined> {
      return serially(async () => {
        const pending = live(await store.load());
        if (Object.values(pending).some((entry) => entry.tabId === lookup.tabId)) return undefined;
        const id = newId();
        await store.save({ ...pending, [id]: { ...lookup, expiresAt: now() + CONFIRM_WITHIN_MS } });
        return id;
      });
    },
    async read(id: string): Promise<PendingLookup | undefined> {
      return live(await store.load())[id];
    },
    /** The pending lookup, once: confirmed or declined, it is gone. */
    take(id: string): Promise<PendingLookup | undefined> {
      return serially(async () => {
        const pending = live(await store.load());
        const taken = pending[id];
        delete pending[id];
        await store.save(pending);
        return taken;
      });
    },
  };
}

export type LookupConfirmations = ReturnType<typeof createLookupConfirmations>;
