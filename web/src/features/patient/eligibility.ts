import type { EligibilityBenefit, EligibilityRejection, EligibilityResult } from '@wintehr/contracts';
import { api } from '../../core/api/client';
import { ApiError } from '../../core/api/api-error';

/** The chart banner's insurance check: the call, and the 271 answer turned into lines a front desk reads. */
export const eligibilityApi = {
  check: (patientId: string) =>
    api.post<EligibilityResult>(`/api/patients/${encodeURIComponent(patientId)}/eligibility`, {}),
};

const money = (n: number) =>
  `$${n.toLocaleString('en-US', { minimumFractionDigits: n % 1 ? 2 : 0, maximumFractionDigits: 2 })}`;
const network = (b: EligibilityBenefit) =>
  b.inNetwork === true ? 'in network' : b.inNetwork === false ? 'out of network' : undefined;

export interface BenefitLine {
  label: string;
  value: string;
  detail?: string;
}

/** One line per money/percent benefit (deductible, out-of-pocket maximum, copay, coinsurance), in the payer's order. */
export function benefitLines(benefits: EligibilityBenefit[]): BenefitLine[] {
  return benefits
    .filter((b) => b.amount !== undefined || b.percent !== undefined)
    .map((b) => {
      const services = b.serviceTypes.map((s) => s.description).join(', ');
      const value = b.amount !== undefined ? money(b.amount) : `${b.percent}%`;
      const remaining = b.timePeriod?.code === '29';
      const detail = [
        network(b),
        b.timePeriod && !remaining ? `per ${b.timePeriod.description.toLowerCase()}` : undefined,
        b.coverageLevel?.description.toLowerCase(),
        b.authorizationRequired ? 'prior authorization required' : undefined,
        ...b.messages,
      ]
        .filter(Boolean)
        .join(' · ');
      return {
        label: `${b.description}${remaining ? ' remaining' : ''}${services ? ` — ${services}` : ''}`,
        value,
        detail: detail || undefined,
      };
    });
}

export function headline(r: EligibilityResult): { text: string; severity: 'success' | 'warning' | 'info' } {
  if (r.status === 'active')
    return { text: `Active coverage${r.plan ? `: ${r.plan}` : ''} (${r.payer.name})`, severity: 'success' };
  if (r.status === 'inactive') return { text: `Coverage inactive with ${r.payer.name}`, severity: 'warning' };
  return { text: `${r.payer.name} did not state whether the coverage is active`, severity: 'info' };
}

/** For a 422 ELIGIBILITY_REJECTED: the payer's own reasons, one per line. */
export function rejectionsOf(err: unknown): string[] {
  if (!(err instanceof ApiError) || err.code !== 'ELIGIBILITY_REJECTED') return [];
  const list = (err.details as { rejections?: EligibilityRejection[] } | undefined)?.rejections;
  return Array.isArray(list) ? list.map((r) => r.message) : [];
}
