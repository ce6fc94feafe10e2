/** /api/drugs and /api/medications/check-interactions: drug search and the business view of safety findings. */
import { z } from 'zod';

export const DRUG_SEVERITIES = ['contraindicated', 'major', 'moderate', 'minor', 'info'] as const;
export const DrugSeverity = z.enum(DRUG_SEVERITIES);
export type DrugSeverity = z.infer<typeof DrugSeverity>;

export const FINDING_KINDS = [
  'drug-drug',
  'drug-allergy',
  'duplicate-therapy',
  'drug-condition',
  'controlled-substance',
  'unable-to-screen',
] as const;
export const FindingKind = z.enum(FINDING_KINDS);
export type FindingKind = z.infer<typeof FindingKind>;

export const DEA_SCHEDULES = ['II', 'III', 'IV', 'V'] as const;
export const DeaSchedule = z.enum(DEA_SCHEDULES);
export type DeaSchedule = z.infer<typeof DeaSchedule>;

export const RXNORM_TERM_TYPES = ['IN', 'PIN', 'MIN', 'SCDC', 'SCD', 'SBD', 'GPCK', 'BPCK', 'BN'] as const;
export const NamedCode = z.object({ rxcui: z.string(), name: z.string() });
export type NamedCode = z.infer<typeof NamedCode>;

export const DrugSearchQuery = z.object({
  q: z.string().trim().min(2, 'at least 2 characters').max(100),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const DrugSearchHit = z.object({
  rxcui: z.string(),
  name: z.string(),
  tty: z.enum(RXNORM_TERM_TYPES),
  brand: z.string().optional(),
  ingredients: z.array(NamedCode).readonly(),
  score: z.number(),
});
export type DrugSearchHit = z.infer<typeof DrugSearchHit>;

/** GET /api/drugs */
export const DrugSearchResult = z.object({
  query: z.string(),
  count: z.number().int(),
  results: z.array(DrugSearchHit),
});
export type DrugSearchResult = z.infer<typeof DrugSearchResult>;

export const CheckInteractionsBody = z
  .object({
    patientId: z
      .string()
      .regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id')
      .optional(),
    medicationCodes: z
      .array(
        z
          .string()
          .trim()
          .regex(/^\d{1,12}$/, 'an RxNorm code (digits)'),
      )
      .min(1)
      .max(50),
  })
  .strict();

/** A drug a finding is about; `ref` is the caller's id (e.g. `MedicationRequest/123`), `rxcui` the concept it resolved to. */
export const DrugRef = z.object({
  ref: z.string().optional(),
  role: z.enum(['proposed', 'active']),
  system: z.enum(['rxnorm', 'ndc', 'unknown']),
  code: z.string(),
  display: z.string(),
  rxcui: z.string().optional(),
});
export type DrugRef = z.infer<typeof DrugRef>;

/** A safety finding as clients display it (severity, the drugs involved, description, management, source). */
export const DrugSafetyFinding = z.object({
  id: z.string(),
  kind: FindingKind,
  severity: DrugSeverity,
  /** Two drugs for interactions and duplicates, one otherwise (none for an allergy that could not be screened). */
  drugs: z.array(DrugRef),
  description: z.string(),
  management: z.string().optional(),
  source: z.string().optional(),
  ruleId: z.string().optional(),
  mechanism: z.string().optional(),
  interruptive: z.boolean().optional(),
  allergy: z.object({ ref: z.string().optional(), display: z.string() }).optional(),
  /** drug-condition: renal-function / potassium / condition; unable-to-screen: why the drug was not screened. */
  reason: z.string().optional(),
  /** drug-condition: what in the chart triggered the finding ("eGFR 24 mL/min/1.73m²"). */
  evidence: z.string().optional(),
});
export type DrugSafetyFinding = z.infer<typeof DrugSafetyFinding>;

export const CONDITION_FLAGS = ['ckd', 'heart-failure', 'asthma'] as const;

/** What the screen knew about the patient (age, sex, weight, renal function, potassium, problem-list flags). */
export const SafetyPatientContext = z.object({
  ageYears: z.number().optional(),
  sex: z.string().optional(),
  weightKg: z.number().optional(),
  egfr: z.number().optional(),
  potassium: z.number().optional(),
  conditions: z.array(z.enum(CONDITION_FLAGS)).readonly().optional(),
});
export type SafetyPatientContext = z.infer<typeof SafetyPatientContext>;

/** POST /api/medications/check-interactions */
export const InteractionCheckResult = z.object({
  patientId: z.string().optional(),
  screened: z.object({ proposed: z.number().int(), active: z.number().int(), allergies: z.number().int() }),
  patient: SafetyPatientContext.optional(),
  findings: z.array(DrugSafetyFinding),
});
export type InteractionCheckResult = z.infer<typeof InteractionCheckResult>;
