import { Router } from 'express';
import type { AppDeps } from '../../core/deps';

const SERVICE_VERSION = process.env.npm_package_version ?? '0.1.0';

/** Non-PHI facts about the running system; also the simplest API call that depends on HAPI. */
export function systemRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/api/system/info', async (_req, res) => {
    const cs = await deps.fhir.capabilities();
    res.json({
      service: { name: 'wintehr-api', version: SERVICE_VERSION },
      fhir: { fhirVersion: cs.fhirVersion, software: cs.software?.name, softwareVersion: cs.software?.version },
    });
  });
  return router;
}
