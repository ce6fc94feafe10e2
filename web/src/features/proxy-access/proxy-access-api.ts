import type { ProxyGrant, ProxyGrantBody, ProxyGrants } from '@wintehr/contracts';
import { api } from '../../core/api/client';

export const proxyAccessApi = {
  list: (patientId: string) => api.get<ProxyGrants>(`/api/patients/${encodeURIComponent(patientId)}/proxies`),
  grant: (patientId: string, body: ProxyGrantBody) =>
    api.post<ProxyGrant>(`/api/patients/${encodeURIComponent(patientId)}/proxies`, body),
  revoke: (patientId: string, grantId: string) =>
    api.delete<ProxyGrant>(`/api/patients/${encodeURIComponent(patientId)}/proxies/${encodeURIComponent(grantId)}`),
};
