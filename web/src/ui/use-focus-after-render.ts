import { useCallback, useEffect, useRef } from 'react';

type FindTarget = () => HTMLElement | null | undefined;

/**
 * Moves focus once the next render is on screen: for controls that add or remove the
 * element focus should go to (an "Add header" button focuses the new row's first field;
 * removing a row focuses its neighbour instead of dropping focus to the page).
 * The component must re-render after the change, which a controlled list does.
 */
export function useFocusAfterRender(): (find: FindTarget) => void {
  const pending = useRef<FindTarget | null>(null);
  useEffect(() => {
    const find = pending.current;
    if (!find) return;
    pending.current = null;
    find()?.focus();
  });
  return useCallback((find: FindTarget) => {
    pending.current = find;
  }, []);
}
