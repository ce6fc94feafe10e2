/**
 * /api/erx: e-prescribing over NCPDP SCRIPT (send, cancel and status of a prescription, the prescriber's inbox of
 * pharmacy requests, the network pharmacy directory) and the network medication history of a patient. The
 * network's inbound endpoint speaks SCRIPT XML, not JSON, so it has no schema here.
 */
import { z } from 'zod';
import { DeaSchedule } from './drug-safety';
import { FhirId } from './fhir';

export const ErxPrescriptionParams = z.object({ medicationRequestId: FhirId });
export const ErxSendBody = z.object({ pharmacyId: FhirId.optional() }).optional();
export const ErxTaskParams = z.object({ taskId: FhirId });
export const ErxRespondBody = z.object({
  decision: z.enum(['approve', 'deny']),
  note: z.string().trim().min(1).max(210).optional(),
  reasonCode: z
    .string()
    .regex(/^[A-Z]{2}$/, 'a 2-letter NCPDP denial reason code')
    .optional(),
});
export type ErxRespondBody = z.infer<typeof ErxRespondBody>;
export const PharmacyDirectoryQuery = z
  .object({
    name: z.string().trim().min(2).max(70).optional(),
    zip: z
      .string()
      .regex(/^\d{3,5}$/, '3 to 5 digits')
      .optional(),
    ncpdpId: z
      .string()
      .regex(/^\d{7}$/, '7 digits')
      .optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine((q) => q.name || q.zip || q.ncpdpId, { message: 'give name, zip or ncpdpId', path: ['name'] });
export const MedicationHistoryParams = z.object({ patientId: FhirId });

// ---- responses ------------------------------------------------------------------------------------------

export const ERX_STATUSES = ['pending', 'sent', 'accepted', 'rejected', 'error', 'received'] as const;
export const ErxStatus = z.enum(ERX_STATUSES);
export type ErxStatus = z.infer<typeof ErxStatus>;

/**
 * An outbound SCRIPT message queued for the network (202). `queued` is false when the job could not be put on the
 * queue right away (the outbox sweeper delivers it later); controlled substances are signed (EPCS).
 */
export const ErxQueued = z.object({
  messageId: z.string(),
  type: z.string(),
  status: z.literal('pending'),
  queued: z.boolean(),
  controlled: z.boolean(),
  deaSchedule: DeaSchedule.optional(),
  signed: z.literal(true).optional(),
  /** The FHIR Task that mirrors the transmission (absent for answers to pharmacy requests). */
  taskId: z.string().optional(),
});
export type ErxQueued = z.infer<typeof ErxQueued>;

/** POST /api/erx/inbox/:taskId/respond (202) */
export const ErxRespondResult = ErxQueued.extend({ taskId: z.string(), decision: z.enum(['approve', 'deny']) });
export type ErxRespondResult = z.infer<typeof ErxRespondResult>;

export const ErxMessage = z.object({
  messageId: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  type: z.string(),
  status: ErxStatus,
  reason: z.string().nullable(),
  responseCode: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  relatesToMessageId: z.string().nullable(),
  taskId: z.string().nullable(),
  signed: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});
export type ErxMessage = z.infer<typeof ErxMessage>;

/** GET /api/erx/prescriptions/:medicationRequestId/status: the NewRx/CancelRx in force and every message. */
export const ErxPrescriptionStatus = z.object({
  medicationRequestId: z.string(),
  status: z.union([ErxStatus, z.literal('not-sent')]),
  cancelled: z.boolean(),
  current: ErxMessage.nullable(),
  messages: z.array(ErxMessage),
});
export type ErxPrescriptionStatus = z.infer<typeof ErxPrescriptionStatus>;

export const ErxInboxItem = z.object({
  taskId: z.string().optional(),
  /** erx-renewal-request or erx-change-request */
  code: z.string().optional(),
  patientId: z.string().optional(),
  medicationRequestId: z.string().optional(),
  description: z.string().optional(),
  authoredOn: z.string().optional(),
});
export type ErxInboxItem = z.infer<typeof ErxInboxItem>;

/** GET /api/erx/inbox */
export const ErxInbox = z.object({ items: z.array(ErxInboxItem) });
export type ErxInbox = z.infer<typeof ErxInbox>;

/** A pharmacy of the network directory; other fields the network sends are passed through. */
export const DirectoryPharmacy = z
  .object({
    ncpdpId: z.string(),
    name: z.string(),
    npi: z.string().optional(),
    address: z
      .object({
        line1: z.string().optional(),
        city: z.string().optional(),
        state: z.string().optional(),
        postalCode: z.string().optional(),
      })
      .optional(),
    phone: z.string().optional(),
    fax: z.string().optional(),
    specialties: z.array(z.string()).optional(),
    /** Accepts electronic controlled-substance prescriptions. */
    epcs: z.boolean().optional(),
    open24h: z.boolean().optional(),
  })
  .passthrough();

/** What the network's directory answers (checked before it is used). */
export const NetworkDirectoryAnswer = z.object({ total: z.number().int(), pharmacies: z.array(DirectoryPharmacy) });

/** GET /api/erx/pharmacies: directory entries, with the FHIR Organization where the pharmacy is one of ours. */
export const PharmacyDirectoryResult = z.object({
  total: z.number().int(),
  pharmacies: z.array(DirectoryPharmacy.extend({ organizationId: z.string().nullable() })),
});
export type PharmacyDirectoryResult = z.infer<typeof PharmacyDirectoryResult>;
export type DirectoryPharmacy = PharmacyDirectoryResult['pharmacies'][number];

/** One fill the network knows about; `quantity` is the SCRIPT decimal as sent. */
export const NetworkHistoryItem = z.object({
  description: z.string(),
  rxnorm: z.string().nullable(),
  ndc: z.string().nullable(),
  quantity: z.string(),
  unitCode: z.string(),
  daysSupply: z.number().nullable(),
  lastFillDate: z.string().nullable(),
  pharmacyName: z.string().nullable(),
  sig: z.string(),
});
export type NetworkHistoryItem = z.infer<typeof NetworkHistoryItem>;

/** GET /api/patients/:patientId/medication-history (SCRIPT RxHistoryRequest → RxHistoryResponse) */
export const NetworkMedicationHistory = z.object({
  patientId: z.string(),
  source: z.literal('surescripts'),
  retrievedAt: z.string(),
  items: z.array(NetworkHistoryItem),
});
export type NetworkMedicationHistory = z.infer<typeof NetworkMedicationHistory>;
