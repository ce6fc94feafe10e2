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

// ---- renew / modify (medication management) -----------------------------------------------------------

/** Version the client saw (body, or the If-Match header); a stale one is a 409 and nothing is written. */
const IfMatchVersion = z
  .string()
  .regex(/^\d{1,10}$/)
  .optional();

const SafetyOverrideInput = z
  .object({
    reason: z.string().trim().min(5, 'an override reason needs at least 5 characters').max(500),
    findingIds: z.array(z.string().min(1).max(300)).max(50).optional(),
  })
  .strict();

/** The dispense fields a renewal or change may set; anything left out is copied from the old order. */
const DispenseChanges = z
  .object({
    quantity: z
      .object({ value: z.number().positive().max(10_000), unit: z.string().trim().min(1).max(30) })
      .strict()
      .optional(),
    numberOfRepeatsAllowed: z.number().int().min(0).max(11).optional(),
    expectedSupplyDays: z.number().int().min(1).max(365).optional(),
  })
  .strict();

/** POST /api/medications/:id/renew: a new order copying the old one; the old one is completed. */
export const RenewBody = z
  .object({
    ifMatch: IfMatchVersion,
    dispense: DispenseChanges.optional(),
    startDate: z.iso.date().optional(),
    note: z.string().trim().max(1000).optional(),
    /** Needed when the re-run safety check blocks (422 SAFETY_OVERRIDE_REQUIRED otherwise). */
    override: SafetyOverrideInput.optional(),
  })
  .strict();
export type RenewBody = z.infer<typeof RenewBody>;
export type RenewRequest = z.input<typeof RenewBody>;

/** POST /api/medications/:id/modify: new dose/frequency/route as a new order; the old one is stopped ("changed"). */
export const ModifyBody = z
  .object({
    ifMatch: IfMatchVersion,
    dosage: DosageInput,
    dispense: DispenseChanges.optional(),
    reason: z.string().trim().min(3).max(300).optional(),
    note: z.string().trim().max(1000).optional(),
    override: SafetyOverrideInput.optional(),
  })
  .strict();
export type ModifyBody = z.infer<typeof ModifyBody>;
export type ModifyRequest = z.input<typeof ModifyBody>;

/** 201 of renew and modify: the new order, the old one as it now stands, and the safety warnings. */
export const OrderChangeResult = z.object({
  medicationRequest: fhirResource('MedicationRequest'),
  previous: fhirResource('MedicationRequest'),
  warnings: z.array(PrescribeWarning),
  override: z.object({ findingIds: z.array(z.string()) }).optional(),
});
export type OrderChangeResult = z.infer<typeof OrderChangeResult>;

// ---- reconciliation -----------------------------------------------------------------------------------

export const RECONCILIATION_STATUSES = [
  'matched',
  'dose-differs',
  'only-in-history',
  'only-patient-reported',
  'only-ordered',
] as const;
export const ReconciliationStatus = z.enum(RECONCILIATION_STATUSES);
export type ReconciliationStatus = z.infer<typeof ReconciliationStatus>;

/** One drug (by RxNorm ingredient) and what each of the three sources says about it. */
export const ReconciliationLine = z.object({
  /** Stable for one answer: the sorted ingredient RXCUIs, or `text:<name>` for a drug the KB cannot identify. */
  key: z.string(),
  display: z.string(),
  ingredients: z.array(z.object({ rxcui: z.string(), name: z.string() })),
  status: ReconciliationStatus,
  order: z
    .object({
      medicationRequestId: z.string(),
      display: z.string(),
      rxnorm: z.string().optional(),
      sig: z.string().optional(),
      status: z.string(),
      versionId: z.string().optional(),
    })
    .optional(),
  history: z
    .object({
      display: z.string(),
      rxnorm: z.string().optional(),
      ndc: z.string().optional(),
      sig: z.string().optional(),
      lastFillDate: z.string().optional(),
      pharmacyName: z.string().optional(),
      fills: z.number().int(),
    })
    .optional(),
  patientReported: z
    .object({
      medicationStatementId: z.string(),
      display: z.string(),
      rxnorm: z.string().optional(),
      dosageText: z.string().optional(),
      status: z.string(),
    })
    .optional(),
  /** The KB could not identify the drug: matched by name only, and worth a second look. */
  unidentified: z.boolean(),
});
export type ReconciliationLine = z.infer<typeof ReconciliationLine>;

/** GET /api/patients/:patientId/medication-reconciliation */
export const MedicationReconciliation = z.object({
  patientId: z.string(),
  generatedAt: z.string(),
  history: z.object({
    status: z.enum(['ok', 'unavailable']),
    retrievedAt: z.string().optional(),
    message: z.string().optional(),
  }),
  lines: z.array(ReconciliationLine),
  last: z.object({ listId: z.string(), date: z.string(), reconciler: z.string().optional() }).optional(),
});
export type MedicationReconciliation = z.infer<typeof MedicationReconciliation>;

export const RECONCILIATION_ACTIONS = ['continue', 'discontinue', 'add-to-orders', 'mark-not-taking'] as const;

export const ReconciliationDecision = z
  .object({
    lineKey: z.string().min(1).max(300),
    action: z.enum(RECONCILIATION_ACTIONS),
    /** The order the decision is about (continue, discontinue, mark-not-taking of an ordered drug). */
    medicationRequestId: FhirId.optional(),
    /** The patient-reported entry (mark-not-taking, continue). */
    medicationStatementId: FhirId.optional(),
    /** Discontinue: why (required); other actions: an optional comment. */
    reason: z.string().trim().min(3).max(500).optional(),
    reasonCode: CodingInput.optional(),
    /** add-to-orders: the prescription to place (the safety check runs on it; override inside). */
    prescription: PrescribeBody.optional(),
  })
  .strict()
  .refine((d) => d.action !== 'discontinue' || (d.medicationRequestId && d.reason), {
    message: 'discontinue needs medicationRequestId and a reason',
    path: ['reason'],
  })
  .refine((d) => d.action !== 'add-to-orders' || d.prescription, {
    message: 'add-to-orders needs a prescription',
    path: ['prescription'],
  })
  .refine((d) => d.action !== 'mark-not-taking' || d.medicationRequestId || d.medicationStatementId, {
    message: 'mark-not-taking needs the order or the patient-reported entry',
    path: ['medicationStatementId'],
  });
export type ReconciliationDecision = z.infer<typeof ReconciliationDecision>;

/** POST /api/patients/:patientId/medication-reconciliation */
export const ReconciliationBody = z
  .object({
    decisions: z.array(ReconciliationDecision).min(1).max(100),
    note: z.string().trim().max(1000).optional(),
  })
  .strict()
  .refine((b) => new Set(b.decisions.map((d) => d.lineKey)).size === b.decisions.length, {
    message: 'one decision per line',
    path: ['decisions'],
  });
export type ReconciliationBody = z.infer<typeof ReconciliationBody>;
export type ReconciliationRequest = z.input<typeof ReconciliationBody>;

/** 201: the saved List and what each decision wrote. */
export const ReconciliationSaved = z.object({
  listId: z.string(),
  date: z.string(),
  results: z.array(
    z.object({
      lineKey: z.string(),
      action: z.enum(RECONCILIATION_ACTIONS),
      resourceType: z.enum(['MedicationRequest', 'MedicationStatement']).optional(),
      resourceId: z.string().optional(),
    }),
  ),
});
export type ReconciliationSaved = z.infer<typeof ReconciliationSaved>;
