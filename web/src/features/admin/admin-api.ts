import { api } from '../../core/api/client';
import type { Role } from '../../core/auth/types';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  fhirPractitionerId?: string;
  fhirPractitionerRoleId?: string;
  fhirPatientId?: string;
  pharmacyOrgId?: string;
  deaNumber?: string;
  mfaEnabled: boolean;
  disabled: boolean;
  lockedUntil?: string;
  epcsApprovals: number;
  epcsEnabled: boolean;
  isDemo: boolean;
  createdAt: string;
}

export interface NewUser {
  username: string; displayName: string; role: Role; password: string;
  fhirPatientId?: string; pharmacyOrgId?: string; deaNumber?: string;
}

export interface UserChanges {
  displayName?: string; disabled?: boolean; deaNumber?: string | null; pharmacyOrgId?: string | null;
  unlock?: true; resetMfa?: true;
}

export interface AuditRecord {
  id: string; occurredAt: string; action: string; outcome: 'success' | 'denied' | 'failure';
  userId?: string; username?: string; role?: string; clientId?: string; resourceType?: string; resourceId?: string;
  patientId?: string; clientIp?: string; userAgent?: string; requestId?: string; purposeOfUse?: string;
  details?: Record<string, unknown>;
}
export interface AuditFilters { patient?: string; user?: string; action?: string; outcome?: string; from?: string; to?: string }
export interface AuditVerification { ok: boolean; checked: number; headId?: string; firstBrokenId?: string; reason?: string }

export interface BreakGlassGrant {
  id: string; userId: string; username: string; role: string; patientId: string; reason: string;
  createdAt: string; expiresAt: string; active: boolean;
  review?: { by: string; at: string; outcome: 'appropriate' | 'inappropriate'; note: string };
}

export const adminApi = {
  users: (limit = 200, offset = 0) => api.get<{ users: AdminUser[] }>('/api/users', { limit, offset }),
  user: (id: string) => api.get<AdminUser>(`/api/users/${encodeURIComponent(id)}`),
  createUser: (u: NewUser) => api.post<AdminUser>('/api/users', u),
  updateUser: (id: string, changes: UserChanges) => api.patch<AdminUser>(`/api/users/${encodeURIComponent(id)}`, changes),
  approveEpcs: (id: string) => api.post<AdminUser>(`/api/users/${encodeURIComponent(id)}/epcs-approvals`),
  revokeEpcs: (id: string) => api.delete<AdminUser>(`/api/users/${encodeURIComponent(id)}/epcs-approvals`),
  assign: (id: string, body: { patientId: string; reason: string; expiresAt?: string }) =>
    api.post<void>(`/api/users/${encodeURIComponent(id)}/assignments`, body),
  unassign: (id: string, patientId: string) =>
    api.delete<void>(`/api/users/${encodeURIComponent(id)}/assignments/${encodeURIComponent(patientId)}`),
  audit: (filters: AuditFilters, cursor?: string, limit = 50) =>
    api.get<{ records: AuditRecord[]; nextCursor?: string }>('/api/audit', { ...filters, cursor, limit }),
  verifyAudit: () => api.get<AuditVerification>('/api/audit/verify'),
  breakGlass: (status: 'unreviewed' | 'reviewed' | 'all') => api.get<{ grants: BreakGlassGrant[] }>('/api/break-glass', { status }),
  reviewBreakGlass: (id: string, outcome: 'appropriate' | 'inappropriate', note: string) =>
    api.post<{ id: string; outcome: string }>(`/api/break-glass/${encodeURIComponent(id)}/review`, { outcome, note }),
};

/** What an admin reads about EPCS at a glance (DEA rule: two different admins grant it, and a DEA number is needed). */
export function epcsStatus(u: Pick<AdminUser, 'epcsApprovals' | 'epcsEnabled' | 'deaNumber' | 'role'>): string {
  if (u.epcsEnabled) return 'EPCS enabled';
  if (u.role !== 'physician') return 'Not a prescriber';
  if (u.epcsApprovals >= 2 && !u.deaNumber) return 'Approved; DEA number missing';
  if (u.epcsApprovals === 1) return 'Needs a second admin';
  return 'Not approved';
}
