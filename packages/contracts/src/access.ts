/** Break the glass: emergency access to an unrelated chart, and the admins' review queue. */
import { z } from 'zod';
import { FhirId } from './fhir';
import { ROLES } from './roles';

export const BreakGlassParams = z.object({ patientId: FhirId }).strict();
export const BreakGlassBody = z
  .object({
    reason: z.string().trim().min(10, 'explain the emergency in at least 10 characters').max(1000),
    minutes: z.number().int().min(5).max(240).default(60),
  })
  .strict();
export type BreakGlassBody = z.input<typeof BreakGlassBody>;

export const BreakGlassOpened = z
  .object({ id: z.string(), patientId: z.string(), expiresAt: z.string(), reviewRequired: z.literal(true) })
  .strict();
export type BreakGlassOpened = z.infer<typeof BreakGlassOpened>;

export const BreakGlassListQuery = z
  .object({
    status: z.enum(['unreviewed', 'reviewed', 'all']).default('unreviewed'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();
export type BreakGlassStatusFilter = z.infer<typeof BreakGlassListQuery>['status'];

export const BreakGlassVerdict = z.enum(['appropriate', 'inappropriate']);
export type BreakGlassVerdict = z.infer<typeof BreakGlassVerdict>;

export const BreakGlassGrant = z
  .object({
    id: z.string(),
    userId: z.string(),
    username: z.string(),
    role: z.enum(ROLES),
    patientId: z.string(),
    reason: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    active: z.boolean(),
    /** Once reviewed; grants reviewed before verdicts were recorded have no outcome or note. */
    review: z
      .object({
        by: z.string().nullable(),
        at: z.string(),
        outcome: BreakGlassVerdict.optional(),
        note: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type BreakGlassGrant = z.infer<typeof BreakGlassGrant>;
export const BreakGlassGrantList = z.object({ grants: z.array(BreakGlassGrant) }).strict();
export type BreakGlassGrantList = z.infer<typeof BreakGlassGrantList>;

export const BreakGlassReviewParams = z.object({ id: z.uuid() }).strict();
export const BreakGlassReviewBody = z
  .object({ outcome: BreakGlassVerdict, note: z.string().trim().min(3).max(2000) })
  .strict();
export type BreakGlassReviewBody = z.input<typeof BreakGlassReviewBody>;
export const BreakGlassReviewed = z.object({ id: z.string(), outcome: BreakGlassVerdict }).strict();
export type BreakGlassReviewed = z.infer<typeof BreakGlassReviewed>;
