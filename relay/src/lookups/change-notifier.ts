/**
 * Wakes long-polls when an extraction changes. In-process: one relay node on SQLite. On PostgreSQL,
 * `postgres-change-notifier.ts` also hears changes committed by other nodes, behind the same interface.
 */
export type ChangeNotifier = {
  /** Called after the change is committed. */
  notify(extractionId: string): void;
  subscribe(extractionId: string, listener: () => void): () => void;
  /** False while changes made elsewhere could go unheard (the database connection is down). */
  isListening(): boolean;
  close(): Promise<void>;
};

export type LocalChangeNotifier = ChangeNotifier & {
  /** The extractions someone on this node waits for. */
  waitedFor(): string[];
};

export function createLocalChangeNotifier(): LocalChangeNotifier {
  const listeners = new Map<string, Set<() => void>>();
  return {
    notify(extractionId) {
      const waiting = listeners.get(extractionId);
      if (!waiting) return;
      for (const listener of [...waiting]) listener();
    },
    subscribe(extractionId, listener) {
      let waiting = listeners.get(extractionId);
      if (!waiting) {
        waiting = new Set();
        listeners.set(extractionId, waiting);
      }
      waiting.add(listener);
      return () => {
        waiting.delete(listener);
        if (waiting.size === 0) listeners.delete(extractionId);
      };
    },
    isListening: () => true,
    waitedFor: () => [...listeners.keys()],
    close: async () => listeners.clear(),
  };
}

export type WaitOutcome = 'changed' | 'timeout' | 'aborted';

/**
 * Resolves on the first change, when the wait ends, or when the client goes away; always unsubscribes,
 * so a disconnected long-poll holds nothing.
 */
export function waitForChange(
  notifier: ChangeNotifier,
  extractionId: string,
  timeoutMs: number,
  signal: AbortSignal,
): { ready: Promise<WaitOutcome>; cancel(): void } {
  let settle: (outcome: WaitOutcome) => void = () => {};
  const ready = new Promise<WaitOutcome>((resolve) => {
    settle = resolve;
  });
  const finish = (outcome: WaitOutcome) => {
    clearTimeout(timer);
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
    settle(outcome);
  };
  const onAbort = () => finish('aborted');
  const unsubscribe = notifier.subscribe(extractionId, () => finish('changed'));
  const timer = setTimeout(() => finish('timeout'), timeoutMs);
  if (signal.aborted) finish('aborted');
  else signal.addEventListener('abort', onAbort, { once: true });
  return { ready, cancel: () => finish('aborted') };
}
