import type { ReactNode } from 'react';

/** The title row of a page: heading, one line on what it is for, and its main actions. */
export function PageHeader(props: {
  readonly title: string;
  readonly description?: ReactNode;
  readonly actions?: ReactNode;
  readonly breadcrumb?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div className="page-header-text">
        {props.breadcrumb ? <div className="breadcrumb">{props.breadcrumb}</div> : null}
        <h1 className="page-title">{props.title}</h1>
        {props.description ? <p className="page-description">{props.description}</p> : null}
      </div>
      {props.actions ? <div className="page-actions">{props.actions}</div> : null}
    </div>
  );
}
