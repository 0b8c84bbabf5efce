import type { ReactNode } from 'react';
import { Button } from 'react-aria-components/Button';
import { messageOf } from '../api/http.ts';

/** Shown while the first load of a list is in flight. */
export function LoadingState(props: { readonly label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{props.label ?? 'Loading…'}</span>
    </div>
  );
}

/** Shown when a load failed, with the server's message and a way to try again. */
export function ErrorState(props: { readonly error: unknown; readonly onRetry?: () => void; readonly title?: string }) {
  return (
    <div className="state state-error" role="alert">
      <strong>{props.title ?? 'Something went wrong'}</strong>
      <p>{messageOf(props.error)}</p>
      {props.onRetry ? (
        <Button className="btn btn-secondary" onPress={props.onRetry}>
          Try again
        </Button>
      ) : null}
    </div>
  );
}

/** Shown when a list is empty: what it is for and the first step. */
export function EmptyState(props: { readonly title: string; readonly children?: ReactNode; readonly action?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{props.title}</strong>
      {props.children ? <div className="state-text">{props.children}</div> : null}
      {props.action ? <div className="state-action">{props.action}</div> : null}
    </div>
  );
}

/** Shown when a list's search matches nothing of what is loaded. */
export function NoMatch(props: { readonly noun: string; readonly query: string }) {
  return (
    <EmptyState title={`No ${props.noun} matches`}>
      <p>Nothing here contains “{props.query.trim()}”. Clear the search to see the whole list.</p>
    </EmptyState>
  );
}
