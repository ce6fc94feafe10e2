import { z } from 'zod';
import { FhirId } from '../../core/fhir/fhir-kit';
import { CodingInput } from '../medications/medication.schemas';

export const PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;
export const ORDER_TYPES = ['lab', 'imaging', 'referral'] as const;

const Reason = z.object({ coding: z.array(CodingInput).max(5).optional(), text: z.string().trim().min(2).max(300).optional() }).strict()
  .refine((r) => r.coding?.length || r.text, 'give a coded reason or a text');

/** A requested time must be a real instant, not in the past (beyond clock skew), and within a year. */
const Occurrence = z.iso.datetime({ offset: true }).refine((s) => {
  const t = Date.parse(s);
  return t > Date.now() - 3_600_000 && t < Date.now() + 366 * 86_400_000;
}, 'must be between now and one year ahead');

export const PlaceOrderBody = z.object({
  type: z.enum(ORDER_TYPES),
  code: z.string().trim().min(1).max(20).regex(/^[0-9A-Za-z-]+$/, 'not a valid code'),
  priority: z.enum(PRIORITIES).default('routine'),
  reason: Reason.optional(),
  note: z.string().trim().max(1000).optional(),
  encounterId: FhirId.optional(),
  occurrenceDateTime: Occurrence.optional(),
  /** Imaging only: with IV contrast. */
  contrast: z.boolean().optional(),
}).strict().refine((b) => b.contrast === undefined || b.type === 'imaging', { message: 'contrast applies to imaging orders only', path: ['contrast'] });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;

export const OrderSetBody = z.object({
  priority: z.enum(PRIORITIES).optional(),
  exclude: z.array(z.string().min(1).max(20)).max(50).optional(),
  reason: Reason.optional(),
  encounterId: FhirId.optional(),
}).strict();

export const OrderSetParams = z.object({ patientId: FhirId, setId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'an order set id') }).strict();
export const CancelBody = z.object({ reason: z.string().trim().min(3).max(500), ifMatch: z.string().regex(/^\d{1,10}$/).optional() }).strict();
export const CatalogQuery = z.object({ type: z.enum(ORDER_TYPES).optional(), q: z.string().trim().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();
export const OrdersQuery = z.object({
  status: z.enum(['active', 'completed', 'revoked', 'on-hold', 'draft', 'all']).default('all'),
  type: z.enum(ORDER_TYPES).optional(),
  _count: z.coerce.number().int().min(1).max(200).default(100),
}).strict();
