import type { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { dicomwebRouter } from './dicomweb.router';
import { imagingRouter } from './imaging.router';
import { OrthancClient } from './orthanc-client';

/** The imaging module's routers over one Orthanc connection pool, closed with the app. */
export function imagingRouters(deps: AppDeps): Router[] {
  const orthanc = new OrthancClient(deps.config.imaging);
  deps.onClose(() => orthanc.close());
  const d = { ...deps, orthanc };
  return [imagingRouter(d), dicomwebRouter(d)];
}
