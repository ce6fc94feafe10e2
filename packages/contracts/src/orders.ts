/** Orders / CPOE (seed 004 §4.3): the lab, imaging and referral catalog, order sets, placing, listing and cancelling. */
import { z } from 'zod';
import { fhirResource, FhirId } from './fhir';
import { CodingInput } from './medications';

export const ORDER_PRIORITIES = ['routine', 'urgent', 'asap', 'stat'] as const;
export const OrderPriority = z.enum(ORDER_PRIORITIES);
export type OrderPriority = z.infer<typeof OrderPriority>;
export const ORDER_TYPES = ['lab', 'imaging', 'referral'] as const;
export const OrderType = z.enum(ORDER_TYPES);
export type OrderType = z.infer<typeof OrderType>;

const Reason = z
  .object({ coding: z.array(CodingInput).max(5).optional(), text: z.string().trim().min(2).max(300).optional() })
  .strict()
  .refine((r) => r.coding?.length || r.text, 'give a coded reason or a text');

/** A requested time must be a real instant, not in the past (beyond clock skew), and within a year. */
const Occurrence = z.iso.datetime({ offset: true }).refine((s) => {
  const t = Date.parse(s);
  return t > Date.now() - 3_600_000 && t < Date.now() + 366 * 86_400_000;
}, 'must be between now and one year ahead');

export const PlaceOrderBody = z
  .object({
    type: OrderType,
    code: z
      .string()
      .trim()
      .min(1)
      .max(20)
      .regex(/^[0-9A-Za-z-]+$/, 'not a valid code'),
    priority: OrderPriority.default('routine'),
    reason: Reason.optional(),
    note: z.string().trim().max(1000).optional(),
    encounterId: FhirId.optional(),
    occurrenceDateTime: Occurrence.optional(),
    /** Imaging only: with IV contrast. */
    contrast: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.contrast === undefined || b.type === 'imaging', {
    message: 'contrast applies to imaging orders only',
    path: ['contrast'],
  });
export type PlaceOrderBody = z.infer<typeof PlaceOrderBody>;
/** What a client sends (defaults not yet applied). */
export type PlaceOrderRequest = z.input<typeof PlaceOrderBody>;

export const OrderSetBody = z
  .object({
    priority: OrderPriority.optional(),
    exclude: z.array(z.string().min(1).max(20)).max(50).optional(),
    reason: Reason.optional(),
    encounterId: FhirId.optional(),
  })
  .strict();
export type OrderSetBody = z.infer<typeof OrderSetBody>;

export const OrderSetParams = z
  .object({ patientId: FhirId, setId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'an order set id') })
  .strict();
export const OrderIdParams = z.object({ id: FhirId }).strict();
export const CancelOrderBody = z
  .object({
    reason: z.string().trim().min(3).max(500),
    ifMatch: z
      .string()
      .regex(/^\d{1,10}$/)
      .optional(),
  })
  .strict();
export const CatalogQuery = z
  .object({
    type: OrderType.optional(),
    q: z.string().trim().max(100).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const OrderSetsQuery = z.object({}).strict();
export const OrdersQuery = z
  .object({
    status: z.enum(['active', 'completed', 'revoked', 'on-hold', 'draft', 'all']).default('all'),
    type: OrderType.optional(),
    _count: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();

// ---- responses ------------------------------------------------------------------------------------------

export const CatalogItem = z.object({
  type: OrderType,
  system: z.string(),
  code: z.string(),
  display: z.string(),
  /** Lab specimen or imaging modality / referral specialty. */
  detail: z.string().optional(),
  /** Extra search words (abbreviations clinicians type). */
  synonyms: z.array(z.string()).readonly().optional(),
  fasting: z.boolean().optional(),
});
export type CatalogItem = z.infer<typeof CatalogItem>;

/** GET /api/orders/catalog */
export const CatalogResult = z.object({ items: z.array(CatalogItem) });
export type CatalogResult = z.infer<typeof CatalogResult>;

export const OrderSet = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  items: z.array(CatalogItem.extend({ priority: OrderPriority })),
});
export type OrderSet = z.infer<typeof OrderSet>;

/** GET /api/orders/order-sets */
export const OrderSetList = z.object({ items: z.array(OrderSet) });
export type OrderSetList = z.infer<typeof OrderSetList>;

/** A non-blocking notice on a placed order: the same test was ordered recently. */
export const OrderWarning = z.object({
  code: z.literal('DUPLICATE_ORDER'),
  message: z.string(),
  orderCode: z.string(),
  existingOrderId: z.string(),
});
export type OrderWarning = z.infer<typeof OrderWarning>;

/** POST /api/patients/:patientId/orders (201) */
export const PlaceOrderResult = z.object({ order: fhirResource('ServiceRequest'), warnings: z.array(OrderWarning) });
export type PlaceOrderResult = z.infer<typeof PlaceOrderResult>;

/** POST /api/patients/:patientId/order-sets/:setId (201); `requisition` groups the orders placed together. */
export const PlaceOrderSetResult = z.object({
  orderSetId: z.string(),
  requisition: z.string(),
  orders: z.array(fhirResource('ServiceRequest')),
  warnings: z.array(OrderWarning),
});
export type PlaceOrderSetResult = z.infer<typeof PlaceOrderSetResult>;

/** ServiceRequest.status (request-status). */
export const ORDER_STATUSES = [
  'draft',
  'active',
  'on-hold',
  'revoked',
  'completed',
  'entered-in-error',
  'unknown',
] as const;

export const OrderSummary = z.object({
  id: z.string(),
  type: OrderType.optional(),
  status: z.enum(ORDER_STATUSES),
  priority: OrderPriority.optional(),
  code: z
    .object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() })
    .passthrough()
    .optional(),
  authoredOn: z.string().optional(),
  requester: z.string().optional(),
  serviceRequest: fhirResource('ServiceRequest'),
});
export type OrderSummary = z.infer<typeof OrderSummary>;

/** GET /api/patients/:patientId/orders */
export const OrderList = z.object({ total: z.number().int(), items: z.array(OrderSummary) });
export type OrderList = z.infer<typeof OrderList>;

/** GET /api/orders/:id */
export const OrderDetail = fhirResource('ServiceRequest');

/** POST /api/orders/:id/cancel */
export const CancelOrderResult = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  order: fhirResource('ServiceRequest'),
});
export type CancelOrderResult = z.infer<typeof CancelOrderResult>;
