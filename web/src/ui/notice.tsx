import type { ReactNode } from 'react';

export interface NoticeProps {
  readonly tone: 'info' | 'success' | 'warning' | 'error';
  readonly children: ReactNode;
  readonly title?: string;
  readonly testId?: string;
}

/** An inline banner. Errors are announced assertively, the rest politely. */
export function Notice(props: NoticeProps) {
  return (
    <div
      className={`notice notice-${props.tone}`}
      role={props.tone === 'error' ? 'alert' : 'status'}
      data-testid={props.testId}
    >
      {props.title ? <strong className="notice-title">{props.title}</strong> : null}
      <div>{props.children}</div>
    </div>
  );
}

/** Helper text explaining why a control next to it is disabled. */
export function DisabledReason(props: { readonly id?: string; readonly children: ReactNode }) {
  return (
    <p className="disabled-reason" id={props.id}>
      {props.children}
    </p>
  );
}
