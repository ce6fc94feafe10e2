import type { Role } from '@wintehr/contracts';
import { parseScope as gateParseScope } from '../../core/auth/smart-scopes';

/**
 * What the authorization server decides about scope strings: syntax (SMART v1 and v2), whether a client may
 * ask for a scope, whether the user's role may grant it, and how the consent form narrows it. The FHIR gate
 * enforces the granted scopes; this file only decides which ones are granted.
 */
export type ScopeContext = 'patient' | 'user' | 'system';

export interface ResourceScope {
  kind: 'resource';
  raw: string;
  context: ScopeContext;
  resourceType: string; // a FHIR type or '*'
  /** v2 permission letters in canonical order (c r u d s); v1 read = rs, write = cud, * = cruds. */
  permissions: string;
  /** Granular restriction, e.g. 'category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory'. */
  query?: string;
}
export interface SpecialScope {
  kind: 'special';
  raw: string;
}
export type ParsedScope = ResourceScope | SpecialScope;

export const SPECIAL_SCOPES = [
  'launch',
  'launch/patient',
  'launch/encounter',
  'openid',
  'fhirUser',
  'offline_access',
  'online_access',
] as const;

const RESOURCE =
  /^(patient|user|system)\/(\*|[A-Z][A-Za-z]{1,63})\.([a-z*]+)(?:\?([A-Za-z0-9_\-.:]+=[^\s&?]+(?:&[A-Za-z0-9_\-.:]+=[^\s&?]+)*))?$/;
const V2 = /^c?r?u?d?s?$/;

export function parseScope(raw: string): ParsedScope | undefined {
  // Never grant what the FHIR gate could not read back: its parser must accept the scope too.
  if (!gateParseScope(raw).ok) return undefined;
  if ((SPECIAL_SCOPES as readonly string[]).includes(raw)) return { kind: 'special', raw };
  const m = RESOURCE.exec(raw);
  if (!m) return undefined;
  const [, context, resourceType, perm, query] = m;
  let permissions: string;
  if (perm === 'read') permissions = 'rs';
  else if (perm === 'write') permissions = 'cud';
  else if (perm === '*') permissions = 'cruds';
  else if (perm && perm.length > 0 && V2.test(perm)) permissions = perm;
  else return undefined;
  // v1 permission names cannot carry granular restrictions (those are v2 only).
  if (query && (perm === 'read' || perm === 'write' || perm === '*')) return undefined;
  return {
    kind: 'resource',
    raw,
    context: context as ScopeContext,
    resourceType: resourceType!,
    permissions,
    ...(query ? { query } : {}),
  };
}

/** Splits a space-separated scope string; undefined names the first malformed scope. */
export function parseScopeString(
  s: string | undefined,
): { ok: true; scopes: ParsedScope[] } | { ok: false; bad: string } {
  const parts = (s ?? '').split(' ').filter(Boolean);
  const out: ParsedScope[] = [];
  for (const raw of parts) {
    const p = parseScope(raw);
    if (!p) return { ok: false, bad: raw };
    if (!out.some((o) => o.raw === raw)) out.push(p);
  }
  return { ok: true, scopes: out };
}

/** Does an allowed (registered) scope cover a requested one? Same context, type or *, permission subset, query equal or absent. */
export function covers(allowed: ParsedScope, requested: ParsedScope): boolean {
  if (allowed.kind === 'special' || requested.kind === 'special') return allowed.raw === requested.raw;
  if (allowed.context !== requested.context) return false;
  if (allowed.resourceType !== '*' && allowed.resourceType !== requested.resourceType) return false;
  if (![...requested.permissions].every((c) => allowed.permissions.includes(c))) return false;
  return !allowed.query || allowed.query === requested.query;
}

export type ScopeCheck = { ok: true } | { ok: false; description: string };

/** Checks at the authorize endpoint, before anyone has logged in: syntax was checked by the caller. */
export function checkRequestedScopes(
  requested: ParsedScope[],
  allowedRaw: readonly string[],
  flow: 'authorization_code' | 'client_credentials',
): ScopeCheck {
  if (requested.length === 0) return { ok: false, description: 'scope is required' };
  const allowed = allowedRaw.map(parseScope).filter((s): s is ParsedScope => !!s);
  const notAllowed = requested.filter((r) => !allowed.some((a) => covers(a, r)));
  if (notAllowed.length)
    return { ok: false, description: `scope not allowed for this client: ${notAllowed.map((s) => s.raw).join(' ')}` };
  const contexts = new Set(requested.filter((s): s is ResourceScope => s.kind === 'resource').map((s) => s.context));
  if (flow === 'client_credentials') {
    if (requested.some((s) => s.kind !== 'resource' || s.context !== 'system'))
      return { ok: false, description: 'Backend Services tokens carry system/ scopes only' };
    return { ok: true };
  }
  if (contexts.has('system'))
    return { ok: false, description: 'system/ scopes are only granted to Backend Services clients' };
  // Mixed patient/ and user/ tokens are refused by the FHIR gate (fail closed), so they are never issued.
  if (contexts.has('patient') && contexts.has('user'))
    return { ok: false, description: 'a token cannot mix patient/ and user/ scopes' };
  return { ok: true };
}

/** The role rule: patient users grant only patient/ scopes (their own record); staff grant user/ or patient/. */
export function checkRoleScopes(role: Role, requested: ParsedScope[]): ScopeCheck {
  if (role !== 'patient') return { ok: true };
  const bad = requested.filter((s) => s.kind === 'resource' && s.context !== 'patient');
  return bad.length
    ? { ok: false, description: `a patient can only grant patient/ scopes: ${bad.map((s) => s.raw).join(' ')}` }
    : { ok: true };
}

/** A patient must be in context for patient/ scopes or launch/patient. */
export function needsPatient(scopes: ParsedScope[]): boolean {
  return scopes.some((s) => s.raw === 'launch/patient' || (s.kind === 'resource' && s.context === 'patient'));
}

/** Category choices offered on the consent screen (US Core granular scopes). */
export const NARROWING: Record<string, { system: string; codes: Array<{ code: string; label: string }> }> = {
  Observation: {
    system: 'http://terminology.hl7.org/CodeSystem/observation-category',
    codes: [
      { code: 'laboratory', label: 'Laboratory results' },
      { code: 'vital-signs', label: 'Vital signs' },
      { code: 'social-history', label: 'Social history' },
      { code: 'survey', label: 'Surveys' },
      { code: 'imaging', label: 'Imaging' },
    ],
  },
  Condition: {
    system: 'http://terminology.hl7.org/CodeSystem/condition-category',
    codes: [
      { code: 'problem-list-item', label: 'Problem list' },
      { code: 'encounter-diagnosis', label: 'Encounter diagnoses' },
    ],
  },
};

/** The categories a scope may be narrowed to on the consent screen (none when already granular or not searchable). */
export function narrowingOptions(s: ParsedScope): Array<{ code: string; label: string; scope: string }> {
  if (s.kind !== 'resource' || s.query || !s.permissions.includes('s') || /[cud]/.test(s.permissions)) return [];
  const n = NARROWING[s.resourceType];
  if (!n) return [];
  const base = `${s.context}/${s.resourceType}.${s.permissions}`;
  return n.codes.map((c) => ({ ...c, scope: `${base}?category=${n.system}|${c.code}` }));
}

export interface ConsentInput {
  /** Scopes the user left ticked. */
  granted: string[];
  /** For a ticked scope, the categories it was narrowed to (empty: the whole scope). */
  narrowed: Record<string, string[]>;
}

/**
 * Applies the consent form to the requested scopes: only requested scopes survive (a form cannot add one),
 * and a narrowed scope is replaced by one granular scope per chosen category from the offered list.
 */
export function applyConsent(requested: ParsedScope[], input: ConsentInput): string[] {
  const out: string[] = [];
  for (const s of requested) {
    if (!input.granted.includes(s.raw)) continue;
    const offered = narrowingOptions(s);
    const picked = (input.narrowed[s.raw] ?? []).filter((code) => offered.some((o) => o.code === code));
    if (picked.length) out.push(...offered.filter((o) => picked.includes(o.code)).map((o) => o.scope));
    else out.push(s.raw);
  }
  return [...new Set(out)];
}

/** Human-readable line for the consent screen. */
export function describeScope(s: ParsedScope): string {
  if (s.kind === 'special') {
    return (
      (
        {
          launch: 'Use the context the EHR launched this app with',
          'launch/patient': 'Know which patient is selected',
          'launch/encounter': 'Know which encounter is selected',
          openid: 'Know who you are (OpenID Connect)',
          fhirUser: 'Know your FHIR user record',
          offline_access: 'Keep access while you are away (offline)',
          online_access: 'Keep access while you are signed in',
        } as Record<string, string>
      )[s.raw] ?? s.raw
    );
  }
  const verbs = [...s.permissions]
    .map((c) => ({ c: 'create', r: 'read', u: 'update', d: 'delete', s: 'search' })[c])
    .join(', ');
  const whose = s.context === 'patient' ? "the selected patient's" : 'records you can access:';
  const what = s.resourceType === '*' ? 'all resource types' : s.resourceType;
  return `${verbs} ${whose} ${what}${s.query ? ` (only ${s.query.split('|').pop()})` : ''}`;
}
