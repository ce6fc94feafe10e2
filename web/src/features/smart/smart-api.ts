import { api } from '../../core/api/client';

/** GET /api/smart/apps: clients with a launch URL, not disabled. */
export interface SmartApp { clientId: string; name: string; launchUrl: string | null }

export type ClientType = 'public' | 'confidential' | 'backend';
export type AuthMethod = 'none' | 'client_secret_basic' | 'private_key_jwt';

export interface SmartClient {
  clientId: string; name: string; type: ClientType; tokenEndpointAuthMethod: AuthMethod;
  redirectUris: string[]; allowedScopes: string[]; launchUrl: string | null;
  jwks: { keys: unknown[] } | null; jwksUri: string | null; disabled: boolean; createdAt: string; updatedAt: string;
  /** Only in the answer to a registration or a secret rotation, once. */
  clientSecret?: string;
}

export interface NewClientBody {
  clientId?: string; name: string; type: ClientType; tokenEndpointAuthMethod?: 'client_secret_basic' | 'private_key_jwt';
  redirectUris: string[]; allowedScopes: string[]; launchUrl?: string; jwks?: { keys: unknown[] }; jwksUri?: string;
}

export interface ClientPatch {
  name?: string; redirectUris?: string[]; allowedScopes?: string[]; launchUrl?: string | null;
  jwks?: { keys: unknown[] } | null; jwksUri?: string | null; disabled?: boolean; rotateSecret?: boolean;
}

const c = (id: string) => `/api/smart/clients/${encodeURIComponent(id)}`;

export const smartKeys = { apps: ['smart', 'apps'] as const, clients: ['smart', 'clients'] as const };

export const smartApi = {
  apps: () => api.get<{ apps: SmartApp[] }>('/api/smart/apps'),
  /** A single-use launch value bound to this user and patient, already in the app's launch URL (iss + launch). */
  launch: (clientId: string, patientId: string, encounterId?: string) =>
    api.post<{ launchUrl: string; expiresIn: number }>('/api/smart/launch', { clientId, patientId, ...(encounterId ? { encounterId } : {}) }),
  clients: () => api.get<{ clients: SmartClient[] }>('/api/smart/clients'),
  create: (body: NewClientBody) => api.post<SmartClient>('/api/smart/clients', body),
  update: (clientId: string, patch: ClientPatch) => api.patch<SmartClient>(c(clientId), patch),
  remove: (clientId: string) => api.delete<void>(c(clientId)),
};
