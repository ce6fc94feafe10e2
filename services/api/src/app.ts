import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { authenticate } from './core/auth/authenticate';
import type { AppDeps } from './core/deps';
import { accessLog } from './core/http/access-log';
import { deniedAudit } from './core/http/denied-audit';
import { errorHandler, notFoundHandler } from './core/http/error-handler';
import { httpMetrics } from './core/http/metrics-middleware';
import { requestId } from './core/http/request-id';
import { routeContracts } from './core/http/route';
import { staticWeb } from './core/http/static-web';
import { fhirGate } from './modules/fhir-gate/fhir-gate.router';
import { healthRouter } from './modules/health/health.router';
import {
  APP_MODULES,
  fhirWriteHooks,
  moduleRouters,
  resultReleaseOf,
  startModules,
  type AppModule,
} from './modules/manifest';
import { cdsServicesRouter } from './modules/cds-hooks/cds-services.router';

export function createApp(deps: AppDeps, modules: readonly AppModule[] = APP_MODULES): Express {
  const app = express();
  app.disable('x-powered-by');
  // Which proxies may name the client in X-Forwarded-For (TRUST_PROXY; off: the header is ignored, not forgeable).
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'extended');

  app.use(requestId);
  app.use(accessLog(deps.logger));
  app.use(httpMetrics(deps.metrics));
  app.use(helmet());
  // The FHIR gate reads request bodies itself and sets its own (open, token-only) CORS: before cors and express.json.
  app.use('/fhir', fhirGate(deps, { writeHooks: fhirWriteHooks(modules), releaseOf: resultReleaseOf(deps, modules) }));
  // CDS Hooks: open CORS and its own client-JWT auth, so it goes before the allowlist CORS and user-token auth.
  app.use(cdsServicesRouter(deps));
  app.use(
    cors({
      origin: (origin, cb) => cb(null, !origin || deps.config.corsOrigins.includes(origin)),
      credentials: true,
      exposedHeaders: ['X-Request-ID', 'ETag', 'Location', 'Retry-After'],
    }),
  );
  app.use(
    express.json({
      limit: deps.config.bodyLimit,
      type: ['application/json', 'application/fhir+json', 'application/*+json'],
    }),
  );

  app.use(healthRouter(deps));
  app.use(authenticate(deps.tokens, deps.pg));
  const routers = moduleRouters(deps, modules);
  app.locals.routes = routers.flatMap(routeContracts);
  for (const router of routers) app.use(router);
  startModules(deps, modules);
  app.use(staticWeb(deps.config.webDistDir));

  app.use(notFoundHandler);
  app.use(deniedAudit(deps.audit));
  app.use(errorHandler(deps.logger));
  return app;
}
