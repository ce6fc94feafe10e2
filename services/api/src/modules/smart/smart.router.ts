import { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { authorizeRouter } from './authorize.router';
import { smartClientsRouter } from './clients.router';
import { ensureDemoClient } from './demo-client';
import { oauthRouter } from './oauth.router';

/** The SMART App Launch 2.x authorization server: discovery, authorize, token, introspect, revoke, clients, EHR launch. */
export function smartRouter(deps: AppDeps): Router {
  if (deps.config.demoMode) void ensureDemoClient(deps.pg, deps.config.publicBaseUrl, deps.logger);
  const r = Router();
  r.use(oauthRouter(deps));
  r.use(authorizeRouter(deps));
  r.use(smartClientsRouter(deps));
  return r;
}
