import { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { checkReadiness } from './health.service';

export function healthRouter(deps: AppDeps): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/health/ready', async (_req, res) => {
    const readiness = await checkReadiness(deps);
    res.status(readiness.status === 'ready' ? 200 : 503).json(readiness);
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
