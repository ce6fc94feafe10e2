import type { ClientPatch, ClientType, NewClientBody, SmartClient } from './smart-api';

/** The registration form as typed: lists as free text (one per line or space-separated), JWKS as JSON text. */
export interface ClientDraft {
  clientId: string;
  name: string;
  type: ClientType;
  authMethod: 'client_secret_basic' | 'private_key_jwt';
  redirectUris: string;
  allowedScopes: string;
  launchUrl: string;
  jwksUri: string;
  jwks: string;
  disabled: boolean;
}

export const DEFAULT_APP_SCOPES = 'openid fhirUser launch launch/patient patient/*.rs offline_access';
export const DEFAULT_BACKEND_SCOPES = 'system/Patient.rs system/Observation.rs';

export function emptyDraft(): ClientDraft {
  return {
    clientId: '',
    name: '',
    type: 'public',
    authMethod: 'client_secret_basic',
    redirectUris: '',
    allowedScopes: DEFAULT_APP_SCOPES,
    launchUrl: '',
    jwksUri: '',
    jwks: '',
    disabled: false,
  };
}

export function draftOf(c: SmartClient): ClientDraft {
  return {
    clientId: c.clientId,
    name: c.name,
    type: c.type,
    authMethod: c.tokenEndpointAuthMethod === 'private_key_jwt' ? 'private_key_jwt' : 'client_secret_basic',
    redirectUris: c.redirectUris.join('\n'),
    allowedScopes: c.allowedScopes.join(' '),
    launchUrl: c.launchUrl ?? '',
    jwksUri: c.jwksUri ?? '',
    jwks: c.jwks ? JSON.stringify(c.jwks, null, 2) : '',
    disabled: c.disabled,
  };
}

/** Whitespace- or comma-separated values, trimmed, without blanks or repeats, in order. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !s.includes('#');
  } catch {
    return false;
  }
}

/** The key-based authentication this draft uses: backend clients always, confidential ones when chosen. */
export function usesKeys(d: Pick<ClientDraft, 'type' | 'authMethod'>): boolean {
  return d.type === 'backend' || (d.type === 'confidential' && d.authMethod === 'private_key_jwt');
}

interface Parsed {
  redirectUris: string[];
  allowedScopes: string[];
  launchUrl?: string;
  jwks?: { keys: unknown[] };
  jwksUri?: string;
}

/** Checks the fields shared by registration and update; problems keyed by the API's field names. */
function parse(d: ClientDraft, problems: Record<string, string>): Parsed {
  if (!d.name.trim()) problems['body.name'] = 'A name is required';
  const redirectUris = d.type === 'backend' ? [] : splitList(d.redirectUris);
  const badUri = redirectUris.find((u) => !isHttpUrl(u));
  if (badUri) problems['body.redirectUris'] = `Not an http(s) URL without a fragment: ${badUri}`;
  else if (d.type !== 'backend' && redirectUris.length === 0)
    problems['body.redirectUris'] = 'At least one redirect URI';
  const allowedScopes = splitList(d.allowedScopes);
  if (!allowedScopes.length) problems['body.allowedScopes'] = 'At least one scope';
  else if (d.type !== 'backend' && allowedScopes.some((s) => s.startsWith('system/')))
    problems['body.allowedScopes'] = 'system/ scopes are for backend clients only';
  const launchUrl = d.launchUrl.trim() || undefined;
  if (launchUrl && !isHttpUrl(launchUrl)) problems['body.launchUrl'] = 'An http(s) URL without a fragment';
  const jwksUri = d.jwksUri.trim() || undefined;
  if (jwksUri && !isHttpUrl(jwksUri)) problems['body.jwksUri'] = 'An http(s) URL';
  let jwks: { keys: unknown[] } | undefined;
  if (d.jwks.trim()) {
    try {
      const v = JSON.parse(d.jwks) as unknown;
      if (!v || typeof v !== 'object' || !Array.isArray((v as { keys?: unknown }).keys)) throw new Error('no keys');
      jwks = v as { keys: unknown[] };
    } catch {
      problems['body.jwks'] = 'A JSON Web Key Set: {"keys": [ … ]} (public keys only)';
    }
  }
  if (usesKeys(d) && !jwks && !jwksUri && !problems['body.jwks'])
    problems['body.jwks'] = 'Key-based authentication needs a JWKS or a JWKS URL';
  return {
    redirectUris,
    allowedScopes,
    ...(launchUrl ? { launchUrl } : {}),
    ...(jwks ? { jwks } : {}),
    ...(jwksUri ? { jwksUri } : {}),
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Record<string, string> };

/** Pure: the registration body of a new client. */
export function newClientBody(d: ClientDraft): Checked<NewClientBody> {
  const problems: Record<string, string> = {};
  const clientId = d.clientId.trim();
  if (clientId && !/^[A-Za-z0-9._~-]{3,128}$/.test(clientId))
    problems['body.clientId'] = '3–128 of letters, digits, . _ ~ -';
  const p = parse(d, problems);
  if (Object.keys(problems).length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      ...(clientId ? { clientId } : {}),
      name: d.name.trim(),
      type: d.type,
      ...(d.type === 'confidential' ? { tokenEndpointAuthMethod: d.authMethod } : {}),
      redirectUris: p.redirectUris,
      allowedScopes: p.allowedScopes,
      ...(p.launchUrl && d.type !== 'backend' ? { launchUrl: p.launchUrl } : {}),
      ...(usesKeys(d) && p.jwks ? { jwks: p.jwks } : {}),
      ...(usesKeys(d) && p.jwksUri ? { jwksUri: p.jwksUri } : {}),
    },
  };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Pure: only what changed, with cleared optional fields sent as null. */
export function clientPatch(original: SmartClient, d: ClientDraft): Checked<ClientPatch> {
  const problems: Record<string, string> = {};
  const p = parse(
    {
      ...d,
      type: original.type,
      authMethod: original.tokenEndpointAuthMethod === 'private_key_jwt' ? 'private_key_jwt' : 'client_secret_basic',
    },
    problems,
  );
  if (Object.keys(problems).length) return { ok: false, problems };
  const patch: ClientPatch = {};
  if (d.name.trim() !== original.name) patch.name = d.name.trim();
  if (original.type !== 'backend' && !sameList(p.redirectUris, original.redirectUris))
    patch.redirectUris = p.redirectUris;
  if (!sameList(p.allowedScopes, original.allowedScopes)) patch.allowedScopes = p.allowedScopes;
  if ((p.launchUrl ?? null) !== original.launchUrl) patch.launchUrl = p.launchUrl ?? null;
  if ((p.jwksUri ?? null) !== original.jwksUri) patch.jwksUri = p.jwksUri ?? null;
  if (JSON.stringify(p.jwks ?? null) !== JSON.stringify(original.jwks)) patch.jwks = p.jwks ?? null;
  if (d.disabled !== original.disabled) patch.disabled = d.disabled;
  return { ok: true, value: patch };
}
