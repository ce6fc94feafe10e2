/** /api/portal-accounts: inviting a patient to the portal, activating the account, resetting its password. */
import { z } from 'zod';
import { OtpChannel } from './auth';

const FhirIdString = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR id');
const LinkToken = z.string().regex(/^[A-Za-z0-9_-]{32,128}$/, 'the token from the link');

/** POST /api/portal-accounts/invitations: the address comes from the Patient's telecom, never from the request. */
export const PortalInvitationBody = z.object({ patientId: FhirIdString, channel: OtpChannel }).strict();
export type PortalInvitationBody = z.infer<typeof PortalInvitationBody>;
export const PortalInvitation = z.object({
  id: z.string(),
  patientId: z.string(),
  channel: OtpChannel,
  sentTo: z.string(),
  expiresAt: z.string(),
  /** Earlier open invitations for the same patient, now revoked. */
  revokedEarlier: z.number().int(),
});
export type PortalInvitation = z.infer<typeof PortalInvitation>;

/** GET /api/portal-accounts/patients/:patientId: what the chart shows beside "Invite to portal". */
export const PortalAccountParams = z.object({ patientId: FhirIdString }).strict();
export const PortalAccountStatus = z.object({
  patientId: z.string(),
  hasAccount: z.boolean(),
  /** The latest open invitation, if any. */
  pendingInvitation: z.object({ channel: OtpChannel, sentTo: z.string(), expiresAt: z.string() }).nullable(),
  /** The channels the patient can be reached on (from the Patient's telecom), masked. */
  channels: z.array(z.object({ channel: OtpChannel, sentTo: z.string() })),
});
export type PortalAccountStatus = z.infer<typeof PortalAccountStatus>;

export const PortalUsername = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{3,64}$/, '3–64 characters: letters, digits, dot, dash, underscore');

/** POST /api/portal-accounts/activate */
export const PortalActivateBody = z
  .object({ token: LinkToken, username: PortalUsername, password: z.string().min(1).max(256) })
  .strict();
export type PortalActivateBody = z.infer<typeof PortalActivateBody>;
export const PortalActivation = z.object({ username: z.string(), displayName: z.string() });
export type PortalActivation = z.infer<typeof PortalActivation>;

/** POST /api/portal-accounts/password-reset: always 202, whether or not the account exists. */
export const PasswordResetBody = z
  .object({
    username: z.string().trim().min(1).max(64).optional(),
    email: z.email().max(254).optional(),
  })
  .strict()
  .refine((b) => !!b.username !== !!b.email, { message: 'give exactly one of username or email', path: ['username'] });
export type PasswordResetBody = z.infer<typeof PasswordResetBody>;
export const PasswordResetAccepted = z.object({ status: z.literal('accepted') });
export type PasswordResetAccepted = z.infer<typeof PasswordResetAccepted>;

/** POST /api/portal-accounts/password-reset/complete */
export const PasswordResetCompleteBody = z.object({ token: LinkToken, password: z.string().min(1).max(256) }).strict();
export type PasswordResetCompleteBody = z.infer<typeof PasswordResetCompleteBody>;
export const PasswordResetDone = z.object({ status: z.literal('password_changed'), revokedSessions: z.number().int() });
export type PasswordResetDone = z.infer<typeof PasswordResetDone>;
