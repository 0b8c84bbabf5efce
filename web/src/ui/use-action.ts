import { useCallback, useState } from 'react';
import { messageOf } from '../api/http.ts';

/**
 * One write a form or button starts: `busy` while it runs, and its failure's message in
 * `error` (cleared when it starts again, or with `setError(null)`).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, run };
}
