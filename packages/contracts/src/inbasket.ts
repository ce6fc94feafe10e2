/**
 * The clinician in-basket (issue 15): one list of work addressed to the signed-in user or to a pool of the user's
 * role — pharmacy renewal/change requests, prescriptions returned by the pharmacy, critical results, notes to
 * co-sign, patient messages and refill requests — answered in place. Plus the patient's side (portal messages and
 * refill requests).
 */
import { z } from 'zod';
import { FhirId } from './fhir';

export const INBASKET_KINDS = [
  'erx-renewal',
  'erx-change',
  'pharmacy-return',
  'critical-result',
  'note-cosign',
  'patient-message',
  'refill-request',
] as const;
export const InbasketKind = z.enum(INBASKET_KINDS);
export type InbasketKind = z.infer<typeof InbasketKind>;

/** Work a whole group shares (Task.performerType), beside work owned by one practitioner (Task.owner). */
export const INBASKET_POOLS = ['nursing', 'pharmacy-returns'] as const;
export const InbasketPool = z.enum(INBASKET_POOLS);
export type InbasketPool = z.infer<typeof InbasketPool>;

export const INBASKET_ACTIONS = [
  'approve',
  'deny',
  'acknowledge',
  'discontinue',
  'resend',
  'reply',
  'cosign',
  'complete',
] as const;
export const InbasketActionName = z.enum(INBASKET_ACTIONS);
export type InbasketActionName = z.infer<typeof InbasketActionName>;

/** `task-<Task id>` or `result-<DiagnosticReport id>`: which workflow owns the item is in its id. */
export const InbasketItemId = z
  .string()
  .regex(/^(task|result)-[A-Za-z0-9\-.]{1,64}$/, 'an in-basket item id (task-… or result-…)');

export const InbasketLink = z.object({ label: z.string(), href: z.string() });

/** What the portal and the in-basket show of a file attached to a patient's message (the bytes are downloaded apart). */
export const MessageAttachment = z.object({
  /** Position in the message's attachments: GET /api/messages/:communicationId/attachments/:index */
  index: z.number().int().min(0),
  communicationId: z.string(),
  title: z.string(),
  contentType: z.string(),
  size: z.number().int().nullable(),
});
export type MessageAttachment = z.infer<typeof MessageAttachment>;

/** Types a patient may attach, known from the bytes (never from the name or the browser's claim). */
export const MESSAGE_ATTACHMENT_TYPES = [
  'application/pdf',
  'image/jpeg',
  'image/png',
  'image/heic',
  'image/heif',
  'text/plain',
] as const;
export const MESSAGE_ATTACHMENT_ACCEPT = '.pdf,.jpg,.jpeg,.png,.heic,.heif,.txt,' + MESSAGE_ATTACHMENT_TYPES.join(',');
export const MESSAGE_ATTACHMENT_LIMITS = {
  maxFiles: 3,
  maxFileBytes: 5 * 1024 * 1024,
  maxTotalBytes: 10 * 1024 * 1024,
};

/** GET /api/messages/:communicationId/attachments/:index */
export const MessageAttachmentParams = z.object({
  communicationId: FhirId,
  index: z.coerce
    .number()
    .int()
    .min(0)
    .max(MESSAGE_ATTACHMENT_LIMITS.maxFiles - 1),
});

export const InbasketItem = z.object({
  id: z.string(),
  kind: InbasketKind,
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  title: z.string(),
  detail: z.string().nullable(),
  created: z.string().nullable(),
  due: z.string().nullable(),
  priority: z.enum(['routine', 'urgent', 'asap', 'stat']),
  /** Addressed to the user (`null`) or to one of the user's pools. */
  pool: InbasketPool.nullable(),
  /** The resource the item is about (MedicationRequest/…, DiagnosticReport/…, DocumentReference/…, Communication/…). */
  focus: z.string().nullable(),
  links: z.array(InbasketLink),
  actions: z.array(InbasketActionName),
  /** Files a patient attached to their message (patient-message items that have any). */
  attachments: z.array(MessageAttachment).optional(),
});
export type InbasketItem = z.infer<typeof InbasketItem>;

export const InbasketQuery = z
  .object({
    kind: InbasketKind.optional(),
  })
  .strict();

/** GET /api/inbasket */
export const InbasketList = z.object({ total: z.number().int(), items: z.array(InbasketItem) });
export type InbasketList = z.infer<typeof InbasketList>;

/** GET /api/inbasket/counts */
export const InbasketCounts = z.object({
  total: z.number().int(),
  byKind: z.record(InbasketKind, z.number().int()),
});
export type InbasketCounts = z.infer<typeof InbasketCounts>;

export const InbasketItemParams = z.object({ itemId: InbasketItemId });

const Reason = z.string().trim().min(3, 'a reason needs at least 3 characters').max(500);
const Note = z.string().trim().min(1).max(210);

/** POST /api/inbasket/:itemId/actions: one action, its fields depending on which. */
export const InbasketActionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), note: Note.optional() }).strict(),
  z
    .object({
      action: z.literal('deny'),
      reason: Reason,
      /** NCPDP SCRIPT denial reason code, for eRx requests (e.g. AA patient unknown, AF no longer on the drug). */
      reasonCode: z
        .string()
        .regex(/^[A-Z]{2}$/, 'a 2-letter NCPDP denial reason code')
        .optional(),
    })
    .strict(),
  z.object({ action: z.literal('acknowledge'), note: Note.optional() }).strict(),
  z.object({ action: z.literal('discontinue'), reason: Reason }).strict(),
  z.object({ action: z.literal('resend'), note: Note.optional() }).strict(),
  z.object({ action: z.literal('reply'), text: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ action: z.literal('cosign') }).strict(),
  z.object({ action: z.literal('complete'), note: Note.optional() }).strict(),
]);
export type InbasketActionBody = z.infer<typeof InbasketActionBody>;

export const InbasketActionResult = z.object({
  itemId: z.string(),
  action: InbasketActionName,
  /** What the item is now: closed (done), or still open (e.g. a message thread kept open). */
  status: z.enum(['closed', 'open']),
  /** What the action created or changed, e.g. MedicationRequest/… of a renewal, Communication/… of a reply. */
  resources: z.array(z.string()),
  /** eRx message queued by the action (renewal response, NewRx of an approved refill). */
  erxMessageId: z.string().nullable(),
});
export type InbasketActionResult = z.infer<typeof InbasketActionResult>;

/**
 * POST /api/portal/messages (patient): this JSON body, or the same fields as multipart/form-data with up to
 * MESSAGE_ATTACHMENT_LIMITS.maxFiles files in the field `files`.
 */
export const PortalMessageBody = z
  .object({
    subject: z.string().trim().min(1).max(120),
    text: z.string().trim().min(1).max(4000),
  })
  .strict();
export type PortalMessageBody = z.infer<typeof PortalMessageBody>;

/** POST /api/portal/refill-requests (patient) */
export const PortalRefillBody = z
  .object({
    medicationRequestId: FhirId,
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict();
export type PortalRefillBody = z.infer<typeof PortalRefillBody>;

export const PortalRequest = z.object({
  id: z.string(),
  type: z.enum(['message', 'refill-request']),
  status: z.enum(['open', 'answered', 'approved', 'denied']),
  subject: z.string(),
  text: z.string().nullable(),
  created: z.string().nullable(),
  /** The clinician's answer: the reply text or the denial reason. */
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  /** Files the patient attached to their message. */
  attachments: z.array(MessageAttachment).optional(),
});
export type PortalRequest = z.infer<typeof PortalRequest>;

/** GET /api/portal/requests */
export const PortalRequests = z.object({ items: z.array(PortalRequest) });
export type PortalRequests = z.infer<typeof PortalRequests>;

/** Socket.io message the in-basket channel sends to a user's or pool's room when its items change. */
export const INBASKET_SOCKET_MESSAGE = 'inbasket.changed';
export const InbasketChanged = z.object({ kind: InbasketKind.nullable(), change: z.enum(['created', 'closed']) });
export type InbasketChanged = z.infer<typeof InbasketChanged>;

/**
 * POST /api/notes/:id/sign (optional body): name a co-signer, who then finds the note in their in-basket. A user
 * (cosignerUserId) or a Practitioner directly.
 */
export const SignNoteBody = z
  .object({
    cosignerUserId: z.uuid().optional(),
    cosignerPractitionerId: FhirId.optional(),
  })
  .strict()
  .refine((b) => !(b.cosignerUserId && b.cosignerPractitionerId), {
    message: 'name the co-signer once: a user or a practitioner',
    path: ['cosignerPractitionerId'],
  });
export type SignNoteBody = z.infer<typeof SignNoteBody>;
