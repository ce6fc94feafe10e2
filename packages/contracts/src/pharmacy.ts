/**
 * /api/pharmacy: the in-house pharmacy's dispense queue (claim → verify → dispense, or return to the prescriber),
 * its inventory (stock by NDC, lot and expiry, receipts, thresholds, alerts) and the controlled-substance report;
 * plus the `pharmacy:queue` socket message.
 */
import { z } from 'zod';
import { DeaSchedule, DrugSafetyFinding, SafetyPatientContext } from './drug-safety';
import { fhirResource, FhirId } from './fhir';
import { OrderPriority } from './orders';

export const QUEUE_STATUSES = [
  'queued',
  'claimed',
  'verified',
  'dispensed',
  'partially_dispensed',
  'returned',
] as const;
export const QueueStatus = z.enum(QUEUE_STATUSES);
export type QueueStatus = z.infer<typeof QueueStatus>;
/** The statuses that still need the pharmacist's work; the default queue view. */
export const OPEN_STATUSES: readonly QueueStatus[] = ['queued', 'claimed', 'verified', 'partially_dispensed'];

/** An NDC as printed: 10 or 11 digits, with or without the two hyphens. */
export const NdcInput = z
  .string()
  .trim()
  .regex(
    /^(\d{4,5}-\d{3,4}-\d{1,2}|\d{10,11})$/,
    'an NDC: 10 or 11 digits, optionally 5-4-2 / 4-4-2 / 5-3-2 / 5-4-1 hyphenated',
  );
const Quantity = z
  .number()
  .positive('quantity must be greater than 0')
  .max(100_000)
  .refine((n) => Math.round(n * 1000) === n * 1000, 'at most 3 decimals');
const Reason = z.string().trim().min(5, 'a reason needs at least 5 characters').max(500);

export const QueueQuery = z
  .object({
    /** One status, a comma-separated list, or "open" (default) / "all". */
    status: z
      .string()
      .trim()
      .default('open')
      .transform((s, ctx) => {
        if (s === 'open') return [...OPEN_STATUSES];
        if (s === 'all') return [...QUEUE_STATUSES];
        const list = s.split(',').map((x) => x.trim());
        const bad = list.filter((x) => !(QUEUE_STATUSES as readonly string[]).includes(x));
        if (bad.length)
          ctx.addIssue({
            code: 'custom',
            message: `unknown status ${bad.join(', ')}; use open, all or ${QUEUE_STATUSES.join(', ')}`,
          });
        return list as QueueStatus[];
      }),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    /** Skip the safety re-screen (a faster list); the item view and verify always screen. */
    findings: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
  })
  .strict();

export const PharmacyItemParams = z.object({ medicationRequestId: FhirId }).strict();

export const DECISION_ACTIONS = ['accept', 'override', 'contact-prescriber'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** A pharmacist's decision on one finding of the re-screen. */
export const VerifyDecision = z
  .object({
    findingId: z.string().min(1).max(300),
    action: z.enum(DECISION_ACTIONS),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type VerifyDecision = z.infer<typeof VerifyDecision>;

export const VerifyBody = z.object({ decisions: z.array(VerifyDecision).max(50).default([]) }).strict();

/** v3 ActSubstanceAdminSubstitutionCode: E, EC, BC, G (generic), TE, TB, TG (therapeutic), F (formulary). */
export const SUBSTITUTION_TYPES = ['E', 'EC', 'BC', 'G', 'TE', 'TB', 'TG', 'F'] as const;
export type SubstitutionType = (typeof SUBSTITUTION_TYPES)[number];

export const DispenseBody = z
  .object({
    ndc: NdcInput,
    quantity: Quantity,
    /** A specific lot; without it the first-expiring unexpired lot that covers the quantity is used (FEFO). */
    lot: z.string().trim().min(1).max(40).optional(),
    /** With `lot`: the expiry printed on it (YYYY-MM-DD); must match the stocked lot and not be past. */
    expiry: z.iso.date().optional(),
    daysSupply: z.number().int().min(1).max(365),
    substitution: z
      .object({
        type: z.enum(SUBSTITUTION_TYPES),
        reason: Reason,
      })
      .strict()
      .optional(),
    counselling: z
      .object({
        offered: z.boolean(),
        accepted: z.boolean(),
        notes: z.string().trim().max(1000).optional(),
      })
      .strict()
      .refine((c) => c.offered || !c.accepted, {
        message: 'counselling cannot be accepted when it was not offered',
        path: ['accepted'],
      }),
  })
  .strict()
  .refine((b) => !b.expiry || b.lot, { message: 'expiry is given with a lot', path: ['expiry'] });
export type DispenseBody = z.infer<typeof DispenseBody>;

/** Short reason codes for reporting (e.g. "clarification", "drug-interaction", "out-of-stock"). */
export const RETURN_REASONS = [
  'clarification',
  'drug-interaction',
  'allergy',
  'dose',
  'out-of-stock',
  'not-covered',
  'other',
] as const;
export type ReturnReasonCode = (typeof RETURN_REASONS)[number];

export const ReturnBody = z
  .object({
    reason: Reason,
    reasonCode: z.enum(RETURN_REASONS).default('clarification'),
  })
  .strict();

export const ReceiptBody = z
  .object({
    ndc: NdcInput,
    lot: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9\-./]+$/, 'letters, digits, - . /'),
    expiry: z.iso.date(),
    quantity: Quantity,
    /** UCUM unit of the stock (default {tablet}... the unit of dispensing). */
    unit: z.string().trim().min(1).max(30).default('{tablet}'),
    supplier: z.string().trim().max(200).optional(),
    invoiceNumber: z.string().trim().max(60).optional(),
    /** Sets the NDC's low-stock threshold at the same time. */
    lowStockThreshold: z.number().min(0).max(100_000).optional(),
  })
  .strict();
export type ReceiptBody = z.infer<typeof ReceiptBody>;
/** What a client sends (defaults not yet applied). */
export type ReceiptRequest = z.input<typeof ReceiptBody>;

export const NdcParams = z.object({ ndc: NdcInput }).strict();
export const ThresholdBody = z.object({ lowStockThreshold: z.number().min(0).max(100_000) }).strict();

export const InventoryQuery = z
  .object({
    ndc: NdcInput.optional(),
    /** Include lots with no stock left. */
    includeEmpty: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .strict();

export const AlertsQuery = z
  .object({
    expiringWithinDays: z.coerce.number().int().min(1).max(365).default(30),
  })
  .strict();

export const CsReportQuery = z
  .object({
    ndc: NdcInput.optional(),
    from: z.iso.datetime({ offset: true }).or(z.iso.date()),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()),
    /** Include the log entries of the period (default when one NDC is asked for). */
    entries: z.enum(['true', 'false']).optional(),
  })
  .strict();

// ---- responses ------------------------------------------------------------------------------------------

/** A pharmacist's recorded decision on a finding (kind and severity copied from the finding at the time). */
export const RecordedDecision = z.object({
  findingId: z.string(),
  kind: z.string(),
  severity: z.string(),
  action: z.enum(DECISION_ACTIONS),
  reason: z.string().optional(),
  by: z.string(),
  at: z.string(),
});
export type RecordedDecision = z.infer<typeof RecordedDecision>;

export const QueueItem = z.object({
  medicationRequestId: z.string(),
  status: QueueStatus,
  priority: OrderPriority,
  /** STAT or ASAP. */
  stat: z.boolean(),
  authoredOn: z.string().nullable(),
  prescriptionStatus: z.string().optional(),
  patient: z.object({
    id: z.string(),
    name: z.string().optional(),
    mrn: z.string().optional(),
    ageYears: z.number().optional(),
    gender: z.string().optional(),
  }),
  drug: z.object({
    rxnorm: z.string().optional(),
    display: z.string().optional(),
    quantity: z.object({ value: z.number(), unit: z.string().optional(), code: z.string().optional() }).optional(),
    daysSupply: z.number().optional(),
    refills: z.number().optional(),
    sig: z.string().optional(),
    substitutionAllowed: z.boolean().optional(),
    deaSchedule: z.string().optional(),
  }),
  prescriber: z
    .object({ id: z.string().optional(), reference: z.string().optional(), name: z.string().optional() })
    .optional(),
  quantityDispensed: z.number(),
  quantityRemaining: z.number().optional(),
  claimedBy: z.string().nullable(),
  claimedAt: z.string().nullable(),
  claimedByMe: z.boolean(),
  verifiedAt: z.string().nullable(),
  decisions: z.array(RecordedDecision),
  /** The safety re-screen against the current chart (absent when the list was asked for without it). */
  findings: z.array(DrugSafetyFinding).optional(),
  /** Why the screen could not run (the chart was not reachable). */
  findingsError: z.string().optional(),
});
export type QueueItem = z.infer<typeof QueueItem>;

/** GET /api/pharmacy/queue */
export const QueueList = z.object({
  pharmacyOrgId: z.string(),
  total: z.number().int(),
  count: z.number().int(),
  syncedNew: z.number().int(),
  items: z.array(QueueItem),
});
export type QueueList = z.infer<typeof QueueList>;

export const DispenseRecord = z.object({
  id: z.string(),
  medicationDispenseId: z.string().nullable(),
  ndc: z.string(),
  quantity: z.number(),
  lotNumber: z.string(),
  expiry: z.string(),
  dispensedBy: z.string(),
  dispensedAt: z.string(),
});
export type DispenseRecord = z.infer<typeof DispenseRecord>;

export const PrescriberOverride = z.object({
  reason: z.string(),
  findingIds: z.array(z.string()),
  ruleIds: z.array(z.string()),
  by: z.string().optional(),
  at: z.string().optional(),
});
export type PrescriberOverride = z.infer<typeof PrescriberOverride>;

export const SigDetail = z.object({
  text: z.string().optional(),
  patientInstruction: z.string().optional(),
  dose: z.object({ value: z.number(), unit: z.string() }).optional(),
  route: z.string().optional(),
  frequency: z.number().optional(),
  period: z.number().optional(),
  periodUnit: z.string().optional(),
  asNeeded: z.union([z.boolean(), z.string()]).optional(),
  maxDosePerDay: z.object({ value: z.number(), unit: z.string() }).optional(),
});
export type SigDetail = z.infer<typeof SigDetail>;

export const PatientAllergy = z.object({
  id: z.string(),
  substance: z.string(),
  clinicalStatus: z.string().optional(),
  verificationStatus: z.string().optional(),
  criticality: z.string().optional(),
  category: z.array(z.string()).optional(),
  reactions: z.array(z.object({ manifestations: z.array(z.string()), severity: z.string().optional() })),
});
export type PatientAllergy = z.infer<typeof PatientAllergy>;

/** GET /api/pharmacy/drugs: NDC look-up / drug search for receiving stock. */
export const PharmacyDrugQuery = z.object({ q: z.string().trim().min(2).max(100) }).strict();
export const PharmacyDrugHit = z.object({
  rxcui: z.string(),
  name: z.string(),
  tty: z.string(),
  schedule: z.string().optional(),
  /** Package NDCs (11-digit) known for the product; the one searched for first when the query was an NDC. */
  ndcs: z.array(z.string()),
});
export type PharmacyDrugHit = z.infer<typeof PharmacyDrugHit>;
export const PharmacyDrugSearch = z.object({
  query: z.string(),
  byNdc: z.boolean(),
  results: z.array(PharmacyDrugHit),
});
export type PharmacyDrugSearch = z.infer<typeof PharmacyDrugSearch>;

/** GET /api/pharmacy/queue/:medicationRequestId: the item with a fresh screen, the patient context and its dispenses. */
export const QueueItemDetail = QueueItem.extend({
  patientContext: SafetyPatientContext,
  dispenses: z.array(DispenseRecord),
  /** Why the prescriber signed despite blocking findings (one entry per override on the order). */
  prescriberOverrides: z.array(PrescriberOverride).optional(),
  /** The full sig: the text as written and the structured dosage it was built from. */
  sigDetail: SigDetail.optional(),
  /** The patient's allergies (entered-in-error and refuted left out), with reactions. */
  allergies: z.array(PatientAllergy).optional(),
});
export type QueueItemDetail = z.infer<typeof QueueItemDetail>;

/** POST /api/pharmacy/queue/:medicationRequestId/claim */
export const ClaimResult = z.object({
  medicationRequestId: z.string(),
  status: QueueStatus,
  claimedBy: z.string().nullable(),
  claimedAt: z.string().nullable(),
});
export type ClaimResult = z.infer<typeof ClaimResult>;

/** POST /api/pharmacy/queue/:medicationRequestId/release */
export const ReleaseResult = z.object({
  medicationRequestId: z.string(),
  status: QueueStatus,
  claimedBy: z.string().nullable(),
});
export type ReleaseResult = z.infer<typeof ReleaseResult>;

/** POST /api/pharmacy/queue/:medicationRequestId/verify; `verified` is false when a finding went back to the prescriber. */
export const VerifyResult = z.object({
  medicationRequestId: z.string(),
  status: QueueStatus,
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  decisions: z.array(RecordedDecision),
  findings: z.array(DrugSafetyFinding),
});
export type VerifyResult = z.infer<typeof VerifyResult>;

/** v3 ActPharmacySupplyType: FF first fill (complete), FFP first fill partial, FFC first fill complete (the last portion). */
export const FILL_TYPES = ['FF', 'FFP', 'FFC'] as const;

/** POST /api/pharmacy/queue/:medicationRequestId/dispense (201) */
export const DispenseResult = z.object({
  medicationDispense: fhirResource('MedicationDispense'),
  dispense: z.object({
    id: z.string(),
    ndc: z.string(),
    quantity: z.number(),
    fillType: z.enum(FILL_TYPES),
    lot: z.object({ id: z.string(), lotNumber: z.string(), expiry: z.string(), remaining: z.number() }),
    deaSchedule: DeaSchedule.optional(),
  }),
  item: z.object({
    medicationRequestId: z.string(),
    status: z.enum(['dispensed', 'partially_dispensed']),
    quantityDispensed: z.number(),
    quantityRemaining: z.number(),
  }),
});
export type DispenseResult = z.infer<typeof DispenseResult>;

/** POST /api/pharmacy/queue/:medicationRequestId/return: the prescription goes on hold and a Communication tells the prescriber. */
export const ReturnResult = z.object({
  medicationRequestId: z.string(),
  status: QueueStatus,
  prescriptionStatus: z.string(),
  communicationId: z.string(),
});
export type ReturnResult = z.infer<typeof ReturnResult>;

export const InventoryLot = z.object({
  id: z.string(),
  pharmacyOrgId: z.string(),
  ndc: z.string(),
  rxcui: z.string(),
  lotNumber: z.string(),
  expiry: z.string(),
  quantity: z.number(),
  unit: z.string(),
  deaSchedule: DeaSchedule.nullable(),
  updatedAt: z.string(),
});
export type InventoryLot = z.infer<typeof InventoryLot>;

/** POST /api/pharmacy/inventory/receipts (201); `controlled` when the receipt went into the perpetual log. */
export const ReceiptResult = z.object({
  receiptId: z.string(),
  receivedAt: z.string(),
  lot: InventoryLot,
  controlled: z.object({ schedule: z.string(), logId: z.string(), balanceAfter: z.number() }).optional(),
});
export type ReceiptResult = z.infer<typeof ReceiptResult>;

export const StockLot = z.object({
  id: z.string(),
  lotNumber: z.string(),
  expiry: z.string(),
  quantity: z.number(),
  expired: z.boolean(),
});
export type StockLot = z.infer<typeof StockLot>;

export const StockLine = z.object({
  ndc: z.string(),
  ndcFormatted: z.string(),
  rxcui: z.string(),
  name: z.string().optional(),
  unit: z.string(),
  deaSchedule: z.string().nullable(),
  /** Unexpired stock only: expired lots cannot be dispensed. */
  onHand: z.number(),
  expiredQuantity: z.number(),
  lowStockThreshold: z.number().nullable(),
  lowStock: z.boolean(),
  lots: z.array(StockLot),
});
export type StockLine = z.infer<typeof StockLine>;

/** GET /api/pharmacy/inventory */
export const Inventory = z.object({ pharmacyOrgId: z.string(), asOf: z.string(), items: z.array(StockLine) });
export type Inventory = z.infer<typeof Inventory>;

/** PUT /api/pharmacy/inventory/:ndc/threshold */
export const ThresholdResult = z.object({ ndc: z.string(), lowStockThreshold: z.number() });
export type ThresholdResult = z.infer<typeof ThresholdResult>;

export const InventoryAlert = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('low-stock'),
    ndc: z.string(),
    name: z.string().optional(),
    onHand: z.number(),
    threshold: z.number(),
  }),
  z.object({
    kind: z.literal('expiring'),
    ndc: z.string(),
    name: z.string().optional(),
    lotId: z.string(),
    lotNumber: z.string(),
    expiry: z.string(),
    quantity: z.number(),
    daysLeft: z.number().int(),
  }),
  z.object({
    kind: z.literal('expired'),
    ndc: z.string(),
    name: z.string().optional(),
    lotId: z.string(),
    lotNumber: z.string(),
    expiry: z.string(),
    quantity: z.number(),
  }),
]);
export type InventoryAlert = z.infer<typeof InventoryAlert>;

/** GET /api/pharmacy/inventory/alerts */
export const InventoryAlerts = z.object({
  pharmacyOrgId: z.string(),
  asOf: z.string(),
  expiringWithinDays: z.number().int(),
  count: z.number().int(),
  alerts: z.array(InventoryAlert),
});
export type InventoryAlerts = z.infer<typeof InventoryAlerts>;

/** One movement of the controlled-substance perpetual log; quantity signed (receipts +, dispenses −). */
export const CsEntry = z.object({
  id: z.string(),
  kind: z.enum(['receipt', 'dispense']),
  quantity: z.number(),
  balanceAfter: z.number(),
  occurredAt: z.string(),
  lotId: z.string(),
  userId: z.string(),
  receiptId: z.string().nullable(),
  dispenseId: z.string().nullable(),
});
export type CsEntry = z.infer<typeof CsEntry>;

export const CsReportLine = z.object({
  ndc: z.string(),
  ndcFormatted: z.string(),
  rxcui: z.string(),
  name: z.string().optional(),
  deaSchedule: z.string(),
  openingBalance: z.number(),
  received: z.number(),
  dispensed: z.number(),
  closingBalance: z.number(),
  movements: z.number().int(),
  /** opening + received − dispensed = closing, and every row's balance follows from the one before. */
  reconciled: z.boolean(),
  entries: z.array(CsEntry).optional(),
});
export type CsReportLine = z.infer<typeof CsReportLine>;

/** GET /api/pharmacy/controlled-substances/report: `from` inclusive, `to` exclusive. */
export const CsReport = z.object({
  pharmacyOrgId: z.string(),
  from: z.string(),
  to: z.string(),
  drugs: z.array(CsReportLine),
});
export type CsReport = z.infer<typeof CsReport>;

export const QUEUE_CHANGES = [
  'added',
  'claimed',
  'released',
  'verified',
  'dispensed',
  'partially_dispensed',
  'returned',
] as const;
export type QueueChange = (typeof QUEUE_CHANGES)[number];

/** What a pharmacist's browser receives on the `pharmacy:queue` socket (ids and codes only). */
export const QueueChangedMessage = z.object({
  eventId: z.string(),
  medicationRequestId: z.string(),
  patientId: z.string().optional(),
  status: QueueStatus,
  change: z.enum(QUEUE_CHANGES),
  actorUserId: z.string().optional(),
  occurredAt: z.string(),
});
export type QueueChangedMessage = z.infer<typeof QueueChangedMessage>;
