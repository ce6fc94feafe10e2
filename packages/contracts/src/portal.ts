import { z } from 'zod';
import { ALLERGY_RECORD_STATES } from './chart';
import { FhirId } from './fhir';

/**
 * The patient portal's own routes (issue 16, first increment). Every route reads the caller's own record: the
 * patient id comes from the token, so none of these schemas carries one.
 */

/** The information-blocking exceptions (45 CFR 171 subpart B) a clinician may name when holding a result back. */
export const RESULT_HOLD_EXCEPTIONS = [
  'preventing-harm',
  'privacy',
  'security',
  'infeasibility',
  'health-it-performance',
] as const;
export type ResultHoldException = (typeof RESULT_HOLD_EXCEPTIONS)[number];

/** POST /api/results/:reportId/hold */
export const ResultHoldBody = z
  .object({
    exception: z.enum(RESULT_HOLD_EXCEPTIONS),
    note: z.string().trim().min(1).max(1000),
  })
  .strict();
export type ResultHoldBody = z.infer<typeof ResultHoldBody>;

export const ResultHoldParams = z.object({ reportId: FhirId }).strict();

export const ResultHold = z.object({
  reportId: z.string(),
  patientId: z.string(),
  exception: z.enum(RESULT_HOLD_EXCEPTIONS),
  note: z.string(),
  heldBy: z.string(),
  heldAt: z.string(),
});
export type ResultHold = z.infer<typeof ResultHold>;

/** GET /api/patients/:patientId/result-holds */
export const ResultHoldsParams = z.object({ patientId: FhirId }).strict();
export const ResultHolds = z.object({ holds: z.array(ResultHold) });
export type ResultHolds = z.infer<typeof ResultHolds>;

export const PortalProblem = z.object({
  id: z.string(),
  name: z.string(),
  since: z.string().nullable(),
});
export const PortalMedication = z.object({
  id: z.string(),
  name: z.string(),
  instructions: z.string().nullable(),
  status: z.string(),
  /** Active or on hold: the patient may ask for a refill of it. */
  refillable: z.boolean(),
});
export const PortalAllergy = z.object({
  id: z.string(),
  substance: z.string(),
  reactions: z.array(z.string()),
  criticality: z.string().nullable(),
});
export const PortalImmunization = z.object({ id: z.string(), vaccine: z.string(), date: z.string().nullable() });
export const PortalVital = z.object({
  name: z.string(),
  /** "128/82 mmHg", "72 /min": already formatted, components included. */
  value: z.string(),
  date: z.string().nullable(),
});
export const PortalVisit = z.object({
  id: z.string(),
  type: z.string(),
  start: z.string().nullable(),
  end: z.string().nullable(),
  reason: z.string().nullable(),
  clinician: z.string().nullable(),
});
export const PortalNote = z.object({
  id: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  author: z.string().nullable(),
  text: z.string(),
});

/** GET /api/portal/record */
export const PortalRecord = z.object({
  problems: z.array(PortalProblem),
  medications: z.array(PortalMedication),
  allergies: z.object({ state: z.enum(ALLERGY_RECORD_STATES), items: z.array(PortalAllergy) }),
  immunizations: z.array(PortalImmunization),
  vitals: z.array(PortalVital),
  visits: z.array(PortalVisit),
  notes: z.array(PortalNote),
  /** Sections left out for a proxy whose tier does not reach them (proxy.ts); absent for the patient. */
  hidden: z
    .array(z.enum(['problems', 'medications', 'allergies', 'immunizations', 'vitals', 'visits', 'notes']))
    .optional(),
});
export type PortalRecord = z.infer<typeof PortalRecord>;

export const PortalTrendPoint = z.object({ date: z.string(), value: z.number() });
export const PortalResultValue = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string().nullable(),
  value: z.string(),
  numeric: z.number().nullable(),
  unit: z.string().nullable(),
  /** "Normal range 3.5 to 5.1 mmol/L — yours is above it." (null when the lab gave no range) */
  rangeText: z.string().nullable(),
  position: z.enum(['below', 'within', 'above', 'unknown']),
  /** Released values of the same test, oldest first, for the trend. */
  trend: z.array(PortalTrendPoint),
});
export const PortalResult = z.object({
  reportId: z.string(),
  name: z.string(),
  date: z.string().nullable(),
  status: z.string(),
  values: z.array(PortalResultValue),
});
export type PortalResult = z.infer<typeof PortalResult>;

/** GET /api/portal/results */
export const PortalResults = z.object({ results: z.array(PortalResult) });
export type PortalResults = z.infer<typeof PortalResults>;

/** GET /api/portal/access-log */
export const PortalAccessLogQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(25),
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,18}$/, 'a cursor from the previous page')
      .optional(),
  })
  .strict();
export type PortalAccessLogQuery = z.infer<typeof PortalAccessLogQuery>;

export const PORTAL_ACCESS_KINDS = ['read', 'write', 'break-glass'] as const;
export const PortalAccessEntry = z.object({
  at: z.string(),
  who: z.string(),
  role: z.string(),
  kind: z.enum(PORTAL_ACCESS_KINDS),
  /** What was looked at or changed, in plain words ("Medications", "Results"). */
  what: z.string(),
});
export type PortalAccessEntry = z.infer<typeof PortalAccessEntry>;
export const PortalAccessLog = z.object({
  entries: z.array(PortalAccessEntry),
  nextCursor: z.string().optional(),
});
export type PortalAccessLog = z.infer<typeof PortalAccessLog>;
