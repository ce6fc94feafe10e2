/**
 * The FHIR gate's MedicationRequest writes screened by the drug-safety engine: a SMART app that creates or
 * updates a MedicationRequest conflicting with the chart (contraindicated or major interaction, drug-allergy
 * conflict, major duplicate) gets a 422 OperationOutcome, one `business-rule` issue per blocking finding, unless a
 * prescriber overrides (gate-write-policy.ts). A drug the knowledge base cannot resolve is written with a visible
 * "not checked" warning, as the business API does. Declared in the drug-safety module's manifest entry.
 */
import { allows } from '../../core/auth/smart-scopes';
import { hasPermission } from '@wintehr/contracts';
import { AppError } from '../../core/errors';
import type { GateWriteContext, GateWriteHook } from '../fhir-gate/write-hooks';
import { checkMedicationSafety } from './check';
import { fhirShapeProblems } from './fhir-shape';
import {
  decideGateWrite,
  overrideKeyOf,
  overrideOf,
  REFUSAL_MESSAGES,
  refusalIssues,
  UNSCREENED_STATUSES,
} from './gate-write-policy';
import { loadPatientSafetyContext, medRefOf } from './patient-safety-context';
import { sharedDrugKnowledgeBase } from './shared-kb';

const PATIENT_REF = /^(?:.*\/)?Patient\/([A-Za-z0-9\-.]{1,64})$/;
const MEDICATION_REF = /^(?:.*\/)?(Medication\/[A-Za-z0-9\-.]{1,64})$/;

const isNotFound = (err: unknown) => err instanceof AppError && (err.status === 404 || err.status === 410);

const sameDrug = (a: fhir4.MedicationRequest, b: fhir4.MedicationRequest) =>
  JSON.stringify([a.medicationCodeableConcept ?? null, a.medicationReference?.reference ?? null]) ===
  JSON.stringify([b.medicationCodeableConcept ?? null, b.medicationReference?.reference ?? null]);

/**
 * An update that keeps the drug of an order that is already in force adds nothing to the chart, so it is not
 * re-screened (a note, a hold, a refill change); re-activating a stopped order or changing the drug is.
 */
async function addsNothing(ctx: GateWriteContext): Promise<boolean> {
  const id = ctx.resource.id;
  if (ctx.interaction !== 'update' || !id) return false;
  try {
    const current = await ctx.deps.fhir.read('MedicationRequest', id);
    return !UNSCREENED_STATUSES.has(current.status) && sameDrug(current, ctx.resource);
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** The Medication a request points at, when it is a stored one (contained ones are resolved by medRefOf). */
async function referencedMedication(ctx: GateWriteContext): Promise<Map<string, fhir4.Medication>> {
  const ref = MEDICATION_REF.exec(ctx.resource.medicationReference?.reference ?? '')?.[1];
  if (!ref) return new Map();
  try {
    return new Map([[ref, await ctx.deps.fhir.read('Medication', ref.slice('Medication/'.length))]]);
  } catch (err) {
    // An unknown Medication leaves the order unresolved: the engine reports it as not screened, it does not block.
    if (isNotFound(err)) return new Map();
    throw err;
  }
}

export const drugSafetyGateHook: GateWriteHook = async (ctx) => {
  const mr = ctx.resource;
  const problems = fhirShapeProblems(mr, 'MedicationRequest');
  if (problems.length) {
    throw new AppError(400, 'VALIDATION_ERROR', 'MedicationRequest does not have the expected structure', {
      issues: problems.map((p): fhir4.OperationOutcomeIssue => ({
        severity: 'error',
        code: 'structure',
        diagnostics: p.message,
        expression: [p.field],
      })),
    });
  }
  if (UNSCREENED_STATUSES.has(mr.status)) return;
  const patientId = PATIENT_REF.exec(mr.subject?.reference ?? '')?.[1];
  // A Group subject has no single chart to screen against; HAPI rejects a missing subject itself.
  if (!patientId) return;
  if (await addsNothing(ctx)) return;

  const [medications, chart] = await Promise.all([
    referencedMedication(ctx),
    loadPatientSafetyContext(ctx.deps.fhir, patientId).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    }),
  ]);
  if (!chart) return; // the subject does not exist: HAPI's referential integrity answers that write
  const self = mr.id ? `MedicationRequest/${mr.id}` : undefined;
  const findings = checkMedicationSafety(sharedDrugKnowledgeBase(), {
    proposed: [medRefOf(mr, medications)],
    active: chart.active.filter((m) => m.id !== self),
    allergies: chart.allergies,
    patient: chart.patient,
  });

  // A drug the knowledge base cannot resolve is written, but never silently: "not checked" goes back with the answer.
  for (const f of findings) {
    if (f.kind === 'unable-to-screen' && f.subject === 'medication' && f.drug?.role === 'proposed') {
      ctx.warn({
        severity: 'warning',
        code: 'incomplete',
        details: {
          coding: [{ system: 'urn:wintehr:drug-safety', code: 'not-checked' }],
          text: `Not checked: ${f.message}`,
        },
        diagnostics: `Not checked: ${f.message}`,
        expression: ['MedicationRequest.medication'],
      });
    }
  }
  const { token } = ctx;
  const role = token.principal?.role;
  const decision = decideGateWrite(findings, overrideOf(mr), !!role && hasPermission(role, 'medication:prescribe'));
  if (decision.outcome === 'refuse') {
    const canRead = {
      allergies: allows(token.scopes, token.mode, 'AllergyIntolerance', 'r').length > 0,
      medications: allows(token.scopes, token.mode, 'MedicationRequest', 'r').length > 0,
    };
    throw new AppError(422, `MEDICATION_SAFETY_${decision.reason}`, REFUSAL_MESSAGES[decision.reason], {
      issues: refusalIssues(decision.blocking, canRead),
    });
  }
  if (decision.overridden.length) {
    // Rule codes only: the override reason is free text and stays on the resource.
    ctx.deps.audit.record({
      action: 'fhir.medication-safety-override',
      outcome: 'success',
      patientId,
      resourceType: 'MedicationRequest',
      ...(mr.id ? { resourceId: mr.id } : {}),
      ...(token.ctx.userId ? { userId: token.ctx.userId } : {}),
      ...(role ? { role } : {}),
      clientId: token.ctx.clientId,
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      details: { interaction: ctx.interaction, rules: [...new Set(decision.overridden.map(overrideKeyOf))].sort() },
    });
  }
};
