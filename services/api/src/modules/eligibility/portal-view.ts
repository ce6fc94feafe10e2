import type { PortalCoverageItem } from '@wintehr/contracts';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { X12_EB01_SYSTEM, X12_SERVICE_TYPE_SYSTEM } from './fhir-records';

/**
 * A patient's own coverage in plain words for the portal: which plan, whether the payer last confirmed it, and the
 * few amounts people ask about (office visit copay, deductible, out-of-pocket maximum, coinsurance), in network. Pure:
 * from the stored Coverage, payer Organization and latest CoverageEligibilityResponse.
 */
const COPAY_LABEL: Record<string, string> = {
  '98': 'Office visit copay',
  UC: 'Urgent care copay',
  '86': 'Emergency room copay',
  MH: 'Mental health visit copay',
};

const money = (n: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: n % 1 ? 2 : 0 }).format(
    n,
  );

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

export function highlights(r: fhir4.CoverageEligibilityResponse | undefined): string[] {
  const out: string[] = [];
  for (const item of r?.insurance?.[0]?.item ?? []) {
    const inNetwork = item.network?.coding?.[0]?.code !== 'out';
    if (!inNetwork) continue;
    const service = item.category?.coding?.find((c) => c.system === X12_SERVICE_TYPE_SYSTEM)?.code;
    const annual = item.term?.coding?.[0]?.code === 'annual';
    for (const b of item.benefit ?? []) {
      const code = b.type.coding?.find((c) => c.system === X12_EB01_SYSTEM)?.code;
      const amount = b.allowedMoney?.value;
      if (code === 'B' && amount !== undefined && service && COPAY_LABEL[service])
        out.push(
          `${COPAY_LABEL[service]}: ${money(amount)}${item.authorizationRequired ? ' (needs prior approval)' : ''}`,
        );
      else if (code === 'C' && annual && amount !== undefined) out.push(`Yearly deductible: ${money(amount)}`);
      else if (code === 'G' && annual && amount !== undefined)
        out.push(`Yearly out-of-pocket maximum: ${money(amount)}`);
      else if (code === 'A' && b.allowedString) out.push(`After the deductible you pay ${b.allowedString} of the cost`);
    }
  }
  return [...new Set(out)];
}

function stateOf(r: fhir4.CoverageEligibilityResponse | undefined): PortalCoverageItem['eligibility'] {
  if (!r) return 'never-checked';
  if (r.outcome === 'error') return 'error';
  const inforce = r.insurance?.[0]?.inforce;
  return inforce === true ? 'active' : inforce === false ? 'inactive' : 'unknown';
}

function summaryOf(state: PortalCoverageItem['eligibility'], payer: string, r?: fhir4.CoverageEligibilityResponse) {
  const when = r?.created ? ` on ${longDate(r.created)}` : '';
  switch (state) {
    case 'active':
      return `${payer} confirmed your coverage is active${when}.`;
    case 'inactive':
      return `${payer} said your coverage was not active${when}. Please bring your current insurance card to your next visit.`;
    case 'error':
      return `We could not confirm your coverage with ${payer}${when}. Our front desk will check it again.`;
    case 'unknown':
      return `${payer} answered${when} without confirming whether your coverage is active.`;
    default:
      return `Your coverage with ${payer} has not been checked yet. We check it before your visits.`;
  }
}

export function portalCoverageItem(
  coverage: fhir4.Coverage,
  payer: fhir4.Organization | undefined,
  latest: fhir4.CoverageEligibilityResponse | undefined,
): PortalCoverageItem {
  const payerName = payer?.name ?? coverage.payor?.[0]?.display ?? 'Your insurer';
  const plan =
    coverage.class?.find((c) => c.type.coding?.some((x) => x.code === 'plan'))?.name ??
    latest?.insurance?.[0]?.item?.find((i) => i.description)?.description?.split(' · ')[1];
  const eligibility = stateOf(latest);
  return {
    coverageId: coverage.id!,
    payerName,
    ...(plan ? { plan } : {}),
    ...(coverage.subscriberId ? { memberId: coverage.subscriberId } : {}),
    status: coverage.status,
    summary: summaryOf(eligibility, payerName, latest),
    ...(latest?.created ? { lastChecked: latest.created } : {}),
    eligibility,
    highlights: eligibility === 'active' ? highlights(latest) : [],
  };
}

/** The Coverage each response answered (through its request), newest response per coverage. */
export function latestByCoverage(
  responses: fhir4.CoverageEligibilityResponse[],
  requests: ReadonlyMap<string, fhir4.CoverageEligibilityRequest>,
): Map<string, fhir4.CoverageEligibilityResponse> {
  const out = new Map<string, fhir4.CoverageEligibilityResponse>();
  for (const r of responses) {
    const req = requests.get(idFromReference(r.request?.reference, 'CoverageEligibilityRequest') ?? '');
    const coverageId =
      idFromReference(r.insurance?.[0]?.coverage?.reference, 'Coverage') ??
      idFromReference(req?.insurance?.[0]?.coverage?.reference, 'Coverage');
    if (!coverageId) continue;
    const prior = out.get(coverageId);
    if (!prior || (r.created ?? '') > (prior.created ?? '')) out.set(coverageId, r);
  }
  return out;
}
