import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditTrailService } from '../audit/audit-trail-service.ts';
import { registerAuditRoutes } from '../audit/audit-routes.ts';
import { registerAuthRoutes } from '../auth/auth-routes.ts';
import type { AuthService } from '../auth/auth-service.ts';
import { registerConsoleSessionRoutes } from '../auth/console-session-routes.ts';
import type { EnvService } from '../env/env-service.ts';
import { registerEnvRoutes } from '../env/env-routes.ts';
import type { EventBus } from '../events/event-bus.ts';
import { registerEventRoutes } from '../events/event-routes.ts';
import type { EventService } from '../events/event-service.ts';
import type { ProductService } from '../events/product-service.ts';
import { registerSseRoutes, type SseOptions } from '../events/sse-routes.ts';
import { registerIntegrationRoutes } from '../integrations/integration-routes.ts';
import type { DeliveryHistoryService } from '../integrations/delivery-history-service.ts';
import type { HostHealthService } from '../integrations/host-health-service.ts';
import type { IntegrationService } from '../integrations/integration-service.ts';
import type { LedgerDefinitionService } from '../ledger/ledger-definition-service.ts';
import type { LedgerInstanceService } from '../ledger/ledger-instance-service.ts';
import { registerLedgerRoutes } from '../ledger/ledger-routes.ts';
import { registerLogicRoutes } from '../logic/logic-routes.ts';
import type { LogicService } from '../logic/logic-service.ts';
import { registerOrgRoutes } from '../orgs/org-routes.ts';
import type { OrgService } from '../orgs/org-service.ts';
import { registerSecretRoutes } from '../secrets/secret-routes.ts';
import type { SecretRotationService } from '../secrets/secret-rotation-service.ts';
import type { SecretService } from '../secrets/secret-service.ts';
import { registerOpenApiRoute } from './openapi/openapi-routes.ts';
import { createScopeResolver } from './scope-fns.ts';

/** Every service the API routes call. */
export interface ApiServices {
  readonly auth: AuthService;
  readonly orgs: OrgService;
  readonly trail: AuditTrailService;
  readonly secrets: SecretService;
  readonly secretRotation: SecretRotationService;
  readonly bus: EventBus;
  readonly events: EventService;
  readonly products: ProductService;
  readonly integrations: IntegrationService;
  readonly deliveryHistory: DeliveryHistoryService;
  readonly hostHealth: HostHealthService;
  readonly logic: LogicService;
  readonly ledgerDefinitions: LedgerDefinitionService;
  readonly ledgerInstances: LedgerInstanceService;
  readonly env: EnvService;
}

export interface ApiRouteOptions {
  readonly now: () => Date;
  readonly secureCookies: boolean;
  /** The public base URL of this server as a client sees it (for `hookUrl`). */
  readonly publicUrl: (req: FastifyRequest) => string;
  readonly sse: SseOptions;
}

/** Registers every API route, in one place, from the modules' services. */
export function registerApiRoutes(app: FastifyInstance, s: ApiServices, opts: ApiRouteOptions): void {
  const scopeOf = createScopeResolver(s.orgs);
  registerAuthRoutes(app, { auth: s.auth, orgs: s.orgs, now: opts.now });
  registerConsoleSessionRoutes(app, { auth: s.auth, orgs: s.orgs, secureCookies: opts.secureCookies });
  registerOrgRoutes(app, { orgs: s.orgs, scopeOf });
  registerSecretRoutes(app, { secrets: s.secrets, rotation: s.secretRotation, scopeOf });
  registerAuditRoutes(app, { trail: s.trail, scopeOf });
  registerEventRoutes(app, { events: s.events, products: s.products, scopeOf });
  registerSseRoutes(app, { bus: s.bus, products: s.products, scopeOf, auth: s.auth, options: opts.sse });
  registerLogicRoutes(app, { logic: s.logic, scopeOf, products: s.products });
  registerLedgerRoutes(app, { definitions: s.ledgerDefinitions, instances: s.ledgerInstances, scopeOf });
  registerEnvRoutes(app, { env: s.env, scopeOf, products: s.products });
  registerIntegrationRoutes(app, { integrations: s.integrations, deliveryHistory: s.deliveryHistory, hostHealth: s.hostHealth, products: s.products, scopeOf, publicUrl: opts.publicUrl });
  registerOpenApiRoute(app);
}
