/** /api/patients/:patientId/{allergies,problems,vitals,immunizations}: chart items over their FHIR resources. */
import { z } from 'zod';
import { isValidCode, type CodeSystemName } from './codes';
import {
  FhirId,
  PastDateOrDateTime,
  PastDateTime,
  fhirResource,
  type FhirResourceType,
  type ResourceOfType,
} from './fhir';

/** A coded concept in one of the named systems; the code is checked (syntax and check digit). */
function coded<S extends CodeSystemName>(systems: readonly [S, ...S[]]) {
  return z
    .object({
      system: z.enum(systems),
      code: z.string().trim().min(1).max(32),
      display: z.string().trim().min(1).max(200),
    })
    .strict()
    .superRefine((c, ctx) => {
      if (!isValidCode(c.system, c.code))
        ctx.addIssue({ code: 'custom', path: ['code'], message: `not a valid ${c.system} code` });
    });
}
export type CodedConcept = { system: CodeSystemName; code: string; display: string };

export const ChartItemParams = z.object({ patientId: FhirId, id: FhirId }).strict();
export const ChartListQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** `all` adds what was entered in error (the history view); the default hides it. */
    include: z.enum(['current', 'all']).default('current'),
  })
  .strict();

export const AllergyBody = z
  .object({
    substance: coded(['rxnorm', 'snomed']),
    type: z.enum(['allergy', 'intolerance']).default('allergy'),
    category: z
      .array(z.enum(['food', 'medication', 'environment', 'biologic']))
      .min(1)
      .max(4)
      .default(['medication']),
    criticality: z.enum(['low', 'high', 'unable-to-assess']),
    clinicalStatus: z.enum(['active', 'inactive', 'resolved']).default('active'),
    verificationStatus: z.enum(['unconfirmed', 'confirmed', 'refuted', 'entered-in-error']).default('confirmed'),
    onset: PastDateOrDateTime.optional(),
    reactions: z
      .array(
        z
          .object({
            manifestation: coded(['snomed']),
            severity: z.enum(['mild', 'moderate', 'severe']).optional(),
          })
          .strict(),
      )
      .max(10)
      .default([]),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
export type AllergyBody = z.input<typeof AllergyBody>;

export const ProblemBody = z
  .object({
    code: coded(['snomed', 'icd10']),
    clinicalStatus: z.enum(['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved']).default('active'),
    verificationStatus: z.enum(['unconfirmed', 'provisional', 'differential', 'confirmed']).default('confirmed'),
    severity: z.enum(['mild', 'moderate', 'severe']).optional(),
    onset: PastDateOrDateTime.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
export type ProblemBody = z.input<typeof ProblemBody>;

export const ResolveProblemBody = z
  .object({ abatement: PastDateOrDateTime.optional(), note: z.string().trim().max(2000).optional() })
  .strict();
export type ResolveProblemBody = z.input<typeof ResolveProblemBody>;

/** v3-ActReason codes for a vaccine not given. */
export const IMMUNIZATION_NOT_DONE_REASONS = ['IMMUNE', 'MEDPREC', 'OSTOCK', 'PATOBJ'] as const;

export const ImmunizationBody = z
  .object({
    vaccine: coded(['cvx']),
    status: z.enum(['completed', 'not-done']).default('completed'),
    occurrence: PastDateOrDateTime,
    lotNumber: z.string().trim().min(1).max(40).optional(),
    expirationDate: z.iso.date().optional(),
    site: z.enum(['LA', 'RA', 'LT', 'RT', 'LD', 'RD']).optional(),
    route: z.enum(['IM', 'SC', 'ID', 'PO', 'IN']).optional(),
    doseMl: z.number().positive().max(10).optional(),
    primarySource: z.boolean().default(true),
    /** Why a dose was not given (v3-ActReason): required when status is not-done. */
    statusReason: z.enum(IMMUNIZATION_NOT_DONE_REASONS).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.status === 'not-done' && !b.statusReason)
      ctx.addIssue({ code: 'custom', path: ['statusReason'], message: 'say why the dose was not given' });
    if (b.status === 'completed' && b.statusReason)
      ctx.addIssue({ code: 'custom', path: ['statusReason'], message: 'only for a dose not given' });
  });
export type ImmunizationBody = z.input<typeof ImmunizationBody>;

/** Vital signs with a single value; the API holds each one's LOINC code, UCUM units and plausible range. */
export const SIMPLE_VITAL_KINDS = [
  'heart-rate',
  'respiratory-rate',
  'body-temperature',
  'oxygen-saturation',
  'body-weight',
  'body-height',
  'bmi',
] as const;
export type SimpleVitalKind = (typeof SIMPLE_VITAL_KINDS)[number];

const VitalCommon = {
  effectiveDateTime: PastDateTime.optional(),
  encounterId: FhirId.optional(),
  note: z.string().trim().max(1000).optional(),
};
const SimpleVital = z
  .object({
    kind: z.enum(SIMPLE_VITAL_KINDS),
    value: z.number().finite(),
    unit: z.string().min(1).max(20),
    ...VitalCommon,
  })
  .strict();
const BloodPressure = z
  .object({
    kind: z.literal('blood-pressure'),
    systolic: z.number().finite(),
    diastolic: z.number().finite(),
    unit: z.literal('mm[Hg]').default('mm[Hg]'),
    ...VitalCommon,
  })
  .strict();
export const VitalBody = z.discriminatedUnion('kind', [BloodPressure, SimpleVital]);
export type VitalBody = z.input<typeof VitalBody>;

/** A chart list: `{ items }`, newest first. */
export function chartList<T extends FhirResourceType>(resourceType: T) {
  return z.object({ items: z.array(fhirResource(resourceType)) }).strict();
}
export type ChartList<T extends FhirResourceType> = { items: ResourceOfType<T>[] };

export const AllergyList = chartList('AllergyIntolerance');
export const ProblemList = chartList('Condition');
export const VitalList = chartList('Observation');
export const ImmunizationList = chartList('Immunization');

// ---- Chart upkeep (issue 15): edits, entered-in-error, no known allergies, social history, vital sets.

/** Why an item was entered in error: kept on the resource, so the history explains the correction. */
export const EnteredInErrorBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
export type EnteredInErrorBody = z.input<typeof EnteredInErrorBody>;

/** An edit must change something. */
const nonEmpty = (o: object) => Object.values(o).some((v) => v !== undefined);

export const AllergyUpdateBody = z
  .object({
    criticality: z.enum(['low', 'high', 'unable-to-assess']).optional(),
    clinicalStatus: z.enum(['active', 'inactive', 'resolved']).optional(),
    verificationStatus: z.enum(['unconfirmed', 'confirmed', 'refuted']).optional(),
    reactions: AllergyBody.shape.reactions.unwrap().optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine(nonEmpty, 'nothing to change');
export type AllergyUpdateBody = z.input<typeof AllergyUpdateBody>;

export const NoKnownAllergiesBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();
export type NoKnownAllergiesBody = z.input<typeof NoKnownAllergiesBody>;

/** SNOMED 716186003 "No known allergy": recorded as an AllergyIntolerance, unlike "not recorded" (nothing). */
export const NO_KNOWN_ALLERGY = { system: 'http://snomed.info/sct', code: '716186003', display: 'No known allergy' };
export const ALLERGY_RECORD_STATES = ['not-recorded', 'no-known-allergies', 'has-allergies'] as const;
export type AllergyRecordState = (typeof ALLERGY_RECORD_STATES)[number];
export const AllergyListResponse = z
  .object({ items: z.array(fhirResource('AllergyIntolerance')), state: z.enum(ALLERGY_RECORD_STATES) })
  .strict();
export type AllergyListResponse = { items: fhir4.AllergyIntolerance[]; state: AllergyRecordState };

export const ProblemUpdateBody = z
  .object({
    code: ProblemBody.shape.code.optional(),
    verificationStatus: ProblemBody.shape.verificationStatus.unwrap().optional(),
    severity: z.enum(['mild', 'moderate', 'severe']).optional(),
    onset: PastDateOrDateTime.optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine(nonEmpty, 'nothing to change');
export type ProblemUpdateBody = z.input<typeof ProblemUpdateBody>;

export const ReactivateProblemBody = z.object({ note: z.string().trim().max(2000).optional() }).strict();
export type ReactivateProblemBody = z.input<typeof ReactivateProblemBody>;

export const ImmunizationUpdateBody = z
  .object({
    occurrence: PastDateOrDateTime.optional(),
    lotNumber: z.string().trim().min(1).max(40).optional(),
    expirationDate: z.iso.date().optional(),
    site: z.enum(['LA', 'RA', 'LT', 'RT', 'LD', 'RD']).optional(),
    route: z.enum(['IM', 'SC', 'ID', 'PO', 'IN']).optional(),
    doseMl: z.number().positive().max(10).optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine(nonEmpty, 'nothing to change');
export type ImmunizationUpdateBody = z.input<typeof ImmunizationUpdateBody>;

/** Smoking status answers (SNOMED, US Core smoking status value set) for LOINC 72166-2. */
export const SMOKING_STATUSES = {
  'current-every-day': { code: '449868002', display: 'Smokes tobacco daily' },
  'current-some-day': { code: '428041000124106', display: 'Occasional tobacco smoker' },
  former: { code: '8517006', display: 'Ex-smoker' },
  never: { code: '266919005', display: 'Never smoked tobacco' },
  'current-unknown-frequency': { code: '77176002', display: 'Smoker' },
  unknown: { code: '266927001', display: 'Tobacco smoking consumption unknown' },
} as const;
export type SmokingStatus = keyof typeof SMOKING_STATUSES;
export const SUBSTANCE_USE_STATUSES = ['never', 'former', 'current'] as const;

const SocialCommon = { effectiveDateTime: PastDateTime.optional(), note: z.string().trim().max(1000).optional() };
export const SocialHistoryBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('smoking'),
      status: z.enum(Object.keys(SMOKING_STATUSES) as [SmokingStatus, ...SmokingStatus[]]),
      ...SocialCommon,
    })
    .strict(),
  z
    .object({
      kind: z.literal('alcohol'),
      /** AUDIT-C total score (0–12), LOINC 72109-2; or drinks per day, LOINC 74013-4. */
      auditC: z.number().int().min(0).max(12).optional(),
      drinksPerDay: z.number().min(0).max(50).optional(),
      ...SocialCommon,
    })
    .strict()
    .refine((b) => b.auditC !== undefined || b.drinksPerDay !== undefined, {
      message: 'give an AUDIT-C score or drinks per day',
      path: ['auditC'],
    }),
  z
    .object({
      kind: z.literal('substance-use'),
      status: z.enum(SUBSTANCE_USE_STATUSES),
      substance: z.string().trim().min(2).max(100).optional(),
      ...SocialCommon,
    })
    .strict(),
]);
export type SocialHistoryBody = z.input<typeof SocialHistoryBody>;
export const SOCIAL_HISTORY_KINDS = ['smoking', 'alcohol', 'substance-use'] as const;
export type SocialHistoryKind = (typeof SOCIAL_HISTORY_KINDS)[number];

/** One set of vitals taken together: each measurement as in VitalBody, one time, one encounter. */
const perSet = { effectiveDateTime: true, encounterId: true, note: true } as const;
export const VitalSetBody = z
  .object({
    measurements: z
      .array(z.discriminatedUnion('kind', [BloodPressure.omit(perSet), SimpleVital.omit(perSet)]))
      .min(1)
      .max(8),
    ...VitalCommon,
  })
  .strict();
export type VitalSetBody = z.input<typeof VitalSetBody>;

/** v3 ObservationInterpretation codes the API sets from adult reference ranges. */
export const VITAL_FLAGS = ['N', 'L', 'H', 'LL', 'HH'] as const;
export type VitalFlag = (typeof VITAL_FLAGS)[number];
