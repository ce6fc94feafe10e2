import type { AppDeps } from '../../core/deps';
import { moduleConfig } from './appointments.router';
import { appointmentReminders } from './reminders';
import { startSlotSupply } from './slot-supply';

/** The module's background work: the rolling slot horizon (where enabled) and the reminder worker. */
export function startAppointments(deps: AppDeps): void {
  const cfg = moduleConfig(deps);
  if (cfg.slotSupply) startSlotSupply(deps, cfg);
  appointmentReminders(deps, cfg).startWorker();
}
