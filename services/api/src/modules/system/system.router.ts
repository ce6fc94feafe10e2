import { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { buildOpenApi } from '../../core/http/openapi';
import { appRoutes } from '../../core/http/route';

const SERVICE_VERSION = process.env.npm_package_version ?? '0.1.0';

/** Non-PHI facts about the running system, and the OpenAPI document generated from the route contracts. */
export function systemRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/api/system/info', async (_req, res) => {
    const cs = await deps.fhir.capabilities();
    res.json({
      service: { name: 'wintehr-api', version: SERVICE_VERSION },
      fhir: { fhirVersion: cs.fhirVersion, software: cs.software?.name, softwareVersion: cs.software?.version },
    });
  });
  let openapi: unknown;
  router.get('/api/openapi.json', (req, res) => {
    // Routes are all mounted before the first request, so the document is built once.
    openapi ??= buildOpenApi(deps.config.publicBaseUrl, appRoutes(req.app));
    res.json(openapi);
  });
  return router;
}
