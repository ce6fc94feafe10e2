import type { Router } from 'express';
import type { AppDeps } from '../core/deps';
import { breakGlassRouter } from './access/break-glass.router';
import { auditRouter } from './audit/audit.router';
import { authRouter } from './auth/auth.router';
import { systemRouter } from './system/system.router';
import { usersRouter } from './users/users.router';

/** Every business module's router, in mount order. A new module adds one line here. */
export function moduleRouters(deps: AppDeps): Router[] {
  return [
    systemRouter(deps),
    authRouter(deps),
    usersRouter(deps),
    breakGlassRouter(deps),
    auditRouter(deps),
  ];
}
