import type { Router } from 'express';
import type { AppDeps } from '../core/deps';
import type { RealtimeChannel } from '../core/realtime';
import type { GateWriteHook } from './fhir-gate/write-hooks';
import type { ReleaseProvider, ReleaseView } from './fhir-gate/resource-check';
import { drugSafetyGateHook } from './drug-safety/fhir-gate-hook';
import { breakGlassRouter } from './access/break-glass.router';
import { auditRouter } from './audit/audit.router';
import { authRouter } from './auth/auth.router';
import { systemRouter } from './system/system.router';
import { usersRouter } from './users/users.router';
import { smartRouter } from './smart/smart.router';
import { smartDemoRouter } from './smart-demo/smart-demo.router';
import { patientsRouter } from './patients/patients.router';
import { chartRouter } from './chart/chart.router';
import { nursingRouter } from './nursing/nursing.router';
import { notesRouter } from './documentation/notes.router';
import { drugSafetyRouter } from './drug-safety/drug-safety.router';
import { cdsAdminRouter } from './cds-hooks/cds-admin.router';
import { medicationsRouter } from './medications/medications.router';
import { ordersRouter } from './orders/orders.router';
import { resultsRouter } from './results/results.router';
import { startCriticalResults } from './results/critical-runtime';
import { patientRelease } from './results/patient-release';
import { eprescribingRouter } from './eprescribing/erx.router';
import { erxOutbox } from './eprescribing/outbox';
import { registerErxGauges } from './eprescribing/erx-metrics';
import { pharmacyRouter } from './pharmacy/pharmacy.router';
import { pharmacyInventoryRouter } from './pharmacy/inventory.router';
import { pharmacyRealtime } from './pharmacy/pharmacy.realtime';
import { startDemoInventory } from './pharmacy/demo-inventory';
import { eligibilityRouter } from './eligibility/eligibility.router';
import { inbasketRouter } from './inbasket/inbasket.router';
import { inbasketRealtime } from './inbasket/inbasket.realtime';
import { scheduleRouter } from './schedule/schedule.router';
import { eligibilityBatchRouter } from './eligibility/batch.router';
import { startEligibilityBatch } from './eligibility/batch-scheduler';
import { imagingRouters } from './imaging/imaging.module';
import { portalRouter } from './portal/portal.router';
import { resultHoldsRouter } from './portal/holds.router';
import { portalAccountsRouter } from './portal-accounts/portal-accounts.router';
import { appointmentsRouter } from './appointments/appointments.router';
import { appointmentsRealtime } from './appointments/appointments.realtime';
import { startAppointments } from './appointments/appointments.module';
import { proxyAccessRouter } from './proxy-access/proxy-access.router';
import { startDemoProxies } from './proxy-access/demo-proxies';

/**
 * What each business module plugs into the app: its routers (mounted in this order behind authentication), its
 * real-time channel, and the hooks the FHIR gate runs on MedicationRequest writes. The app and main.ts read this list; nothing registers itself into a process-wide global.
 * A new module adds one entry here.
 */
export interface AppModule {
  name: string;
  routers?: (deps: AppDeps) => Router[];
  realtime?: RealtimeChannel;
  fhirWriteHooks?: readonly GateWriteHook[];
  /** What of a patient's results the patient may read through the FHIR gate (one module provides it: results). */
  patientRelease?: (deps: AppDeps, patientId: string) => Promise<ReleaseView>;
  /** Background work beside the routes (queue workers, timers), started with the app; it stops on `deps.onClose`. */
  start?: (deps: AppDeps) => void;
}

export const APP_MODULES: readonly AppModule[] = [
  { name: 'system', routers: (d) => [systemRouter(d)] },
  { name: 'auth', routers: (d) => [authRouter(d)] },
  { name: 'smart', routers: (d) => [smartRouter(d), smartDemoRouter(d)] },
  { name: 'users', routers: (d) => [usersRouter(d)] },
  { name: 'access', routers: (d) => [breakGlassRouter(d)] },
  { name: 'audit', routers: (d) => [auditRouter(d)] },
  { name: 'patients', routers: (d) => [patientsRouter(d)] },
  { name: 'chart', routers: (d) => [chartRouter(d)] },
  { name: 'nursing', routers: (d) => [nursingRouter(d)] },
  { name: 'documentation', routers: (d) => [notesRouter(d)] },
  // SMART apps' MedicationRequest writes through /fhir get the same screening as the prescribe path.
  { name: 'drug-safety', routers: (d) => [drugSafetyRouter(d)], fhirWriteHooks: [drugSafetyGateHook] },
  { name: 'cds-hooks', routers: (d) => [cdsAdminRouter(d)] },
  { name: 'medications', routers: (d) => [medicationsRouter(d)] },
  { name: 'orders', routers: (d) => [ordersRouter(d)] },
  {
    name: 'results',
    routers: (d) => [resultsRouter(d)],
    // Critical values reach HAPI by several roads; the sweep puts each on the worklist and the escalation clock.
    start: (d) => startCriticalResults(d),
    patientRelease,
  },
  {
    name: 'eprescribing',
    routers: (d) => [eprescribingRouter(d)],
    // The outbox worker delivers queued NewRx/CancelRx messages to the network (off where ERX_WORKER=false).
    start: (d) => {
      registerErxGauges(d);
      if (d.config.erx.worker) erxOutbox(d).startWorker();
      d.onClose(() => erxOutbox(d).close());
    },
  },
  {
    name: 'pharmacy',
    routers: (d) => [pharmacyRouter(d), pharmacyInventoryRouter(d)],
    realtime: pharmacyRealtime,
    start: (d) => startDemoInventory(d),
  },
  {
    name: 'eligibility',
    routers: (d) => [eligibilityRouter(d), eligibilityBatchRouter(d)],
    // The nightly batch for tomorrow's appointments (off under NODE_ENV=test or ELIGIBILITY_BATCH=false).
    start: (d) => {
      const cfg = d.config.eligibility.batch;
      if (cfg.enabled) d.onClose(startEligibilityBatch(d, cfg, d.config.clinical.timeZone));
    },
  },
  { name: 'inbasket', routers: (d) => [inbasketRouter(d)], realtime: inbasketRealtime },
  { name: 'schedule', routers: (d) => [scheduleRouter(d)] },
  // DICOM upload into Orthanc, the chart's studies, radiology reports, sharing, and the /dicomweb proxy.
  { name: 'imaging', routers: (d) => imagingRouters(d) },
  // The patient portal's own reads and the clinicians' result holds (Cures Act exceptions) that keep results out of it.
  { name: 'portal', routers: (d) => [portalRouter(d), resultHoldsRouter(d)] },
  // Portal accounts: invitation by the practice, activation, password reset (sign-in codes live in auth).
  { name: 'portal-accounts', routers: (d) => [portalAccountsRouter(d)] },
  // Patient self-scheduling: free slots, book/cancel/reschedule, reminders, and the practice's live schedule.
  {
    name: 'appointments',
    routers: (d) => [appointmentsRouter(d)],
    realtime: appointmentsRealtime,
    start: (d) => startAppointments(d),
  },
  // A parent, guardian or caregiver acting for another patient in the portal; demo mode grants the demo guardian.
  { name: 'proxy-access', routers: (d) => [proxyAccessRouter(d)], start: (d) => startDemoProxies(d) },
];

/** Every module's routers, in mount order. */
export const moduleRouters = (deps: AppDeps, modules: readonly AppModule[] = APP_MODULES): Router[] =>
  modules.flatMap((m) => m.routers?.(deps) ?? []);

/** Starts every module's background work (createApp does this once per app). */
export const startModules = (deps: AppDeps, modules: readonly AppModule[] = APP_MODULES): void => {
  for (const m of modules) m.start?.(deps);
};

/** Every module's FHIR gate write hooks, in module order. */
export const fhirWriteHooks = (modules: readonly AppModule[] = APP_MODULES): GateWriteHook[] =>
  modules.flatMap((m) => m.fhirWriteHooks ?? []);

/** Every module's real-time channel. */
export const realtimeChannels = (modules: readonly AppModule[] = APP_MODULES): RealtimeChannel[] =>
  modules.flatMap((m) => (m.realtime ? [m.realtime] : []));

/** The release rule the FHIR gate applies to patients reading results (none without a results module). */
export function resultReleaseOf(
  deps: AppDeps,
  modules: readonly AppModule[] = APP_MODULES,
): ReleaseProvider | undefined {
  const provider = modules.find((m) => m.patientRelease)?.patientRelease;
  return provider && ((patientId) => provider(deps, patientId));
}
