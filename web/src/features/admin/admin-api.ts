import { api } from '../../core/api/client';
import type {
  AdminUser,
  AdminUserList,
  AssignmentBody,
  AuditFilters as ContractAuditFilters,
  AuditPage,
  AuditVerification,
  BreakGlassGrantList,
  BreakGlassReviewed,
  BreakGlassStatusFilter,
  BreakGlassVerdict,
  CreateUserBody,
  UpdateUserBody,
} from '@wintehr/contracts';

export type { AdminUser, AuditRecord, AuditVerification, BreakGlassGrant } from '@wintehr/contracts';
/** The request bodies, as a client writes them. */
export type NewUser = CreateUserBody;
export type UserChanges = UpdateUserBody;
/** The audit page's filter form: the outcome comes from a select and is checked by the API. */
export type AuditFilters = Omit<ContractAuditFilters, 'outcome'> & { outcome?: string };

export const adminApi = {
  users: (limit = 200, offset = 0) => api.get<AdminUserList>('/api/users', { limit, offset }),
  user: (id: string) => api.get<AdminUser>(`/api/users/${encodeURIComponent(id)}`),
  createUser: (u: NewUser) => api.post<AdminUser>('/api/users', u),
  updateUser: (id: string, changes: UserChanges) =>
    api.patch<AdminUser>(`/api/users/${encodeURIComponent(id)}`, changes),
  approveEpcs: (id: string) => api.post<AdminUser>(`/api/users/${encodeURIComponent(id)}/epcs-approvals`),
  revokeEpcs: (id: string) => api.delete<AdminUser>(`/api/users/${encodeURIComponent(id)}/epcs-approvals`),
  assign: (id: string, body: AssignmentBody) =>
    api.post<void>(`/api/users/${encodeURIComponent(id)}/assignments`, body),
  unassign: (id: string, patientId: string) =>
    api.delete<void>(`/api/users/${encodeURIComponent(id)}/assignments/${encodeURIComponent(patientId)}`),
  audit: (filters: AuditFilters, cursor?: string, limit = 50) =>
    api.get<AuditPage>('/api/audit', { ...filters, cursor, limit }),
  verifyAudit: () => api.get<AuditVerification>('/api/audit/verify'),
  breakGlass: (status: BreakGlassStatusFilter) => api.get<BreakGlassGrantList>('/api/break-glass', { status }),
  reviewBreakGlass: (id: string, outcome: BreakGlassVerdict, note: string) =>
    api.post<BreakGlassReviewed>(`/api/break-glass/${encodeURIComponent(id)}/review`, { outcome, note }),
};

/** What an admin reads about EPCS at a glance (DEA rule: two different admins grant it, and a DEA number is needed). */
export function epcsStatus(u: Pick<AdminUser, 'epcsApprovals' | 'epcsEnabled' | 'deaNumber' | 'role'>): string {
  if (u.epcsEnabled) return 'EPCS enabled';
  if (u.role !== 'physician') return 'Not a prescriber';
  if (u.epcsApprovals >= 2 && !u.deaNumber) return 'Approved; DEA number missing';
  if (u.epcsApprovals === 1) return 'Needs a second admin';
  return 'Not approved';
}
