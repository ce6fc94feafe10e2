import type {
  OtpChannel,
  PasswordResetAccepted,
  PasswordResetDone,
  PortalAccountStatus,
  PortalActivation,
  PortalInvitation,
} from '@wintehr/contracts';
import { api } from '../../core/api/client';

export const portalAccountsApi = {
  status: (patientId: string) =>
    api.get<PortalAccountStatus>(`/api/portal-accounts/patients/${encodeURIComponent(patientId)}`),
  invite: (patientId: string, channel: OtpChannel) =>
    api.post<PortalInvitation>('/api/portal-accounts/invitations', { patientId, channel }),
  activate: (token: string, username: string, password: string) =>
    api.post<PortalActivation>('/api/portal-accounts/activate', { token, username, password }, { auth: false }),
  requestReset: (q: { username: string } | { email: string }) =>
    api.post<PasswordResetAccepted>('/api/portal-accounts/password-reset', q, { auth: false }),
  completeReset: (token: string, password: string) =>
    api.post<PasswordResetDone>('/api/portal-accounts/password-reset/complete', { token, password }, { auth: false }),
};
