import type { AppDeps } from '../../core/deps';
import { maskPatientSsn } from '../patients/ssn';
import { withoutWithheld } from '../results/release-rule';

/** The download stops after this many resources: far beyond any real outpatient record, and a bound on memory. */
const MAX_ENTRIES = 20_000;

/**
 * What of the patient's compartment goes into their download (pure): results as the portal releases them, no draft
 * notes (a draft is its author's until signed, as in the notes API), and no AuditEvents — they carry staff account
 * ids and network addresses; the patient's view of them is "who opened my chart".
 */
export function exportable<R extends fhir4.FhirResource>(resources: readonly R[], held: ReadonlySet<string>): R[] {
  return withoutWithheld(resources, held).filter(
    (r) =>
      r.resourceType !== 'AuditEvent' &&
      !(r.resourceType === 'DocumentReference' && r.docStatus === 'preliminary') &&
      !(r.resourceType === 'Composition' && r.status === 'preliminary'),
  );
}

/**
 * The patient's record as a FHIR collection Bundle from HAPI's `Patient/$everything` (every page), filtered by
 * `exportable`, with the SSN masked.
 */
export async function recordBundle(
  deps: Pick<AppDeps, 'fhir'>,
  patientId: string,
  held: ReadonlySet<string>,
): Promise<fhir4.Bundle> {
  const resources: fhir4.FhirResource[] = [];
  let page = await deps.fhir.operation<fhir4.Bundle>(`Patient/${encodeURIComponent(patientId)}/$everything`, {
    query: { _count: 1000 },
  });
  for (;;) {
    for (const e of page.entry ?? []) if (e.resource) resources.push(e.resource);
    const next = page.link?.find((l) => l.relation === 'next')?.url;
    if (!next || resources.length >= MAX_ENTRIES) break;
    page = await deps.fhir.operation<fhir4.Bundle>('', { query: Object.fromEntries(new URL(next).searchParams) });
  }
  const kept = exportable(resources, held).map((r) => (r.resourceType === 'Patient' ? maskPatientSsn(r) : r));
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: new Date().toISOString(),
    entry: kept.map((resource) => ({ fullUrl: `${resource.resourceType}/${resource.id}`, resource })),
  };
}
