import { useCallback, useState } from 'preact/hooks';

/**
 * An action a page runs and the problem it left, the same on every page: its buttons wait while it
 * runs, and a new attempt clears the last problem.
 */
export function useBusyAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, setProblem, run };
}
