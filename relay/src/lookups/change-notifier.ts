/**
 * Wakes long-polls when what they wait for changes: an extraction (by its id) or a batch (by
 * `batchChangeKey`). In-process: one relay node on SQLite. On PostgreSQL, `postgres-change-notifier.ts`
 * also hears changes committed by other nodes (announced by triggers), behind the same interface.
 */
export type ChangeNotifier = {
  /** Called after the change is committed. */
  notify(key: string): void;
  subscribe(key: string, listener: () => void): () => void;
  /** False while changes made elsewhere could go unheard (the database connection is down). */
  isListening(): boolean;
  /** The keys someone on this node waits for. */
  waitedFor(): string[];
  close(): Promise<void>;
};

/** A batch's key: its rows or its status changed (PostgreSQL announces it the same way, by trigger). */
export const batchChangeKey = (batchId: string) => `batch:${batchId}`;
export const isBatchChangeKey = (key: string) => key.startsWith('batch:');

export function createLocalChangeNotifier(): ChangeNotifier {
  const listeners = new Map<string, Set<() => void>>();
  return {
    notify(key) {
      const waiting = listeners.get(key);
      if (!waiting) return;
      for (const listener of [...waiting]) listener();
    },
    subscribe(key, listener) {
      let waiting = listeners.get(key);
      if (!waiting) {
        waiting = new Set();
        listeners.set(key, waiting);
      }
      waiting.add(listener);
      return () => {
        waiting.delete(listener);
        if (waiting.size === 0) listeners.delete(key);
      };
    },
    isListening: () => true,
    waitedFor: () => [...listeners.keys()],
    close: async () => listeners.clear(),
  };
}

export type WaitOutcome = 'changed' | 'timeout' | 'aborted';

/**
 * Resolves on the first change to any of `keys`, when the wait ends, or when the client goes away;
 * always unsubscribes, so a disconnected long-poll holds nothing.
 */
export function waitForChange(
  notifier: ChangeNotifier,
  keys: readonly string[],
  timeoutMs: number,
  signal: AbortSignal,
): { ready: Promise<WaitOutcome>; cancel(): void } {
  let settle: (outcome: WaitOutcome) => void = () => {};
  const ready = new Promise<WaitOutcome>((resolve) => {
    settle = resolve;
  });
  const finish = (outcome: WaitOutcome) => {
    clearTimeout(timer);
    for (const unsubscribe of unsubscribes) unsubscribe();
    signal.removeEventListener('abort', onAbort);
    settle(outcome);
  };
  const onAbort = () => finish('aborted');
  const unsubscribes = keys.map((key) => notifier.subscribe(key, () => finish('changed')));
  const timer = setTimeout(() => finish('timeout'), timeoutMs);
  if (signal.aborted) finish('aborted');
  else signal.addEventListener('abort', onAbort, { once: true });
  return { ready, cancel: () => finish('aborted') };
}
