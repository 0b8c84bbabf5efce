import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';

export interface Crumb {
  readonly to: string;
  readonly label: string;
}

/** The title row of a page: breadcrumb trail, heading, one line on what it is for, and its main actions. */
export function PageHeader(props: {
  readonly title: string;
  readonly description?: ReactNode;
  readonly actions?: ReactNode;
  /** Links to the pages above this one, outermost first (a single link may be passed as is). */
  readonly breadcrumb?: ReactNode | readonly Crumb[];
}) {
  const { breadcrumb } = props;
  return (
    <div className="page-header">
      <div className="page-header-text">
        {breadcrumb ? (
          <nav className="breadcrumb" aria-label="Breadcrumb">
            {Array.isArray(breadcrumb) ? <CrumbTrail crumbs={breadcrumb as readonly Crumb[]} /> : (breadcrumb as ReactNode)}
          </nav>
        ) : null}
        <h1 className="page-title">{props.title}</h1>
        {props.description ? <p className="page-description">{props.description}</p> : null}
      </div>
      {props.actions ? <div className="page-actions">{props.actions}</div> : null}
    </div>
  );
}

function CrumbTrail(props: { readonly crumbs: readonly Crumb[] }) {
  return (
    <>
      {props.crumbs.map((c, i) => (
        <Fragment key={c.to}>
          {i > 0 ? <span className="breadcrumb-separator" aria-hidden="true"> › </span> : null}
          <Link to={c.to}>{c.label}</Link>
        </Fragment>
      ))}
    </>
  );
}
