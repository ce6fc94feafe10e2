/**
 * Extension point for writes that arrive through the FHIR gate. The gate calls the hooks its app was built with
 * (modules declare them in their manifest entry), in order, for each MedicationRequest it is about to create or
 * update (also inside batch/transaction bundles), after its own scope, compartment and reference checks. A hook
 * refuses by throwing an AppError (e.g. forbidden or unprocessable), which the gate returns as an
 * OperationOutcome; it may not change the resource, but it may warn: the write goes ahead and the warning goes
 * back with the answer (a `Warning` header, the OperationOutcome of `Prefer: return=OperationOutcome`, or the
 * bundle entry's `response.outcome`).
 */
import type { AppDeps } from '../../core/deps';
import type { GateToken } from './gate-token';

export interface GateWriteContext {
  deps: AppDeps;
  token: GateToken;
  interaction: 'create' | 'update';
  resource: fhir4.MedicationRequest;
  requestId?: string;
  warn(issue: fhir4.OperationOutcomeIssue): void;
}

export type GateWriteHook = (ctx: GateWriteContext) => Promise<void> | void;

export async function runWriteHooks(hooks: readonly GateWriteHook[], ctx: GateWriteContext): Promise<void> {
  for (const hook of hooks) await hook(ctx);
}
