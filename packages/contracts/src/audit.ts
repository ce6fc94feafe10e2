/** /api/audit: the admin's window on the audit trail. */
import { z } from 'zod';

/** Largest page GET /api/audit answers. */
export const MAX_AUDIT_PAGE = 1_000;

export const AuditOutcome = z.enum(['success', 'denied', 'failure']);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuditQuery = z
  .object({
    patient: z.string().max(64).optional(),
    user: z.string().max(64).optional(),
    action: z
      .string()
      .regex(/^[a-z0-9.\-*]{1,64}$/, 'an action such as patient.read')
      .optional(),
    outcome: AuditOutcome.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(50),
    cursor: z
      .string()
      .regex(/^\d{1,20}$/)
      .optional(),
  })
  .strict();
/** The filters a client may set (paging aside). */
export type AuditFilters = Omit<z.input<typeof AuditQuery>, 'limit' | 'cursor'>;

export const AuditRecord = z
  .object({
    id: z.string(),
    occurredAt: z.string(),
    action: z.string(),
    outcome: AuditOutcome,
    userId: z.string().optional(),
    username: z.string().optional(),
    role: z.string().optional(),
    clientId: z.string().optional(),
    resourceType: z.string().optional(),
    resourceId: z.string().optional(),
    patientId: z.string().optional(),
    clientIp: z.string().optional(),
    userAgent: z.string().optional(),
    requestId: z.string().optional(),
    purposeOfUse: z.string().optional(),
    details: z.record(z.string(), z.unknown()).optional(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .strict();
export type AuditRecord = z.infer<typeof AuditRecord>;

export const AuditPage = z.object({ records: z.array(AuditRecord), nextCursor: z.string().optional() }).strict();
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditVerification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    /** The last row that verified: anchor its hash elsewhere to detect a later rewrite of the whole tail. */
    headId: z.string().optional(),
    headHash: z.string(),
    firstBrokenId: z.string().optional(),
    reason: z.string().optional(),
  })
  .strict();
export type AuditVerification = z.infer<typeof AuditVerification>;
