import { z } from 'zod';

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
}).strict();

export const MfaLoginBody = z.object({
  mfaToken: z.string().min(20).max(4096),
  code: z.string().regex(/^\d{6}$/, 'a 6-digit code').optional(),
  recoveryCode: z.string().regex(/^[0-9a-fA-F]{4}(-[0-9a-fA-F]{4}){3}$/, 'xxxx-xxxx-xxxx-xxxx').optional(),
}).strict().refine((b) => !!b.code !== !!b.recoveryCode, { message: 'give exactly one of code or recoveryCode', path: ['code'] });

export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(512) }).strict();
export const LogoutBody = z.object({ refreshToken: z.string().min(20).max(512).optional() }).strict();
export const CodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'a 6-digit code') }).strict();
