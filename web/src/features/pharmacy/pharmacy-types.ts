/** The pharmacy API's shapes (services/api/src/modules/pharmacy: queue-view, queue-events, dispense, inventory). */

export const QUEUE_STATUSES = ['queued', 'claimed', 'verified', 'dispensed', 'partially_dispensed', 'returned'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];
export type Priority = 'routine' | 'urgent' | 'asap' | 'stat';
export type Severity = 'contraindicated' | 'major' | 'moderate' | 'minor' | 'info';
export type DecisionAction = 'accept' | 'override' | 'contact-prescriber';

export interface DrugRef { ref?: string; role: 'proposed' | 'active'; system: string; code: string; display: string; rxcui?: string }

export interface Finding {
  id: string;
  kind: 'drug-drug' | 'drug-allergy' | 'duplicate-therapy' | 'controlled-substance' | 'unable-to-screen';
  severity: Severity;
  drugs: DrugRef[];
  description: string;
  management?: string;
  source?: string;
  ruleId?: string;
  mechanism?: string;
  interruptive?: boolean;
  allergy?: { ref?: string; display: string };
  reason?: string;
}

export interface RecordedDecision { findingId: string; kind: string; severity: string; action: DecisionAction; reason?: string; by: string; at: string }

export interface QueueItem {
  medicationRequestId: string;
  status: QueueStatus;
  priority: Priority;
  stat: boolean;
  authoredOn: string | null;
  prescriptionStatus?: string;
  patient: { id: string; name?: string; mrn?: string; ageYears?: number; gender?: string };
  drug: {
    rxnorm?: string; display?: string; quantity?: { value: number; unit?: string; code?: string }; daysSupply?: number;
    refills?: number; sig?: string; substitutionAllowed?: boolean; deaSchedule?: string;
  };
  prescriber?: { id?: string; reference?: string; name?: string };
  quantityDispensed: number;
  quantityRemaining?: number;
  claimedBy: string | null;
  claimedAt: string | null;
  claimedByMe: boolean;
  verifiedAt: string | null;
  decisions: RecordedDecision[];
  findings?: Finding[];
  findingsError?: string;
}

/** GET /api/pharmacy/queue */
export interface QueueList { pharmacyOrgId: string; total: number; count: number; syncedNew: number; items: QueueItem[] }

export interface DispenseRecord {
  id: string; medicationDispenseId: string | null; ndc: string; quantity: number; lotNumber: string; expiry: string; dispensedBy: string; dispensedAt: string;
}

/** GET /api/pharmacy/queue/:id */
export interface QueueItemDetail extends QueueItem {
  patientContext?: { ageYears?: number; sex?: string; weightKg?: number; egfr?: number };
  dispenses: DispenseRecord[];
}

/** The `pharmacy:queue` socket message (ids and codes only). */
export interface QueueChangedMessage {
  eventId: string;
  medicationRequestId: string;
  patientId?: string;
  status: QueueStatus;
  change: 'added' | 'claimed' | 'released' | 'verified' | 'dispensed' | 'partially_dispensed' | 'returned';
  actorUserId?: string;
  occurredAt: string;
}

export interface DecisionInput { findingId: string; action: DecisionAction; reason?: string }

export interface VerifyResult {
  medicationRequestId: string; status: QueueStatus; verified: boolean; verifiedAt: string | null; decisions: RecordedDecision[]; findings: Finding[];
}

export const SUBSTITUTION_TYPES = ['G', 'E', 'EC', 'BC', 'TE', 'TB', 'TG', 'F'] as const;
export type SubstitutionType = (typeof SUBSTITUTION_TYPES)[number];

export interface DispenseBody {
  ndc: string;
  quantity: number;
  lot?: string;
  expiry?: string;
  daysSupply: number;
  substitution?: { type: SubstitutionType; reason: string };
  counselling: { offered: boolean; accepted: boolean; notes?: string };
}

export interface DispenseResult {
  medicationDispense: fhir4.MedicationDispense;
  dispense: { id: string; ndc: string; quantity: number; fillType: string; lot: { id: string; lotNumber: string; expiry: string; remaining: number }; deaSchedule?: string };
  item: { medicationRequestId: string; status: QueueStatus; quantityDispensed: number; quantityRemaining: number };
}

export const RETURN_REASONS = ['clarification', 'drug-interaction', 'allergy', 'dose', 'out-of-stock', 'not-covered', 'other'] as const;
export type ReturnReasonCode = (typeof RETURN_REASONS)[number];

export interface ReturnResult { medicationRequestId: string; status: QueueStatus; prescriptionStatus: string; communicationId: string }

export interface StockLot { id: string; lotNumber: string; expiry: string; quantity: number; expired: boolean }

export interface StockLine {
  ndc: string; ndcFormatted: string; rxcui: string; name?: string; unit: string; deaSchedule: string | null;
  onHand: number; expiredQuantity: number; lowStockThreshold: number | null; lowStock: boolean; lots: StockLot[];
}

export interface Inventory { pharmacyOrgId: string; asOf: string; items: StockLine[] }

export type InventoryAlert =
  | { kind: 'low-stock'; ndc: string; name?: string; onHand: number; threshold: number }
  | { kind: 'expiring'; ndc: string; name?: string; lotId: string; lotNumber: string; expiry: string; quantity: number; daysLeft: number }
  | { kind: 'expired'; ndc: string; name?: string; lotId: string; lotNumber: string; expiry: string; quantity: number };

export interface InventoryAlerts { pharmacyOrgId: string; asOf: string; expiringWithinDays: number; count: number; alerts: InventoryAlert[] }

export interface ReceiptBody {
  ndc: string; lot: string; expiry: string; quantity: number; unit?: string; supplier?: string; invoiceNumber?: string; lowStockThreshold?: number;
}

export interface ReceiptResult {
  receiptId: string; receivedAt: string;
  lot: { id: string; ndc: string; lotNumber: string; expiry: string; quantity: number };
  controlled?: { schedule: string; logId: string; balanceAfter: number };
}

/** One movement of the controlled-substance perpetual log; quantity signed (receipts +, dispenses −). */
export interface CsEntry {
  id: string; kind: 'receipt' | 'dispense'; quantity: number; balanceAfter: number; occurredAt: string;
  lotId: string; userId: string; receiptId: string | null; dispenseId: string | null;
}

export interface CsReportLine {
  ndc: string; ndcFormatted: string; rxcui: string; name?: string; deaSchedule: string;
  openingBalance: number; received: number; dispensed: number; closingBalance: number; movements: number; reconciled: boolean;
  entries?: CsEntry[];
}

/** GET /api/pharmacy/controlled-substances/report: `from` inclusive, `to` exclusive. */
export interface CsReport { pharmacyOrgId: string; from: string; to: string; drugs: CsReportLine[] }
