import type { JSONWebKeySet } from 'jose';
import type { Pool } from 'pg';
import type { SmartAuthMethod, SmartClient, SmartClientType } from '@wintehr/contracts';

export type ClientType = SmartClientType;
export type AuthMethod = SmartAuthMethod;

export interface SmartClientRow {
  client_id: string;
  name: string;
  client_type: ClientType;
  auth_method: AuthMethod;
  secret_hash: string | null;
  jwks: JSONWebKeySet | null;
  jwks_uri: string | null;
  redirect_uris: string[];
  allowed_scopes: string[];
  launch_url: string | null;
  disabled: boolean;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface NewClient {
  clientId: string;
  name: string;
  clientType: ClientType;
  authMethod: AuthMethod;
  secretHash?: string;
  jwks?: JSONWebKeySet;
  jwksUri?: string;
  redirectUris: string[];
  allowedScopes: string[];
  launchUrl?: string;
  createdBy?: string;
}

export type ClientPatch = Partial<{
  name: string;
  redirectUris: string[];
  allowedScopes: string[];
  launchUrl: string | null;
  jwks: JSONWebKeySet | null;
  jwksUri: string | null;
  disabled: boolean;
  secretHash: string;
}>;

/** Public view of a client: never the secret hash. */
export function clientView(c: SmartClientRow): SmartClient {
  return {
    clientId: c.client_id,
    name: c.name,
    type: c.client_type,
    tokenEndpointAuthMethod: c.auth_method,
    redirectUris: c.redirect_uris,
    allowedScopes: c.allowed_scopes,
    launchUrl: c.launch_url,
    jwks: c.jwks,
    jwksUri: c.jwks_uri,
    disabled: c.disabled,
    createdAt: c.created_at.toISOString(),
    updatedAt: c.updated_at.toISOString(),
  };
}

export const clientsRepository = {
  async byId(pg: Pool, clientId: string): Promise<SmartClientRow | undefined> {
    if (!/^[A-Za-z0-9._~-]{3,128}$/.test(clientId)) return undefined;
    return (await pg.query<SmartClientRow>('SELECT * FROM smart_clients WHERE client_id = $1', [clientId])).rows[0];
  },
  async list(pg: Pool, opts: { launchable?: boolean } = {}): Promise<SmartClientRow[]> {
    const where = opts.launchable ? 'WHERE launch_url IS NOT NULL AND NOT disabled' : '';
    return (await pg.query<SmartClientRow>(`SELECT * FROM smart_clients ${where} ORDER BY name, client_id`)).rows;
  },
  /** Returns undefined when the client_id is taken. */
  async insert(pg: Pool, c: NewClient): Promise<SmartClientRow | undefined> {
    const { rows } = await pg.query<SmartClientRow>(
      `INSERT INTO smart_clients (client_id, name, client_type, auth_method, secret_hash, jwks, jwks_uri, redirect_uris, allowed_scopes, launch_url, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (client_id) DO NOTHING RETURNING *`,
      [
        c.clientId,
        c.name,
        c.clientType,
        c.authMethod,
        c.secretHash ?? null,
        c.jwks ? JSON.stringify(c.jwks) : null,
        c.jwksUri ?? null,
        c.redirectUris,
        c.allowedScopes,
        c.launchUrl ?? null,
        c.createdBy ?? null,
      ],
    );
    return rows[0];
  },
  async update(pg: Pool, clientId: string, p: ClientPatch): Promise<SmartClientRow | undefined> {
    const cols: string[] = [];
    const vals: unknown[] = [clientId];
    const set = (col: string, v: unknown) => {
      vals.push(v);
      cols.push(`${col} = $${vals.length}`);
    };
    if (p.name !== undefined) set('name', p.name);
    if (p.redirectUris !== undefined) set('redirect_uris', p.redirectUris);
    if (p.allowedScopes !== undefined) set('allowed_scopes', p.allowedScopes);
    if (p.launchUrl !== undefined) set('launch_url', p.launchUrl);
    if (p.jwks !== undefined) set('jwks', p.jwks ? JSON.stringify(p.jwks) : null);
    if (p.jwksUri !== undefined) set('jwks_uri', p.jwksUri);
    if (p.disabled !== undefined) set('disabled', p.disabled);
    if (p.secretHash !== undefined) set('secret_hash', p.secretHash);
    cols.push('updated_at = now()');
    const { rows } = await pg.query<SmartClientRow>(
      `UPDATE smart_clients SET ${cols.join(', ')} WHERE client_id = $1 RETURNING *`,
      vals,
    );
    return rows[0];
  },
  async remove(pg: Pool, clientId: string): Promise<boolean> {
    return ((await pg.query('DELETE FROM smart_clients WHERE client_id = $1', [clientId])).rowCount ?? 0) > 0;
  },
};
