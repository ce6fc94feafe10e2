import { api } from '../api/client';
import type { CurrentUser, EnrollmentDone, EnrollmentStart, LoginResult, StepUpResult, TokenResponse } from './types';

/** The auth endpoints; the public ones never send the session token. */
export const authApi = {
  login: (username: string, password: string) =>
    api.post<LoginResult>('/api/auth/login', { username, password }, { auth: false }),
  loginMfa: (mfaToken: string, second: { code: string } | { recoveryCode: string }) =>
    api.post<LoginResult>('/api/auth/login/mfa', { mfaToken, ...second }, { auth: false }),
  me: () => api.get<CurrentUser>('/api/auth/me'),
  logout: (refreshToken?: string) => api.post<void>('/api/auth/logout', refreshToken ? { refreshToken } : {}),
  /** With an enrollment token (MFA required at login) or, without one, the signed-in session. */
  startEnrollment: (enrollmentToken?: string) =>
    api.post<EnrollmentStart>(
      '/api/auth/mfa/enroll',
      {},
      enrollmentToken ? { auth: false, headers: { 'x-mfa-enrollment-token': enrollmentToken } } : {},
    ),
  activateEnrollment: (code: string, enrollmentToken?: string) =>
    api.post<EnrollmentDone>(
      '/api/auth/mfa/activate',
      { code },
      enrollmentToken ? { auth: false, headers: { 'x-mfa-enrollment-token': enrollmentToken } } : {},
    ),
  stepUp: (code: string) => api.post<StepUpResult>('/api/auth/step-up', { code }),
};

export type { TokenResponse };
