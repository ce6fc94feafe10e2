import type { AppDeps } from '../../core/deps';
import { holdsRepository } from './holds.repository';
import { isReleased, withoutWithheld } from './release-rule';

export interface PatientRelease {
  report(r: fhir4.DiagnosticReport): boolean;
  observations(obs: readonly fhir4.Observation[]): fhir4.Observation[];
}

/**
 * A patient reading their own results through the clinical routes sees what the portal shows, no more: results
 * released on final, none under a hold, no value of a withheld report (Cures Act rule, see release-rule.ts).
 */
export async function patientRelease(deps: AppDeps, patientId: string): Promise<PatientRelease> {
  const [held, reports] = await Promise.all([
    holdsRepository.heldReportIds(deps.pg, patientId),
    deps.fhir.searchAll(
      'DiagnosticReport',
      { subject: `Patient/${patientId}`, _elements: 'status,result', _count: 1000 },
      20_000,
    ),
  ]);
  return {
    report: (r) => isReleased(r, held),
    observations: (obs) =>
      withoutWithheld<fhir4.DiagnosticReport | fhir4.Observation>([...reports, ...obs], held).filter(
        (r): r is fhir4.Observation => r.resourceType === 'Observation',
      ),
  };
}
