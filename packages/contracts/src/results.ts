/** Results (seed 004 §4.4): filing lab results, acknowledgement, the critical worklist, a patient's reports and trends. */
import { z } from 'zod';
import { fhirResource, FhirId } from './fhir';

const LoincCode = z
  .string()
  .trim()
  .regex(/^\d{1,7}-\d$/, 'a LOINC code like 2823-3');
/** Results describe the past: a time more than 5 minutes ahead of our clock is impossible. */
const PastInstant = z.iso
  .datetime({ offset: true })
  .refine((s) => Date.parse(s) <= Date.now() + 5 * 60_000, 'cannot be in the future');

export const ObservationInput = z
  .object({
    code: LoincCode,
    value: z.number().finite().min(-1e9).max(1e9),
    unit: z.string().trim().min(1).max(40),
    referenceRange: z
      .object({
        low: z.number().finite().optional(),
        high: z.number().finite().optional(),
        text: z.string().trim().max(100).optional(),
      })
      .strict()
      .refine((r) => r.low === undefined || r.high === undefined || r.low <= r.high, {
        message: 'low is above high',
        path: ['low'],
      })
      .optional(),
    effectiveDateTime: PastInstant.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type ObservationInput = z.infer<typeof ObservationInput>;

/**
 * What a lab interface posts: the order it answers, the report header and its numeric results. Patient and
 * ordering provider come from the order, so the interface cannot file a result on the wrong chart.
 */
export const IngestBody = z
  .object({
    serviceRequestId: FhirId,
    report: z
      .object({
        status: z.enum(['preliminary', 'final']).default('final'),
        effectiveDateTime: PastInstant.optional(),
        issued: PastInstant.optional(),
        conclusion: z.string().trim().max(2000).optional(),
        accession: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9\-_.]{1,64}$/, 'letters, digits, - _ .')
          .optional(),
        performer: z.string().trim().max(200).optional(),
      })
      .strict()
      .refine((r) => !r.effectiveDateTime || !r.issued || Date.parse(r.issued) >= Date.parse(r.effectiveDateTime), {
        message: 'issued before the specimen was taken',
        path: ['issued'],
      })
      .default({ status: 'final' }),
    observations: z
      .array(ObservationInput)
      .min(1)
      .max(100)
      .refine(
        (list) => new Set(list.map((o) => o.code)).size === list.length,
        'each LOINC code at most once per report',
      ),
  })
  .strict();
export type IngestBody = z.infer<typeof IngestBody>;

export const ReportParams = z.object({ reportId: FhirId }).strict();
export const AckBody = z
  .object({
    ifMatch: z
      .string()
      .regex(/^\d{1,10}$/)
      .optional(),
  })
  .strict()
  .default({});
/** `patient` narrows the worklist to one chart (the chart's banner asks it). */
export const CriticalWorklistQuery = z.object({ patient: FhirId.optional() }).strict();
export const ResultsQuery = z
  .object({
    code: LoincCode.optional(),
    since: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
    _count: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const FlowsheetQuery = z
  .object({
    category: z.enum(['all', 'laboratory', 'vital-signs']).default('all'),
    since: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
    /** How many of the most recent result days become columns. */
    columns: z.coerce.number().int().min(1).max(30).default(8),
  })
  .strict();
export const TrendQuery = z
  .object({ code: LoincCode, since: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional() })
  .strict();

// ---- responses ------------------------------------------------------------------------------------------

/** The v3 ObservationInterpretation codes this system assigns to numeric results. */
export const INTERPRETATIONS = ['N', 'H', 'L', 'HH', 'LL'] as const;
export const Interpretation = z.enum(INTERPRETATIONS);
export type Interpretation = z.infer<typeof Interpretation>;

/** POST /api/results (201) */
export const IngestResult = z.object({
  reportId: z.string(),
  serviceRequestId: z.string(),
  observations: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      value: z.number(),
      unit: z.string().optional(),
      interpretation: Interpretation,
    }),
  ),
  critical: z.boolean(),
  /** The chart Flag raised for a critical result. */
  flagId: z.string().optional(),
});
export type IngestResult = z.infer<typeof IngestResult>;

/** POST /api/results/:reportId/acknowledge */
export const AcknowledgeResult = z.object({
  reportId: z.string(),
  acknowledged: z.object({
    by: z.object({ reference: z.string().optional(), display: z.string().optional() }),
    at: z.string(),
  }),
  critical: z.boolean(),
  timeToAcknowledgeSeconds: z.number().int(),
});
export type AcknowledgeResult = z.infer<typeof AcknowledgeResult>;

export const CriticalTest = z.object({
  observationId: z.string(),
  code: z.string(),
  /** The test's name (LOINC long name or the lab's own text), never a bare code. */
  display: z.string(),
  value: z.number().nullable(),
  unit: z.string().optional(),
  flag: z.enum(['HH', 'LL', 'AA']),
  referenceRange: z.string().optional(),
});
export type CriticalTest = z.infer<typeof CriticalTest>;

export const CriticalAlert = z.object({
  /** The id to acknowledge: a DiagnosticReport, or a lone Observation when no report holds the value. */
  reportId: z.string(),
  focusType: z.enum(['DiagnosticReport', 'Observation']),
  patientId: z.string(),
  patientName: z.string(),
  patientBirthDate: z.string().optional(),
  serviceRequestId: z.string().nullable(),
  tests: z.array(CriticalTest),
  observationIds: z.array(z.string()),
  codes: z.array(z.string()),
  orderingPractitionerId: z.string().nullable(),
  filedAt: z.string(),
  deadlineAt: z.string(),
  overdue: z.boolean(),
  escalationLevel: z.number().int(),
});
export type CriticalAlert = z.infer<typeof CriticalAlert>;

/** GET /api/results/unacknowledged-critical */
export const CriticalWorklist = z.object({ total: z.number().int(), items: z.array(CriticalAlert) });
export type CriticalWorklist = z.infer<typeof CriticalWorklist>;

export const ResultEntry = z.object({
  report: fhirResource('DiagnosticReport'),
  observations: z.array(fhirResource('Observation')),
  /** Who acknowledged the report and when (a Practitioner or user reference). */
  acknowledged: z.object({ by: z.string().optional(), at: z.string().optional() }).nullable(),
  abnormal: z.boolean(),
});
export type ResultEntry = z.infer<typeof ResultEntry>;

/** GET /api/patients/:patientId/results */
export const ResultList = z.object({ total: z.number().int(), results: z.array(ResultEntry) });
export type ResultList = z.infer<typeof ResultList>;

export const TrendPoint = z.object({
  observationId: z.string(),
  date: z.string(),
  value: z.number(),
  unit: z.string().optional(),
  interpretation: Interpretation.nullable(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

export const TREND_DIRECTIONS = ['rising', 'falling', 'stable', 'insufficient-data'] as const;

/** GET /api/patients/:patientId/results/trend */
export const TrendResult = z.object({
  code: z.string(),
  display: z.string(),
  unit: z.string(),
  referenceRange: z.object({ low: z.number().optional(), high: z.number().optional(), text: z.string().optional() }),
  dataPoints: z.array(TrendPoint),
  trend: z.enum(TREND_DIRECTIONS),
  slopePerDay: z.number().nullable(),
  change: z.number().nullable(),
  latest: TrendPoint.nullable(),
  inRange: z.boolean().nullable(),
});
export type TrendResult = z.infer<typeof TrendResult>;

export const FlowsheetCell = z.object({
  observationId: z.string(),
  at: z.string(),
  value: z.number(),
  unit: z.string().optional(),
  /** The v3 interpretation (N, H, L, HH, LL, A, AA…) the result carries or its reference range implies. */
  flag: z.string().optional(),
});
export type FlowsheetCell = z.infer<typeof FlowsheetCell>;

export const FlowsheetRow = z.object({
  /** LOINC code (a blood pressure panel becomes one row per component). */
  code: z.string(),
  display: z.string(),
  category: z.enum(['laboratory', 'vital-signs']),
  unit: z.string().optional(),
  referenceRange: z.object({ low: z.number().optional(), high: z.number().optional(), text: z.string().optional() }),
  /** One per column (the latest value of that day), null where nothing was measured. */
  cells: z.array(FlowsheetCell.nullable()),
  /** Every value in the window, oldest first, for the graph. */
  points: z.array(FlowsheetCell),
});
export type FlowsheetRow = z.infer<typeof FlowsheetRow>;

/** GET /api/patients/:patientId/flowsheet */
export const Flowsheet = z.object({
  /** Days (YYYY-MM-DD), newest first. */
  columns: z.array(z.string()),
  rows: z.array(FlowsheetRow),
});
export type Flowsheet = z.infer<typeof Flowsheet>;
