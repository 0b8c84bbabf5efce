import { Link } from 'react-router';
import { useScope } from '../scope/scope-context.tsx';
import { InlineCode } from '../ui/format.tsx';
import { LinkButton } from '../ui/link-button.tsx';
import { PageHeader } from '../ui/page-header.tsx';
import { EmptyState, ErrorState, LoadingState } from '../ui/states.tsx';
import { useIntegrationOwner } from './integration-owner.ts';
import { useTemplates } from './integration-queries.ts';

/** The integration template gallery: one card per target (Blynk, Slack, Twilio…), with its docs link. */
export function TemplateGalleryPage() {
  const { base, perms } = useScope();
  const owner = useIntegrationOwner();
  const query = useTemplates();
  return (
    <section>
      <PageHeader
        title="Integration templates"
        breadcrumb={<Link to={owner.listPath}>Integrations</Link>}
        description="Fill in a short form; the result is an ordinary webhook you can edit afterwards."
      />
      {query.isPending ? (
        <LoadingState label="Loading templates…" />
      ) : query.isError ? (
        <ErrorState title="Could not load templates" error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <EmptyState title="No templates available" />
      ) : (
        <ul className="card-grid" aria-label="Templates">
          {query.data.map((t) => (
            <li key={t.slug} className="card" data-testid={`template-${t.slug}`}>
              <h2>{t.name}</h2>
              <p className="muted">
                <InlineCode text={t.description} />
              </p>
              <a className="card-link" href={t.docs} target="_blank" rel="noopener noreferrer" data-testid={`template-docs-${t.slug}`}>
                <span className="visually-hidden">{`${t.name} `}</span>
                API docs
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
              <LinkButton
                to={`${base}/integrations/templates/${encodeURIComponent(t.slug)}${owner.search}`}
                variant="primary"
                isDisabled={!perms.canWrite}
              >
                {`Use ${t.name}`}
              </LinkButton>
            </li>
          ))}
        </ul>
      )}
      {perms.writeReason ? <p className="field-help">{perms.writeReason}</p> : null}
    </section>
  );
}
