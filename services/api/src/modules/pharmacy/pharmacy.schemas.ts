import { z } from 'zod';
import { FhirId } from '../../core/fhir/fhir-kit';

export const QUEUE_STATUSES = ['queued', 'claimed', 'verified', 'dispensed', 'partially_dispensed', 'returned'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
/** The statuses that still need the pharmacist's work; the default queue view. */
export const OPEN_STATUSES: readonly QueueStatus[] = ['queued', 'claimed', 'verified', 'partially_dispensed'];

/** An NDC as printed: 10 or 11 digits, with or without the two hyphens. */
export const NdcInput = z.string().trim().regex(/^(\d{4,5}-\d{3,4}-\d{1,2}|\d{10,11})$/, 'an NDC: 10 or 11 digits, optionally 5-4-2 / 4-4-2 / 5-3-2 / 5-4-1 hyphenated');
const Quantity = z.number().positive('quantity must be greater than 0').max(100_000).refine((n) => Math.round(n * 1000) === n * 1000, 'at most 3 decimals');
const Reason = z.string().trim().min(5, 'a reason needs at least 5 characters').max(500);

export const QueueQuery = z.object({
  /** One status, a comma-separated list, or "open" (default) / "all". */
  status: z.string().trim().default('open').transform((s, ctx) => {
    if (s === 'open') return [...OPEN_STATUSES];
    if (s === 'all') return [...QUEUE_STATUSES];
    const list = s.split(',').map((x) => x.trim());
    const bad = list.filter((x) => !(QUEUE_STATUSES as readonly string[]).includes(x));
    if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown status ${bad.join(', ')}; use open, all or ${QUEUE_STATUSES.join(', ')}` });
    return list as QueueStatus[];
  }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** Skip the safety re-screen (a faster list); the item view and verify always screen. */
  findings: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
}).strict();

export const MrParams = z.object({ medicationRequestId: FhirId }).strict();

export const VerifyBody = z.object({
  decisions: z.array(z.object({
    findingId: z.string().min(1).max(300),
    action: z.enum(['accept', 'override', 'contact-prescriber']),
    reason: z.string().trim().max(500).optional(),
  }).strict()).max(50).default([]),
}).strict();

const SUBSTITUTION_TYPES = ['E', 'EC', 'BC', 'G', 'TE', 'TB', 'TG', 'F'] as const;

export const DispenseBody = z.object({
  ndc: NdcInput,
  quantity: Quantity,
  /** A specific lot; without it the first-expiring unexpired lot that covers the quantity is used (FEFO). */
  lot: z.string().trim().min(1).max(40).optional(),
  /** With `lot`: the expiry printed on it (YYYY-MM-DD); must match the stocked lot and not be past. */
  expiry: z.iso.date().optional(),
  daysSupply: z.number().int().min(1).max(365),
  substitution: z.object({
    /** v3 ActSubstanceAdminSubstitutionCode: E, EC, BC, G (generic), TE, TB, TG (therapeutic), F (formulary). */
    type: z.enum(SUBSTITUTION_TYPES),
    reason: Reason,
  }).strict().optional(),
  counselling: z.object({
    offered: z.boolean(),
    accepted: z.boolean(),
    notes: z.string().trim().max(1000).optional(),
  }).strict().refine((c) => c.offered || !c.accepted, { message: 'counselling cannot be accepted when it was not offered', path: ['accepted'] }),
}).strict().refine((b) => !b.expiry || b.lot, { message: 'expiry is given with a lot', path: ['expiry'] });
export type DispenseBody = z.infer<typeof DispenseBody>;

export const ReturnBody = z.object({
  reason: Reason,
  /** v3 ActReason-ish short code for reporting (e.g. "clarification", "drug-interaction", "out-of-stock"). */
  reasonCode: z.enum(['clarification', 'drug-interaction', 'allergy', 'dose', 'out-of-stock', 'not-covered', 'other']).default('clarification'),
}).strict();

export const ReceiptBody = z.object({
  ndc: NdcInput,
  lot: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9\-./]+$/, 'letters, digits, - . /'),
  expiry: z.iso.date(),
  quantity: Quantity,
  /** UCUM unit of the stock (default {tablet}... the unit of dispensing). */
  unit: z.string().trim().min(1).max(30).default('{tablet}'),
  supplier: z.string().trim().max(200).optional(),
  invoiceNumber: z.string().trim().max(60).optional(),
  /** Sets the NDC's low-stock threshold at the same time. */
  lowStockThreshold: z.number().min(0).max(100_000).optional(),
}).strict();
export type ReceiptBody = z.infer<typeof ReceiptBody>;

export const NdcParams = z.object({ ndc: NdcInput }).strict();
export const ThresholdBody = z.object({ lowStockThreshold: z.number().min(0).max(100_000) }).strict();

export const InventoryQuery = z.object({
  ndc: NdcInput.optional(),
  /** Include lots with no stock left. */
  includeEmpty: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
}).strict();

export const AlertsQuery = z.object({
  expiringWithinDays: z.coerce.number().int().min(1).max(365).default(30),
}).strict();

export const CsReportQuery = z.object({
  ndc: NdcInput.optional(),
  from: z.iso.datetime({ offset: true }).or(z.iso.date()),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()),
  /** Include the log entries of the period (default when one NDC is asked for). */
  entries: z.enum(['true', 'false']).optional(),
}).strict();
