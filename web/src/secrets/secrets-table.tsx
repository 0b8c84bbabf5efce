import { memo, startTransition, useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { flushSync } from 'react-dom';
import type { Secret } from '../api/types.ts';
import { Breakable } from '../ui/format.tsx';
import { Time } from '../ui/time.tsx';
import { SecretBadges } from './secret-badges.tsx';
import { SecretActionsMenu, type SecretAction } from './secret-row-menu.tsx';

type OpenMenu = (secret: Secret, trigger: HTMLButtonElement) => void;

/** One row; memoized so that moving focus or opening the menu re-renders two rows, not all. */
const SecretRow = memo(function SecretRow(props: {
  readonly secret: Secret;
  /** 1-based among the table's rows; the header row is 1. */
  readonly rowIndex: number;
  readonly isTabStop: boolean;
  readonly isMenuOpen: boolean;
  readonly onOpenMenu: OpenMenu;
  readonly onDetails: (secret: Secret) => void;
}) {
  const { secret } = props;
  const onRowClick = (e: MouseEvent) => {
    // A click on the row (not on its button) shows the details, as "View details" does.
    if (!(e.target as Element).closest('button')) props.onDetails(secret);
  };
  return (
    <tr className="row row-clickable" aria-rowindex={props.rowIndex} data-testid={`secret-row-${secret.name}`} onClick={onRowClick}>
      <th scope="row" className="cell mono">
        <Breakable text={secret.name} />
        <SecretBadges secret={secret} />
      </th>
      <td className="cell col-num">{secret.usage_count}</td>
      <td className="cell">
        <Time iso={secret.updated_at} />
      </td>
      <td className="cell">
        <Time iso={secret.last_accessed_at} never="Never" />
      </td>
      <td className="cell col-actions">
        <button
          type="button"
          className="btn btn-icon"
          aria-label={`Actions for ${secret.name}`}
          aria-haspopup="menu"
          aria-expanded={props.isMenuOpen}
          tabIndex={props.isTabStop ? 0 : -1}
          data-secret={secret.name}
          data-testid={`secret-actions-${secret.name}`}
          onClick={(e) => props.onOpenMenu(secret, e.currentTarget)}
          onKeyDown={(e) => {
            // Open from the keyboard on keydown (as react-aria's menu triggers do), so the
            // menu starts on its first item; the click that would follow is not needed.
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              props.onOpenMenu(secret, e.currentTarget);
            }
          }}
        >
          <span aria-hidden="true">…</span>
        </button>
      </td>
    </tr>
  );
});

const ROW_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End', 'PageDown', 'PageUp']);

/** Rows rendered before the first paint: more than a tall screen shows (a row is ~41 px high). */
function firstScreenRows(): number {
  const height = typeof window === 'undefined' ? 1200 : window.innerHeight || 1200;
  return Math.max(40, Math.ceil(height / 30) + 10);
}

/**
 * How many rows to render: the first screenful at first, then every row once that has
 * been painted. Laying out 1,000 table rows takes a few hundred milliseconds on a slow
 * machine; rendering the rows nobody can see yet after the first paint shows the secrets
 * that much sooner. The rest is rendered as a transition (React yields to input while
 * rendering it), and the table always has every row in the end: find-in-page, screen
 * readers' browse mode and the arrow keys see all of them.
 */
function useProgressiveCount(total: number): { readonly count: number; readonly showAll: () => void } {
  const [first] = useState(firstScreenRows);
  const [all, setAll] = useState(total <= first);
  useEffect(() => {
    if (all) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // After the next frame has been painted: the callback of the next animation frame
    // runs before that frame is painted, a task queued from it runs after.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setAll(true)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [all]);
  const showAll = useCallback(() => {
    if (!all) flushSync(() => setAll(true));
  }, [all]);
  return { count: all ? total : Math.min(first, total), showAll };
}

/**
 * Name, usage count, updated at, last accessed ("Never" when null) and the "…" menu.
 *
 * A plain `<table>`: a react-aria Table with a menu trigger in every row took seconds to
 * render 1,000 secrets. `aria-rowcount` and `aria-rowindex` give the full size while only
 * the first screenful of rows is rendered (see useProgressiveCount). The rows' "…" buttons
 * are one Tab stop (roving tabindex) and the arrow keys, Home, End, PageUp and PageDown
 * move between them (rendering every row first); Enter or Space opens the shared actions
 * menu.
 */
export function SecretsTable(props: {
  readonly secrets: readonly Secret[];
  readonly onAction: (secret: Secret, action: SecretAction) => void;
}) {
  const [focused, setFocused] = useState<string | null>(null);
  const [menuFor, setMenuFor] = useState<Secret | null>(null);
  const triggerRef = useRef<HTMLButtonElement | null>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  // The latest handler, behind a stable callback: rows stay memoized across page renders.
  const onActionRef = useRef(props.onAction);
  onActionRef.current = props.onAction;
  const onAction = useCallback((secret: Secret, action: SecretAction) => onActionRef.current(secret, action), []);
  const tabStop = focused !== null && props.secrets.some((s) => s.name === focused) ? focused : (props.secrets[0]?.name ?? null);

  const onOpenMenu = useCallback<OpenMenu>((secret, trigger) => {
    triggerRef.current = trigger;
    setMenuFor(secret);
  }, []);
  const onDetails = useCallback((secret: Secret) => onAction(secret, 'details'), [onAction]);

  const { count, showAll } = useProgressiveCount(props.secrets.length);

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const current = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-secret]');
    if (!current || !ROW_KEYS.has(e.key) || !bodyRef.current) return;
    // Moving through the rows needs all of them (End goes to the last secret, not the last rendered one).
    showAll();
    const buttons = Array.from(bodyRef.current.querySelectorAll<HTMLButtonElement>('button[data-secret]'));
    const i = buttons.indexOf(current);
    const next = { ArrowDown: i + 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1, PageDown: i + 10, PageUp: i - 10 }[e.key]!;
    e.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, next))]?.focus();
  };

  return (
    <>
      <div className="table-scroll">
        <table className="table" aria-label="Cloud secrets" aria-rowcount={props.secrets.length + 1} data-testid="secrets-table">
          <thead className="table-header">
            <tr aria-rowindex={1}>
              <th scope="col" className="col">Name</th>
              <th scope="col" className="col col-num">Usage count</th>
              <th scope="col" className="col">Updated at</th>
              <th scope="col" className="col">Last accessed</th>
              <th scope="col" className="col col-actions">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody
            ref={bodyRef}
            onKeyDown={onKeyDown}
            onFocus={(e) => {
              const name = (e.target as HTMLElement).dataset.secret;
              if (name) setFocused(name);
            }}
          >
            {(count < props.secrets.length ? props.secrets.slice(0, count) : props.secrets).map((secret, i) => (
              <SecretRow
                key={secret.name}
                secret={secret}
                rowIndex={i + 2}
                isTabStop={secret.name === tabStop}
                isMenuOpen={menuFor?.name === secret.name}
                onOpenMenu={onOpenMenu}
                onDetails={onDetails}
              />
            ))}
          </tbody>
        </table>
      </div>
      <SecretActionsMenu secret={menuFor} triggerRef={triggerRef} onClose={() => setMenuFor(null)} onAction={onAction} />
    </>
  );
}
