import { lazy } from 'react';
import { Link, Navigate, useRouteError, type RouteObject } from 'react-router';
import { SecretsPage } from '../secrets/secrets-page.tsx';
import { SessionGate } from '../session/session-gate.tsx';
import { SignInPage } from '../session/sign-in-page.tsx';
import { EmptyState, ErrorState } from '../ui/states.tsx';
import { OrgRoute, SandboxRoute } from './scope-routes.tsx';

// Only sign-in and secrets are in the first bundle; every other page loads on demand.
const IntegrationsPage = lazy(() => import('../integrations/integrations-page.tsx').then((m) => ({ default: m.IntegrationsPage })));
const WebhookEditorPage = lazy(() => import('../integrations/webhook-editor-page.tsx').then((m) => ({ default: m.WebhookEditorPage })));
const TemplateGalleryPage = lazy(() => import('../integrations/template-gallery-page.tsx').then((m) => ({ default: m.TemplateGalleryPage })));
const TemplateFormPage = lazy(() => import('../integrations/template-form-page.tsx').then((m) => ({ default: m.TemplateFormPage })));
const DeliveryLogPage = lazy(() => import('../integrations/delivery-log-page.tsx').then((m) => ({ default: m.DeliveryLogPage })));
const LogicListPage = lazy(() => import('../logic/logic-list-page.tsx').then((m) => ({ default: m.LogicListPage })));
const LogicEditorPage = lazy(() => import('../logic/logic-editor-page.tsx').then((m) => ({ default: m.LogicEditorPage })));
const EventsPage = lazy(() => import('../events/events-page.tsx').then((m) => ({ default: m.EventsPage })));
const MembersPage = lazy(() => import('../members/members-page.tsx').then((m) => ({ default: m.MembersPage })));
const EnvPage = lazy(() => import('../env/env-page.tsx').then((m) => ({ default: m.EnvPage })));
const LedgersPage = lazy(() => import('../ledger/ledgers-page.tsx').then((m) => ({ default: m.LedgersPage })));
const LedgerPage = lazy(() => import('../ledger/ledger-page.tsx').then((m) => ({ default: m.LedgerPage })));
const InstancePage = lazy(() => import('../ledger/instance-page.tsx').then((m) => ({ default: m.InstancePage })));
const ProductsPage = lazy(() => import('../products/products-page.tsx').then((m) => ({ default: m.ProductsPage })));
const ProductPage = lazy(() => import('../products/product-page.tsx').then((m) => ({ default: m.ProductPage })));
const AuditPage = lazy(() => import('../audit/audit-page.tsx').then((m) => ({ default: m.AuditPage })));

function NotFound() {
  return (
    <EmptyState title="Page not found" action={<Link className="btn btn-secondary" to="/sandbox/secrets">Go to secrets</Link>}>
      <p>There is nothing at this address.</p>
    </EmptyState>
  );
}

/** A page's code could not be fetched: the server is unreachable (or was updated meanwhile). */
const CHUNK_LOAD_FAILED = /dynamically imported module|module script failed|Loading chunk/i;

function PageLoadError() {
  const error = useRouteError();
  const shown = error instanceof Error && CHUNK_LOAD_FAILED.test(error.message)
    ? new Error('Could not reach the Hush server to load this page. Check the connection, then try again.')
    : error;
  return <ErrorState title="This page failed to load" error={shown} onRetry={() => window.location.reload()} />;
}

function RouteError() {
  return (
    <main className="fullpage">
      <PageLoadError />
    </main>
  );
}

/** Pages inside a scope (`/sandbox/…` or `/orgs/:slug/…`). */
const scopePages: RouteObject[] = [
  { index: true, element: <Navigate to="secrets" replace /> },
  { path: 'secrets', element: <SecretsPage /> },
  { path: 'ledger', element: <LedgersPage /> },
  { path: 'ledger/:name', element: <LedgerPage /> },
  { path: 'ledger/:name/instances/:value', element: <InstancePage /> },
  { path: 'env', element: <EnvPage /> },
  { path: 'integrations', element: <IntegrationsPage /> },
  { path: 'integrations/new', element: <WebhookEditorPage /> },
  { path: 'integrations/templates', element: <TemplateGalleryPage /> },
  { path: 'integrations/templates/:template', element: <TemplateFormPage /> },
  { path: 'integrations/:id', element: <WebhookEditorPage /> },
  { path: 'integrations/:id/logs', element: <DeliveryLogPage /> },
  { path: 'logic', element: <LogicListPage /> },
  { path: 'logic/new', element: <LogicEditorPage /> },
  { path: 'logic/:id', element: <LogicEditorPage /> },
  { path: 'events', element: <EventsPage /> },
  { path: 'products', element: <ProductsPage /> },
  { path: 'products/:product', element: <ProductPage /> },
  { path: 'members', element: <MembersPage /> },
  { path: 'audit', element: <AuditPage /> },
  { path: '*', element: <NotFound /> },
];

/** Every console route. Exported so tests can mount them in a memory router. */
export const routes: RouteObject[] = [
  { path: '/login', element: <SignInPage />, errorElement: <RouteError /> },
  {
    element: <SessionGate />,
    errorElement: <RouteError />,
    children: [
      { path: '/', element: <Navigate to="/sandbox/secrets" replace /> },
      // A page that fails inside a scope shows its error in the page area: the top bar and
      // navigation stay, so people can go elsewhere or sign out.
      { path: '/sandbox', element: <SandboxRoute />, children: [{ errorElement: <PageLoadError />, children: scopePages }] },
      { path: '/orgs/:slug', element: <OrgRoute />, children: [{ errorElement: <PageLoadError />, children: scopePages }] },
      { path: '*', element: <main className="fullpage"><NotFound /></main> },
    ],
  },
];
