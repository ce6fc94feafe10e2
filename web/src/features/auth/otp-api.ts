import type { AuthSessionList, LoginResult, OtpChannel, OtpResendResult, RevokedSessions } from '@wintehr/contracts';
import { api } from '../../core/api/client';

/** The patient sign-in code step and the signed-in user's sessions. */
export const otpApi = {
  verify: (otpToken: string, code: string) =>
    api.post<LoginResult>('/api/auth/login/otp', { otpToken, code }, { auth: false }),
  resend: (otpToken: string, channel?: OtpChannel) =>
    api.post<OtpResendResult>(
      '/api/auth/login/otp/resend',
      { otpToken, ...(channel ? { channel } : {}) },
      { auth: false },
    ),
};

export const sessionsApi = {
  list: () => api.get<AuthSessionList>('/api/auth/sessions'),
  revoke: (id: string) => api.delete<RevokedSessions>(`/api/auth/sessions/${encodeURIComponent(id)}`),
  revokeOthers: () => api.post<RevokedSessions>('/api/auth/sessions/revoke-others'),
};
