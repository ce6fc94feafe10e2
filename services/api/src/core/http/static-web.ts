import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Serves the built web app; unknown non-API paths fall back to index.html for client-side routing. */
export function staticWeb(distDir: string | undefined): Router {
  const router = Router();
  if (!distDir || !existsSync(path.join(distDir, 'index.html'))) return router;
  router.use(express.static(distDir, { index: 'index.html', maxAge: '1h' }));
  router.get(/^\/(?!api\/|fhir\/|fhir$|health\/|metrics$|cds-services|\.well-known\/).*/, (_req, res) => {
    res.sendFile(path.join(distDir, 'index.html'));
  });
  return router;
}
