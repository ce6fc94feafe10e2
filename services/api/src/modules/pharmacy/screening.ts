import type { AppDeps } from '../../core/deps';
import { checkMedicationSafety } from '../drug-safety';
import { findingView, type FindingView } from '../drug-safety/drug-safety.service';
import { loadPatientSafetyContext, medRefOf, type PatientSafetyContext } from '../drug-safety/patient-safety-context';
import { sharedDrugKnowledgeBase } from '../drug-safety/shared-kb';

/**
 * The pharmacist's re-screen: the prescription against the patient's CURRENT chart (active medications,
 * allergies, age, renal function), with the prescription itself removed from the active list so it is not
 * reported as a duplicate of itself.
 */
export function screenAgainst(mr: fhir4.MedicationRequest, ctx: PatientSafetyContext): FindingView[] {
  const self = `MedicationRequest/${mr.id}`;
  const findings = checkMedicationSafety(sharedDrugKnowledgeBase(), {
    proposed: [medRefOf(mr)],
    active: ctx.active.filter((m) => m.id !== self),
    allergies: ctx.allergies,
    patient: ctx.patient,
  });
  return findings.map(findingView);
}

export async function screenPrescription(
  deps: Pick<AppDeps, 'fhir'>,
  mr: fhir4.MedicationRequest,
  patientId: string,
  now = new Date(),
): Promise<FindingView[]> {
  return screenAgainst(mr, await loadPatientSafetyContext(deps.fhir, patientId, now));
}
