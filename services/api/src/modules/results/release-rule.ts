/**
 * 21st Century Cures Act: a result reaches the patient as soon as it is final, with no clinician review first. Only a
 * named information-blocking exception (a hold) keeps a final result back; preliminary or cancelled ones never show.
 */
const RELEASED_STATUSES = new Set(['final', 'amended', 'corrected']);
const REPORT_STATUSES: ReadonlyArray<fhir4.DiagnosticReport['status']> = [
  'registered',
  'partial',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'appended',
  'cancelled',
  'entered-in-error',
  'unknown',
];
/** Every other DiagnosticReport status: a report in one of these keeps its values from the patient. */
export const UNRELEASED_STATUSES = REPORT_STATUSES.filter((s) => !RELEASED_STATUSES.has(s));

export const isReleasedStatus = (status: string | undefined): boolean => !!status && RELEASED_STATUSES.has(status);

export function isReleased(report: Pick<fhir4.DiagnosticReport, 'id' | 'status'>, heldReportIds: ReadonlySet<string>) {
  return isReleasedStatus(report.status) && !!report.id && !heldReportIds.has(report.id);
}

/**
 * What of a set of FHIR resources may go to the patient: drops reports that are not released and every Observation a
 * withheld report points at, so a held value cannot leak through the bundle download or a trend.
 */
export function withoutWithheld<R extends fhir4.FhirResource>(resources: readonly R[], held: ReadonlySet<string>): R[] {
  const withheldObservations = new Set<string>();
  for (const r of resources)
    if (r.resourceType === 'DiagnosticReport' && !isReleased(r, held))
      for (const x of r.result ?? []) if (x.reference) withheldObservations.add(x.reference);
  return resources.filter((r) => {
    if (r.resourceType === 'DiagnosticReport') return isReleased(r, held);
    if (r.resourceType === 'Observation') {
      if (withheldObservations.has(`Observation/${r.id}`)) return false;
      // A lab value filed without a report follows the same rule on its own status.
      const lab = r.category?.some((c) => c.coding?.some((k) => k.code === 'laboratory'));
      return !lab || isReleasedStatus(r.status);
    }
    return true;
  });
}
