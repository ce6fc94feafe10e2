/**
 * /api/patients/:patientId/medications, /api/medications/:id/discontinue and medication statements: prescribing
 * with the safety gate (seed 004 §4.2), discontinuing, the lists and home-medication reconciliation. The dose unit
 * and route vocabularies live here because the request schema validates against them.
 */
import { z } from 'zod';
import { DeaSchedule, DrugSeverity } from './drug-safety';
import { fhirResource, FhirId } from './fhir';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Dose units we accept, keyed by their UCUM code (annotations in braces are valid UCUM), with their display. */
export const DOSE_UNITS: Readonly<Record<string, string>> = {
  mg: 'mg',
  g: 'g',
  ug: 'mcg',
  ng: 'ng',
  mL: 'mL',
  L: 'L',
  meq: 'mEq',
  mmol: 'mmol',
  '[iU]': 'IU',
  '[IU]': 'IU',
  U: 'unit',
  'mg/kg': 'mg/kg',
  'ug/kg': 'mcg/kg',
  '[drp]': 'drop',
  '{tablet}': 'tablet',
  '{capsule}': 'capsule',
  '{puff}': 'puff',
  '{patch}': 'patch',
  '{spray}': 'spray',
  '{suppository}': 'suppository',
  '{application}': 'application',
  '{vial}': 'vial',
};
/** Common spellings prescribers type, mapped to the UCUM code. */
const UNIT_ALIASES: Readonly<Record<string, string>> = {
  mcg: 'ug',
  µg: 'ug',
  ml: 'mL',
  l: 'L',
  meq: 'meq',
  iu: '[iU]',
  unit: 'U',
  units: 'U',
  tablet: '{tablet}',
  tablets: '{tablet}',
  tab: '{tablet}',
  capsule: '{capsule}',
  capsules: '{capsule}',
  cap: '{capsule}',
  puff: '{puff}',
  puffs: '{puff}',
  patch: '{patch}',
  spray: '{spray}',
  sprays: '{spray}',
  drop: '[drp]',
  drops: '[drp]',
};

/** SNOMED CT route of administration (Route of administration value set). */
export const ROUTES: Readonly<Record<string, { code: string; display: string }>> = {
  oral: { code: '26643006', display: 'Oral route' },
  sublingual: { code: '37839007', display: 'Sublingual route' },
  intravenous: { code: '47625008', display: 'Intravenous route' },
  intramuscular: { code: '78421000', display: 'Intramuscular route' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route' },
  topical: { code: '6064005', display: 'Topical route' },
  transdermal: { code: '45890007', display: 'Transdermal route' },
  inhalation: { code: '18679011', display: 'Inhalation route' },
  nasal: { code: '46713006', display: 'Nasal route' },
  ophthalmic: { code: '54485002', display: 'Ophthalmic route' },
  otic: { code: '10547007', display: 'Otic route' },
  rectal: { code: '37161004', display: 'Rectal route' },
  vaginal: { code: '16857009', display: 'Vaginal route' },
};
const ROUTE_BY_CODE = new Map(Object.entries(ROUTES).map(([, v]) => [v.code, v]));

/** The UCUM code of a dose unit as typed ("mcg", "tablets", "mL"), or undefined when it is not one we accept. */
export function normaliseUnit(unit: string): string | undefined {
  const u = unit.trim();
  if (DOSE_UNITS[u]) return u;
  const alias = UNIT_ALIASES[u.toLowerCase()];
  return alias ?? Object.keys(DOSE_UNITS).find((k) => k.toLowerCase() === u.toLowerCase());
}

/** A route by name ("oral") or SNOMED CT code. */
export function routeOf(route: string): { code: string; display: string } | undefined {
  return ROUTES[route.trim().toLowerCase()] ?? ROUTE_BY_CODE.get(route.trim());
}

export const DosageInput = z
  .object({
    dose: z
      .object({
        value: z.number().positive('dose must be greater than 0').max(100_000),
        unit: z
          .string()
          .trim()
          .min(1)
          .max(30)
          .refine((u) => normaliseUnit(u) !== undefined, 'not a supported UCUM dose unit (e.g. mg, mL, ug, {tablet})'),
      })
      .strict(),
    route: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .refine(
        (r) => routeOf(r) !== undefined,
        'unknown route: use a name (oral, intravenous ...) or a SNOMED CT route code',
      ),
    /** Administrations per period, e.g. 2 per 1 d = twice daily. */
    frequency: z.number().int().min(1).max(48),
    period: z.number().positive().max(365),
    periodUnit: z.enum(['h', 'd', 'wk', 'mo']),
    asNeeded: z.boolean().default(false),
    asNeededReason: z.string().trim().min(2).max(200).optional(),
    maxDosePerDay: z
      .object({ value: z.number().positive().max(100_000), unit: z.string().trim().min(1).max(30) })
      .strict()
      .optional(),
    text: z.string().trim().max(500).optional(),
    patientInstruction: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((d) => d.asNeeded || !d.asNeededReason, {
    message: 'asNeededReason needs asNeeded: true',
    path: ['asNeededReason'],
  })
  .refine((d) => !d.maxDosePerDay || normaliseUnit(d.maxDosePerDay.unit) !== undefined, {
    message: 'not a supported UCUM unit',
    path: ['maxDosePerDay', 'unit'],
  });
export type DosageInput = z.infer<typeof DosageInput>;

export const PatientRouteParams = z.object({ patientId: FhirId }).strict();
export const MedicationIdParams = z.object({ id: FhirId }).strict();

export const CodingInput = z
  .object({
    system: z.url().max(200),
    code: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9.\-_]+$/, 'not a valid code'),
    display: z.string().trim().max(300).optional(),
  })
  .strict();

export const MedicationInput = z
  .object({
    system: z.literal(RXNORM, `medication must be coded in RxNorm (${RXNORM})`).default(RXNORM),
    code: z
      .string()
      .trim()
      .regex(/^\d{1,10}$/, 'an RxNorm code (RXCUI) is digits'),
    display: z.string().trim().max(300).optional(),
  })
  .strict();

export const PrescribeBody = z
  .object({
    medication: MedicationInput,
    dosage: DosageInput,
    dispense: z
      .object({
        quantity: z
          .object({
            value: z.number().positive('quantity must be greater than 0').max(10_000),
            unit: z.string().trim().min(1).max(30),
          })
          .strict(),
        numberOfRepeatsAllowed: z.number().int().min(0).max(11).default(0),
        /** Days supply. */
        expectedSupplyDays: z.number().int().min(1).max(365),
        /** The intended pharmacy: an Organization that must exist in HAPI. */
        pharmacyId: FhirId.optional(),
        substitutionAllowed: z.boolean().default(true),
      })
      .strict(),
    reason: z
      .object({ coding: z.array(CodingInput).max(5).optional(), text: z.string().trim().min(2).max(300).optional() })
      .strict()
      .refine((r) => r.coding?.length || r.text, 'give a coded reason or a text')
      .optional(),
    encounterId: FhirId.optional(),
    startDate: z.iso.date().optional(),
    note: z.string().trim().max(1000).optional(),
    /** Re-send with an override to place an order that the safety check stopped. */
    override: z
      .object({
        reason: z.string().trim().min(5, 'an override reason needs at least 5 characters').max(500),
        findingIds: z.array(z.string().min(1).max(300)).max(50).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type PrescribeBody = z.infer<typeof PrescribeBody>;
/** What a client sends (defaults not yet applied). */
export type PrescribeRequest = z.input<typeof PrescribeBody>;

export const DiscontinueBody = z
  .object({
    reason: z.string().trim().min(3).max(500),
    /** Coded reason (SNOMED CT or the medicationrequest-status-reason code system). */
    reasonCode: CodingInput.optional(),
    /** Version the client saw; a stale one is a 409. */
    ifMatch: z
      .string()
      .regex(/^\d{1,10}$/)
      .optional(),
  })
  .strict();

export const MedicationListQuery = z
  .object({
    status: z.enum(['active', 'all', 'stopped', 'completed', 'on-hold', 'cancelled']).default('active'),
    _count: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

export const StatementBody = z
  .object({
    medication: z
      .object({
        system: z.literal(RXNORM).default(RXNORM),
        code: z
          .string()
          .trim()
          .regex(/^\d{1,10}$/, 'an RxNorm code (RXCUI) is digits')
          .optional(),
        display: z.string().trim().min(2).max(300).optional(),
      })
      .strict()
      .refine((m) => m.code || m.display, 'give an RxNorm code or at least a name'),
    status: z.enum(['active', 'completed', 'stopped', 'intended', 'not-taken', 'on-hold', 'unknown']).default('active'),
    dosageText: z.string().trim().max(300).optional(),
    effectiveStart: z.iso.date().optional(),
    effectiveEnd: z.iso.date().optional(),
    informationSource: z.enum(['patient', 'practitioner', 'related-person', 'pharmacy-record']).default('patient'),
    reasonText: z.string().trim().max(300).optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict()
  .refine((b) => !b.effectiveStart || !b.effectiveEnd || b.effectiveEnd >= b.effectiveStart, {
    message: 'effectiveEnd is before effectiveStart',
    path: ['effectiveEnd'],
  });
export type StatementBody = z.infer<typeof StatementBody>;

export const StatementQuery = z.object({ status: z.enum(['active', 'all']).default('all') }).strict();

// ---- responses ------------------------------------------------------------------------------------------

const Affected = z.array(z.object({ id: z.string().optional(), display: z.string() }));
const warningBase = { id: z.string(), severity: DrugSeverity, message: z.string() };

/**
 * A safety finding as the prescriber sees it on a prescription (a warning on success, or in the 409
 * SAFETY_OVERRIDE_REQUIRED details): what is needed to decide, without the engine's internals.
 */
export const PrescribeWarning = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('drug-drug'),
    ...warningBase,
    ruleId: z.string(),
    management: z.string(),
    affectedMedications: Affected,
  }),
  z.object({
    kind: z.literal('drug-allergy'),
    ...warningBase,
    allergy: z.object({ id: z.string().optional(), display: z.string() }),
    matchType: z.enum(['ingredient', 'class', 'cross-sensitivity']),
  }),
  z.object({
    kind: z.literal('duplicate-therapy'),
    ...warningBase,
    basis: z.enum(['ingredient', 'therapeutic-class']),
    affectedMedications: Affected,
  }),
  z.object({ kind: z.literal('controlled-substance'), ...warningBase, schedule: DeaSchedule }),
  z.object({
    kind: z.literal('drug-condition'),
    ...warningBase,
    ruleId: z.string(),
    reason: z.enum(['renal-function', 'potassium', 'condition']),
  }),
  z.object({
    kind: z.literal('unable-to-screen'),
    ...warningBase,
    reason: z.enum([
      'no-code',
      'unknown-code',
      'unsupported-system',
      'partial-ingredients',
      'unmapped-allergy',
      'non-specific-allergy',
    ]),
  }),
]);
export type PrescribeWarning = z.infer<typeof PrescribeWarning>;

/** `details` of the 409 SAFETY_OVERRIDE_REQUIRED error: every finding, and which must be overridden. */
export const SafetyOverrideRequired = z.object({
  findings: z.array(PrescribeWarning),
  blockingFindingIds: z.array(z.string()),
});
export type SafetyOverrideRequired = z.infer<typeof SafetyOverrideRequired>;

/** POST /api/patients/:patientId/medications (201) */
export const PrescribeResult = z.object({
  medicationRequest: fhirResource('MedicationRequest'),
  warnings: z.array(PrescribeWarning),
  controlled: z.object({ schedule: DeaSchedule }).optional(),
  requiresEpcs: z.boolean(),
  override: z.object({ findingIds: z.array(z.string()) }).optional(),
});
export type PrescribeResult = z.infer<typeof PrescribeResult>;

export const MEDICATION_REQUEST_STATUSES = [
  'active',
  'on-hold',
  'cancelled',
  'completed',
  'entered-in-error',
  'stopped',
  'draft',
  'unknown',
] as const;

/** POST /api/medications/:id/discontinue */
export const DiscontinueResult = z.object({
  id: z.string(),
  status: z.enum(MEDICATION_REQUEST_STATUSES),
  discontinuedAt: z.string(),
  medicationRequest: fhirResource('MedicationRequest'),
});
export type DiscontinueResult = z.infer<typeof DiscontinueResult>;

/** GET /api/patients/:patientId/medications */
export const MedicationList = z.object({ total: z.number().int(), items: z.array(fhirResource('MedicationRequest')) });
export type MedicationList = z.infer<typeof MedicationList>;

/** GET /api/patients/:patientId/medication-statements */
export const MedicationStatementList = z.object({
  total: z.number().int(),
  items: z.array(fhirResource('MedicationStatement')),
});
export type MedicationStatementList = z.infer<typeof MedicationStatementList>;

/** POST /api/patients/:patientId/medication-statements (201) */
export const MedicationStatementCreated = fhirResource('MedicationStatement');
