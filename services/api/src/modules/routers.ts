import type { Router } from 'express';
import type { AppDeps } from '../core/deps';
import { breakGlassRouter } from './access/break-glass.router';
import { auditRouter } from './audit/audit.router';
import { authRouter } from './auth/auth.router';
import { systemRouter } from './system/system.router';
import { usersRouter } from './users/users.router';
import { smartRouter } from './smart/smart.router';
import { smartDemoRouter } from './smart-demo/smart-demo.router';
import { patientsRouter } from './patients/patients.router';
import { chartRouter } from './chart/chart.router';
import { notesRouter } from './documentation/notes.router';
import { drugSafetyRouter } from './drug-safety/drug-safety.router';
import { cdsAdminRouter } from './cds-hooks/cds-admin.router';
import { medicationsRouter } from './medications/medications.router';
import { ordersRouter } from './orders/orders.router';
import { resultsRouter } from './results/results.router';
import { eprescribingRouter } from './eprescribing/erx.router';
import { pharmacyRouter } from './pharmacy/pharmacy.router';
import { pharmacyInventoryRouter } from './pharmacy/inventory.router';

/** Every business module's router, in mount order. A new module adds one line here. */
export function moduleRouters(deps: AppDeps): Router[] {
  return [
    systemRouter(deps),
    authRouter(deps),
    smartRouter(deps),
    smartDemoRouter(deps),
    usersRouter(deps),
    breakGlassRouter(deps),
    auditRouter(deps),
    patientsRouter(deps),
    chartRouter(deps),
    notesRouter(deps),
    drugSafetyRouter(deps),
    cdsAdminRouter(deps),
    medicationsRouter(deps),
    ordersRouter(deps),
    resultsRouter(deps),
    eprescribingRouter(deps),
    pharmacyRouter(deps),
    pharmacyInventoryRouter(deps),
  ];
}
