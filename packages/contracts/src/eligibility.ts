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

/** A payer id as clearinghouses publish it (NM109 of NM1*PR): 2–10 letters or digits, e.g. 60054, 87726. */
export const X12PayerId = z.string().regex(/^[A-Za-z0-9]{2,10}$/, 'a clearinghouse payer id such as 60054');

/** Insurance given at registration: the payer by its clearinghouse id and the member id on the card. */
export const RegistrationInsurance = z
  .object({
    payerId: X12PayerId,
    memberId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{2,40}$/, '2–40 letters, digits or hyphens'),
    groupNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,40}$/)
      .optional(),
  })
  .strict();
export type RegistrationInsurance = z.infer<typeof RegistrationInsurance>;

/**
 * What a check gave when it ran as part of another workflow (registration, the nightly batch), where a failed check
 * must not fail the workflow: `checked` with the answer, `rejected` by the payer, or `not-checked` with the reason.
 */
export const EligibilityOutcome = z.discriminatedUnion('state', [
  z.object({ state: z.literal('checked'), coverageId: z.string(), result: EligibilityResult }).strict(),
  z
    .object({
      state: z.literal('rejected'),
      coverageId: z.string(),
      message: z.string(),
      rejections: z.array(EligibilityRejection),
    })
    .strict(),
  z
    .object({
      state: z.literal('not-checked'),
      coverageId: z.string().optional(),
      code: z.string(),
      /** e.g. "not checked (clearinghouse unavailable)". */
      message: z.string(),
    })
    .strict(),
]);
export type EligibilityOutcome = z.infer<typeof EligibilityOutcome>;

/** POST /api/eligibility/batch-runs: check one day's booked appointments now (default: tomorrow). */
export const EligibilityBatchBody = z.object({ date: z.iso.date().optional() }).strict();
export type EligibilityBatchBody = z.infer<typeof EligibilityBatchBody>;

export const EligibilityBatchCounts = z
  .object({
    appointments: z.number().int(),
    patients: z.number().int(),
    active: z.number().int(),
    inactive: z.number().int(),
    unknown: z.number().int(),
    rejected: z.number().int(),
    failed: z.number().int(),
    noCoverage: z.number().int(),
    /** Already checked for this date by an earlier run. */
    skipped: z.number().int(),
  })
  .strict();
export type EligibilityBatchCounts = z.infer<typeof EligibilityBatchCounts>;

export const EligibilityBatchRun = z
  .object({
    id: z.string(),
    serviceDate: z.string(),
    trigger: z.enum(['schedule', 'manual']),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    status: z.enum(['running', 'done', 'failed']),
    counts: EligibilityBatchCounts,
    error: z.string().optional(),
  })
  .strict();
export type EligibilityBatchRun = z.infer<typeof EligibilityBatchRun>;

export const EligibilityBatchRunList = z.object({ runs: z.array(EligibilityBatchRun) }).strict();
export type EligibilityBatchRunList = z.infer<typeof EligibilityBatchRunList>;

/** GET /api/portal/coverage: the patient's own insurance in plain words, with the latest answer from the payer. */
export const PortalCoverageItem = z
  .object({
    coverageId: z.string(),
    payerName: z.string(),
    plan: z.string().optional(),
    memberId: z.string().optional(),
    status: z.string(),
    /** e.g. "Your coverage was confirmed active on 4 Dec 2026." */
    summary: z.string(),
    lastChecked: z.string().optional(),
    eligibility: z.enum(['active', 'inactive', 'unknown', 'error', 'never-checked']),
    /** Plain-language lines: "Office visit copay: $25 (in network)". */
    highlights: z.array(z.string()),
  })
  .strict();
export type PortalCoverageItem = z.infer<typeof PortalCoverageItem>;
export const PortalCoverage = z.object({ coverages: z.array(PortalCoverageItem) }).strict();
export type PortalCoverage = z.infer<typeof PortalCoverage>;
