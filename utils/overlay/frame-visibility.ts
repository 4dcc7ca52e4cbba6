/**
 * Whether a click on the panel's "Consultar" is the analyst's and not a page's trick (clickjacking:
 * a page shows the frame transparent, or under its own content, and removes the cover just before
 * the click it lured). IntersectionObserver v2 (`trackVisibility`, Chromium) says whether the frame
 * is fully on screen and uncovered; the panel acts only after it has been so, without a break, for
 * SETTLED_VISIBLE_MS, checked again at the click itself. Where the browser cannot tell "uncovered"
 * (Firefox), the panel never acts on its own: the lookup is confirmed in an extension window.
 */
type VisibilityEntry = IntersectionObserverEntry & { isVisible?: boolean };

/**
 * Firefox has no IntersectionObserver v2: its panel's lookups are confirmed in an extension window,
 * and the background refuses the frame's own (a build flag, so a page cannot argue the frame out of it).
 */
export const PANEL_CONFIRMS_IN_WINDOW = import.meta.env.FIREFOX === true;

/** Long enough for a person to see what they click; far longer than a page's cover-and-remove trick. */
export const SETTLED_VISIBLE_MS = 500;

export function fullyVisible(entry: VisibilityEntry, tracksOcclusion: boolean): boolean {
  if (entry.intersectionRatio < 0.99) return false;
  return tracksOcclusion ? entry.isVisible === true : true;
}

/** Since when the frame has been fully visible without a break, after an observation at `at`. */
export function visibleSinceAfter(
  visibleSince: number | null,
  observation: { visible: boolean; at: number },
): number | null {
  if (!observation.visible) return null;
  return visibleSince ?? observation.at;
}

/** Whether the frame has been fully visible, without a break, for SETTLED_VISIBLE_MS at `now`. */
export function settledAt(visibleSince: number | null, now: number): boolean {
  return visibleSince !== null && now - visibleSince >= SETTLED_VISIBLE_MS;
}

export type VisibilityState = {
  /** Fully visible (and, where the browser can tell, uncovered) now. */
  visible: boolean;
  /** And so for SETTLED_VISIBLE_MS without a break: the panel's button is enabled. */
  settled: boolean;
};

export type VisibilityGate = {
  /** False where the browser cannot tell a covered frame from an uncovered one (Firefox). */
  readonly tracksOcclusion: boolean;
  /** Calls back with the state now, and whenever it changes. */
  subscribe(listener: (state: VisibilityState) => void): () => void;
  /** Whether a click may start a lookup, decided at the click from every observation so far. */
  mayActNow(): boolean;
  stop(): void;
};

export function watchVisibility(
  element: Element,
  now: () => number = () => performance.now(),
): VisibilityGate {
  const tracksOcclusion = 'isVisible' in IntersectionObserverEntry.prototype;
  let visibleSince: number | null = null;
  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<(state: VisibilityState) => void>();
  const state = (): VisibilityState => ({
    visible: visibleSince !== null,
    settled: settledAt(visibleSince, now()),
  });
  const tell = () => {
    const current = state();
    for (const listener of listeners) listener(current);
  };
  const observe = (entries: IntersectionObserverEntry[]) => {
    for (const entry of entries as VisibilityEntry[]) {
      // The entry's own time: a change the page made between two callbacks is not back-dated.
      visibleSince = visibleSinceAfter(visibleSince, {
        visible: fullyVisible(entry, tracksOcclusion),
        at: entry.time,
      });
    }
    scheduleSettle();
    tell();
  };
  // Timers may fire a little early on the clock entries are stamped with: look again until settled.
  const scheduleSettle = () => {
    clearTimeout(settleTimer);
    if (visibleSince === null || settledAt(visibleSince, now())) return;
    settleTimer = setTimeout(
      () => {
        scheduleSettle();
        tell();
      },
      Math.max(1, visibleSince + SETTLED_VISIBLE_MS - now() + 1),
    );
  };
  const options = { threshold: [0, 0.99, 1], trackVisibility: true, delay: 100 };
  const observer = new IntersectionObserver(observe, options as IntersectionObserverInit);
  observer.observe(element);
  return {
    tracksOcclusion,
    subscribe(listener) {
      listeners.add(listener);
      listener(state());
      return () => listeners.delete(listener);
    },
    mayActNow() {
      // Observations not yet delivered count too: a cover removed a moment ago is still seen.
      const pending = observer.takeRecords();
      if (pending.length > 0) observe(pending);
      return tracksOcclusion && settledAt(visibleSince, now());
    },
    stop() {
      clearTimeout(settleTimer);
      listeners.clear();
      observer.disconnect();
    },
  };
}
