/** /api/auth: login (with MFA), token refresh, the current user, TOTP enrolment and step-up. */
import { z } from 'zod';
import { PERMISSIONS, ROLES } from './roles';

export const LoginBody = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict();

export const MfaLoginBody = z
  .object({
    mfaToken: z.string().min(20).max(4096),
    code: z
      .string()
      .regex(/^\d{6}$/, 'a 6-digit code')
      .optional(),
    recoveryCode: z
      .string()
      .regex(/^[0-9a-fA-F]{4}(-[0-9a-fA-F]{4}){3}$/, 'xxxx-xxxx-xxxx-xxxx')
      .optional(),
  })
  .strict()
  .refine((b) => !!b.code !== !!b.recoveryCode, {
    message: 'give exactly one of code or recoveryCode',
    path: ['code'],
  });

export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(512) }).strict();
export const LogoutBody = z.object({ refreshToken: z.string().min(20).max(512).optional() }).strict();
export const CodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'a 6-digit code') }).strict();

export const PublicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  fhirUser: z.string().optional(),
  mfaEnabled: z.boolean(),
});
export type PublicUser = z.infer<typeof PublicUser>;

export const TokenPair = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  refreshToken: z.string(),
});
export type TokenPair = z.infer<typeof TokenPair>;

export const OtpChannel = z.enum(['email', 'sms']);
export type OtpChannel = z.infer<typeof OtpChannel>;

/** Where a sign-in code can go, masked ("m***@example.org", "***-***-1234"). */
export const OtpDestination = z.object({ channel: OtpChannel, sentTo: z.string() });
export type OtpDestination = z.infer<typeof OtpDestination>;

export const LoginResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('authenticated'), user: PublicUser, ...TokenPair.shape }),
  z.object({ status: z.literal('mfa_required'), mfaToken: z.string(), expiresIn: z.number().int() }),
  z.object({
    status: z.literal('mfa_enrollment_required'),
    user: PublicUser,
    enrollmentToken: z.string(),
    expiresIn: z.number().int(),
  }),
  /** Patient accounts: a one-time code was sent; finish with POST /api/auth/login/otp. */
  z.object({
    status: z.literal('otp_required'),
    otpRequired: z.literal(true),
    otpToken: z.string(),
    expiresIn: z.number().int(),
    channel: OtpChannel,
    sentTo: z.string(),
    /** Every destination on file: the patient may ask for the code on another one. */
    channels: z.array(OtpDestination),
    resendAfterSeconds: z.number().int(),
  }),
]);
export type LoginResult = z.infer<typeof LoginResult>;

/** GET /api/auth/me */
export const CurrentUser = PublicUser.extend({
  permissions: z.array(z.enum(PERMISSIONS)),
  mfaAt: z.number().nullable(),
});
export type CurrentUser = z.infer<typeof CurrentUser>;

export const MfaEnrollment = z.object({ otpauthUri: z.string(), qrCodeDataUrl: z.string(), secret: z.string() });
export type MfaEnrollment = z.infer<typeof MfaEnrollment>;

export const MfaActivation = TokenPair.extend({ recoveryCodes: z.array(z.string()) });
export type MfaActivation = z.infer<typeof MfaActivation>;

export const StepUpResult = z.object({ accessToken: z.string(), expiresIn: z.number().int(), mfaAt: z.number() });
export type StepUpResult = z.infer<typeof StepUpResult>;

const OtpToken = z.string().min(20).max(128);

/** POST /api/auth/login/otp */
export const OtpLoginBody = z
  .object({ otpToken: OtpToken, code: z.string().regex(/^\d{6}$/, 'a 6-digit code') })
  .strict();
export type OtpLoginBody = z.infer<typeof OtpLoginBody>;

/** POST /api/auth/login/otp/resend: a new code, on the same or another channel on file (after a cool-down). */
export const OtpResendBody = z.object({ otpToken: OtpToken, channel: OtpChannel.optional() }).strict();
export type OtpResendBody = z.infer<typeof OtpResendBody>;
export const OtpResendResult = z.object({
  channel: OtpChannel,
  sentTo: z.string(),
  expiresIn: z.number().int(),
  resendAfterSeconds: z.number().int(),
});
export type OtpResendResult = z.infer<typeof OtpResendResult>;

/** GET /api/auth/sessions: the caller's signed-in sessions (refresh-token families). */
export const AuthSession = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type AuthSession = z.infer<typeof AuthSession>;
export const AuthSessionList = z.object({ sessions: z.array(AuthSession) });
export type AuthSessionList = z.infer<typeof AuthSessionList>;
export const AuthSessionParams = z.object({ id: z.uuid() }).strict();
export const RevokedSessions = z.object({ revoked: z.number().int() });
export type RevokedSessions = z.infer<typeof RevokedSessions>;
