import type { AppDeps } from '../../core/deps';
import { holdsRepository } from './holds.repository';
import type { ReleaseView } from '../fhir-gate/resource-check';
import { isReleased, UNRELEASED_STATUSES, withoutWithheld } from './release-rule';

/**
 * A patient reading their own results through the clinical routes sees what the portal shows, no more: results
 * released on final, none under a hold, no value of a withheld report (Cures Act rule, see release-rule.ts).
 */
export async function patientRelease(deps: AppDeps, patientId: string): Promise<ReleaseView> {
  // Only withheld reports matter: the not-final ones and the held ones, not the patient's whole history of reports.
  const elements = 'status,result';
  const held = await holdsRepository.heldReportIds(deps.pg, patientId);
  const [unreleased, heldReports] = await Promise.all([
    deps.fhir.searchAll(
      'DiagnosticReport',
      { subject: `Patient/${patientId}`, status: UNRELEASED_STATUSES.join(','), _elements: elements, _count: 1000 },
      20_000,
    ),
    deps.fhir.readMany('DiagnosticReport', held, { elements }),
  ]);
  const reports = [...unreleased, ...heldReports.values()];
  return {
    report: (r) => isReleased(r, held),
    observations: (obs) =>
      withoutWithheld<fhir4.DiagnosticReport | fhir4.Observation>([...reports, ...obs], held).filter(
        (r): r is fhir4.Observation => r.resourceType === 'Observation',
      ),
  };
}
