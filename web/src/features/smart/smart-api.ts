import type {
  NewSmartClientBody,
  PatchSmartClientBody,
  SmartAppList,
  SmartAuthMethod,
  SmartClient,
  SmartClientList,
  SmartClientType,
  SmartLaunch,
} from '@wintehr/contracts';
import { api } from '../../core/api/client';

export type { SmartApp, SmartClient } from '@wintehr/contracts';
export type ClientType = SmartClientType;
export type AuthMethod = SmartAuthMethod;

/**
 * The request bodies, except that the form hands over a JWKS it has only parsed as JSON: the API checks the
 * keys themselves (public RSA/EC keys only) and answers 400 naming the field.
 */
type FormJwks = { keys: unknown[] };
export type NewClientBody = Omit<NewSmartClientBody, 'jwks'> & { jwks?: FormJwks };
export type ClientPatch = Omit<PatchSmartClientBody, 'jwks'> & { jwks?: FormJwks | null };

const c = (id: string) => `/api/smart/clients/${encodeURIComponent(id)}`;

export const smartKeys = { apps: ['smart', 'apps'] as const, clients: ['smart', 'clients'] as const };

export const smartApi = {
  apps: () => api.get<SmartAppList>('/api/smart/apps'),
  /** A single-use launch value bound to this user and patient, already in the app's launch URL (iss + launch). */
  launch: (clientId: string, patientId: string, encounterId?: string) =>
    api.post<SmartLaunch>('/api/smart/launch', { clientId, patientId, ...(encounterId ? { encounterId } : {}) }),
  clients: () => api.get<SmartClientList>('/api/smart/clients'),
  create: (body: NewClientBody) => api.post<SmartClient>('/api/smart/clients', body),
  update: (clientId: string, patch: ClientPatch) => api.patch<SmartClient>(c(clientId), patch),
  remove: (clientId: string) => api.delete<void>(c(clientId)),
};
