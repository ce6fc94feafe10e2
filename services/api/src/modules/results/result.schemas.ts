import { z } from 'zod';
import { FhirId } from '../../core/fhir/fhir-kit';

const LoincCode = z.string().trim().regex(/^\d{1,7}-\d$/, 'a LOINC code like 2823-3');
/** Results describe the past: a time more than 5 minutes ahead of our clock is impossible. */
const PastInstant = z.iso.datetime({ offset: true }).refine((s) => Date.parse(s) <= Date.now() + 5 * 60_000, 'cannot be in the future');

export const ObservationInput = z.object({
  code: LoincCode,
  value: z.number().finite().min(-1e9).max(1e9),
  unit: z.string().trim().min(1).max(40),
  referenceRange: z.object({ low: z.number().finite().optional(), high: z.number().finite().optional(), text: z.string().trim().max(100).optional() }).strict()
    .refine((r) => r.low === undefined || r.high === undefined || r.low <= r.high, { message: 'low is above high', path: ['low'] }).optional(),
  effectiveDateTime: PastInstant.optional(),
  note: z.string().trim().max(500).optional(),
}).strict();
export type ObservationInput = z.infer<typeof ObservationInput>;

/**
 * What a lab interface posts: the order it answers, the report header and its numeric results. Patient and
 * ordering provider come from the order, so the interface cannot file a result on the wrong chart.
 */
export const IngestBody = z.object({
  serviceRequestId: FhirId,
  report: z.object({
    status: z.enum(['preliminary', 'final']).default('final'),
    effectiveDateTime: PastInstant.optional(),
    issued: PastInstant.optional(),
    conclusion: z.string().trim().max(2000).optional(),
    accession: z.string().trim().regex(/^[A-Za-z0-9\-_.]{1,64}$/, 'letters, digits, - _ .').optional(),
    performer: z.string().trim().max(200).optional(),
  }).strict().refine((r) => !r.effectiveDateTime || !r.issued || Date.parse(r.issued) >= Date.parse(r.effectiveDateTime), { message: 'issued before the specimen was taken', path: ['issued'] }).default({ status: 'final' }),
  observations: z.array(ObservationInput).min(1).max(100)
    .refine((list) => new Set(list.map((o) => o.code)).size === list.length, 'each LOINC code at most once per report'),
}).strict();
export type IngestBody = z.infer<typeof IngestBody>;

export const ReportParams = z.object({ reportId: FhirId }).strict();
export const AckBody = z.object({ ifMatch: z.string().regex(/^\d{1,10}$/).optional() }).strict().default({});
export const ResultsQuery = z.object({
  code: LoincCode.optional(),
  since: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional(),
  _count: z.coerce.number().int().min(1).max(200).default(50),
}).strict();
export const TrendQuery = z.object({ code: LoincCode, since: z.union([z.iso.date(), z.iso.datetime({ offset: true })]).optional() }).strict();
