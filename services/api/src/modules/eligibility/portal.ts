import type { PortalCoverage } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { latestByCoverage, portalCoverageItem } from './portal-view';

/** Reads what the portal's coverage card shows: the patient's Coverages, their payers and the latest answers. */
export async function portalCoverage(deps: Pick<AppDeps, 'fhir'>, patientId: string): Promise<PortalCoverage> {
  const [coverages, answers] = await Promise.all([
    deps.fhir.searchResources('Coverage', { beneficiary: `Patient/${patientId}`, _count: 20 }),
    deps.fhir.search('CoverageEligibilityResponse', {
      patient: `Patient/${patientId}`,
      _include: 'CoverageEligibilityResponse:request',
      _sort: '-_lastUpdated',
      _count: 50,
    }),
  ]);
  const responses: fhir4.CoverageEligibilityResponse[] = [];
  const requests = new Map<string, fhir4.CoverageEligibilityRequest>();
  for (const e of answers.entry ?? []) {
    const r = e.resource as fhir4.FhirResource | undefined;
    if (r?.resourceType === 'CoverageEligibilityResponse') responses.push(r);
    else if (r?.resourceType === 'CoverageEligibilityRequest' && r.id) requests.set(r.id, r);
  }
  const latest = latestByCoverage(responses, requests);
  const payerIds = [
    ...new Set(coverages.map((c) => idFromReference(c.payor?.[0]?.reference, 'Organization')).filter(Boolean)),
  ] as string[];
  const payers = new Map(
    (payerIds.length
      ? await deps.fhir.searchResources('Organization', { _id: payerIds.join(','), _count: payerIds.length })
      : []
    ).map((o) => [o.id!, o]),
  );
  // Cancelled or entered-in-error coverage is not the patient's insurance any more.
  const shown = coverages.filter((c) => c.status === 'active' || c.status === 'draft');
  return {
    coverages: shown.map((c) =>
      portalCoverageItem(
        c,
        payers.get(idFromReference(c.payor?.[0]?.reference, 'Organization') ?? ''),
        latest.get(c.id!),
      ),
    ),
  };
}
