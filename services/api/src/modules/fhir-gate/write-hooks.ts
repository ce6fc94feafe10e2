/**
 * Extension point for writes that arrive through the FHIR gate. The gate calls every registered hook, in order,
 * for each MedicationRequest it is about to create or update (also inside batch/transaction bundles), after its
 * own scope and compartment checks. A hook refuses by throwing an AppError (e.g. forbidden or unprocessable),
 * which the gate returns as an OperationOutcome; it may not change the resource.
 *
 * The list starts empty: main.ts registers the drug-safety hook at start-up (`registerDrugSafetyGateHook()`,
 * modules/drug-safety/fhir-gate-hook.ts); tests that need it register it themselves.
 */
import type { AppDeps } from '../../core/deps';
import type { GateToken } from './gate-token';

export interface GateWriteContext {
  deps: AppDeps;
  token: GateToken;
  interaction: 'create' | 'update';
  resource: fhir4.MedicationRequest;
  requestId?: string;
}

export type GateWriteHook = (ctx: GateWriteContext) => Promise<void> | void;

export const gateWriteHooks: GateWriteHook[] = [];

export async function runWriteHooks(ctx: GateWriteContext): Promise<void> {
  for (const hook of gateWriteHooks) await hook(ctx);
}
