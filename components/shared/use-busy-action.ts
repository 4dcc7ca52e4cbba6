import { useCallback, useState } from 'preact/hooks';

/**
 * An action a page runs and the problem it left, the same on every page: its buttons wait while it
 * runs, and a new attempt clears the last problem.
 */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const [state, setState] = useState<{ message: string; code?: string; at: Date } | undefined>();
  /** The problem in words, and its stable code when it came from one (for the next step). */
  const setProblem = useCallback((message: string | undefined, code?: string) => {
    setState(message === undefined ? undefined : { message, code, at: new Date() });
  }, []);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setState(undefined);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem: state?.message, problemCode: state?.code, problemAt: state?.at, setProblem, run };
}
