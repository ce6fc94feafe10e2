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
export const ChartListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

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
  })
  .strict();
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
