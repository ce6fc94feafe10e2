/**
 * /api/patients/:patientId/eligibility: a real-time insurance eligibility check (X12 270/271 through the
 * clearinghouse) for one of the patient's Coverages, answered in business terms. The X12 itself stays in HAPI
 * (Binary, referenced from the CoverageEligibilityResponse) and never reaches the browser.
 */
import { z } from 'zod';
import { FhirId } from './fhir';

/** X12 service type codes (EQ01/EB03): one or two letters or digits, e.g. 30, 98, MH, UC. */
export const ServiceTypeCode = z.string().regex(/^[A-Z0-9]{1,2}$/, 'an X12 service type code such as 30, 98 or MH');

export const EligibilityCheckBody = z
  .object({
    /** Which Coverage to check; default: the patient's active Coverage. */
    coverageId: FhirId.optional(),
    /** ISO date of service; default: today. */
    serviceDate: z.iso.date().optional(),
    /** Default: 30 (health benefit plan coverage), which payers answer with the whole benefit summary. */
    serviceTypes: z.array(ServiceTypeCode).min(1).max(10).optional(),
  })
  .strict();
export type EligibilityCheckBody = z.infer<typeof EligibilityCheckBody>;

const Coded = z.object({ code: z.string(), description: z.string() });

export const EligibilityBenefit = z.object({
  /** EB01: 1 active, 6 inactive, A coinsurance, B copay, C deductible, G out-of-pocket maximum, ... */
  code: z.string(),
  description: z.string(),
  coverageLevel: Coded.optional(),
  serviceTypes: z.array(Coded),
  insuranceType: Coded.optional(),
  planDescription: z.string().optional(),
  timePeriod: Coded.optional(),
  amount: z.number().optional(),
  percent: z.number().optional(),
  inNetwork: z.boolean().optional(),
  authorizationRequired: z.boolean().optional(),
  messages: z.array(z.string()),
});
export type EligibilityBenefit = z.infer<typeof EligibilityBenefit>;

export const EligibilityResult = z.object({
  status: z.enum(['active', 'inactive', 'unknown']),
  plan: z.string().optional(),
  payer: z.object({ name: z.string(), id: z.string() }),
  memberId: z.string(),
  serviceDate: z.string(),
  checkedAt: z.string(),
  /** Plan dates the payer reported (DTP 346/347/291), ISO. */
  planPeriod: z.object({ start: z.string().optional(), end: z.string().optional() }).optional(),
  benefits: z.array(EligibilityBenefit),
  /** The FHIR trail of this check. */
  coverageId: z.string(),
  requestId: z.string(),
  responseId: z.string(),
});
export type EligibilityResult = z.infer<typeof EligibilityResult>;

/** The `details` of a 422 ELIGIBILITY_REJECTED answer (the payer's AAA segments). */
export const EligibilityRejection = z.object({
  loop: z.enum(['source', 'receiver', 'subscriber', 'dependent']),
  reasonCode: z.string(),
  followUpCode: z.string(),
  message: z.string(),
});
export type EligibilityRejection = z.infer<typeof EligibilityRejection>;
