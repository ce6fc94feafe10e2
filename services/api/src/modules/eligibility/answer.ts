import { patientOf, type Eligibility271, type Member271 } from '@wintehr/x12';
import type { EligibilityBenefit, EligibilityRejection, EligibilityResult } from '@wintehr/contracts';
import { AppError } from '../../core/errors';

/** From a read 271 to the business answer the chart shows. Pure. */

export interface AnswerContext {
  coverageId: string;
  requestId: string;
  responseId: string;
  memberId: string;
  serviceDate: string;
  checkedAt: string;
}

/** DTP 346 plan begin, 347 plan end, 291/292 plan or benefit period (RD8). */
export function planPeriodOf(m: Member271 | undefined): EligibilityResult['planPeriod'] {
  if (!m) return undefined;
  const find = (q: string) => m.dates.find((d) => d.qualifier === q);
  const range = find('291') ?? find('292');
  const start = find('346')?.start ?? range?.start;
  const end = find('347')?.start ?? (range && range.end !== range.start ? range.end : undefined);
  return start || end ? { start, end } : undefined;
}

export function toBenefits(m: Member271 | undefined): EligibilityBenefit[] {
  return (m?.benefits ?? []).map(({ dates: _dates, quantity: _quantity, ...b }) => b);
}

export function toResult(r: Eligibility271, ctx: AnswerContext): EligibilityResult {
  const member = patientOf(r);
  return {
    status: r.active === true ? 'active' : r.active === false ? 'inactive' : 'unknown',
    plan: r.planName,
    payer: r.payer,
    memberId: ctx.memberId,
    serviceDate: ctx.serviceDate,
    checkedAt: ctx.checkedAt,
    planPeriod: planPeriodOf(member),
    benefits: toBenefits(member),
    coverageId: ctx.coverageId,
    requestId: ctx.requestId,
    responseId: ctx.responseId,
  };
}

/** The payer's AAA answer as a 422 whose message the front desk can act on. */
export function rejectionError(rejections: Eligibility271['rejections'], responseId: string): AppError {
  const details: EligibilityRejection[] = rejections.map(({ loop, reasonCode, followUpCode, message }) => ({
    loop,
    reasonCode,
    followUpCode,
    message,
  }));
  const message = details.map((d) => d.message).join(' ');
  return new AppError(422, 'ELIGIBILITY_REJECTED', `The payer could not confirm eligibility: ${message}`, {
    responseId,
    rejections: details,
  });
}

/**
 * The 271 must answer our inquiry: our trace number echoed in a TRN*2 (or, for a payer-level AAA, at least our
 * BHT03 reference). An answer to someone else's inquiry is a clearinghouse fault, never shown to the user.
 */
export function answersOurInquiry(r: Eligibility271, traceNumber: string): boolean {
  const traces = [...(r.subscriber?.traces ?? []), ...(r.dependent?.traces ?? [])].filter((t) => t.type === '2');
  if (traces.length) return traces.some((t) => t.number === traceNumber);
  return r.referenceId === traceNumber;
}
