/**
 * SMART on FHIR scope strings (App Launch 1.0 and 2.x), parsed into one shape that both the authorization
 * server (what may be granted, how consent narrows it) and the FHIR gate (what a token allows) use.
 * Pure: no I/O.
 *
 *   v1: patient/Observation.read | .write | .*
 *   v2: patient/Observation.rs, user/*.cruds, system/*.rs — letters c r u d s, in that order, each once
 *   granular (v2 only): patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory
 *   special: launch, launch/patient, launch/encounter, openid, fhirUser, offline_access, online_access
 */

export type ScopeContext = 'patient' | 'user' | 'system';
/** SMART v2 interaction letters: create, read (read/vread/instance history), update, delete, search (search/type history). */
export type Interaction = 'c' | 'r' | 'u' | 'd' | 's';
export const INTERACTIONS: readonly Interaction[] = ['c', 'r', 'u', 'd', 's'];

export interface ResourceScope {
  /** The scope exactly as written. */
  raw: string;
  context: ScopeContext;
  /** A FHIR resource type or '*'. */
  resourceType: string;
  interactions: ReadonlySet<Interaction>;
  /**
   * Granular restrictions (v2): search parameter name → accepted values (a comma in the scope is an OR).
   * Several parameters all apply (AND). Empty object: no restriction.
   */
  filters: Readonly<Record<string, readonly string[]>>;
  /** 1 for v1 syntax (read/write/*), 2 for letters. */
  version: 1 | 2;
}

export const SPECIAL_SCOPES = [
  'launch',
  'launch/patient',
  'launch/encounter',
  'openid',
  'fhirUser',
  'offline_access',
  'online_access',
] as const;
export type SpecialScope = (typeof SPECIAL_SCOPES)[number];

export interface LaunchFlags {
  launch: boolean;
  launchPatient: boolean;
  launchEncounter: boolean;
  openid: boolean;
  fhirUser: boolean;
  offlineAccess: boolean;
  onlineAccess: boolean;
}

export interface ParsedScopes {
  resourceScopes: ResourceScope[];
  /** The special scopes present, in order, without duplicates. */
  special: SpecialScope[];
  launch: LaunchFlags;
  /** One line per malformed scope: `<scope>: <why>`. Empty when everything parsed. */
  errors: string[];
}

export type ScopeParseResult =
  { ok: true; scope: ResourceScope | { special: SpecialScope } } | { ok: false; error: string };

const CONTEXT = /^(patient|user|system)$/;
const TYPE = /^(\*|[A-Z][A-Za-z]{1,63})$/;
const PARAM = /^[a-z_][A-Za-z0-9_-]*(:[a-z][a-z-]*)?$/;
const V1: Record<string, Interaction[]> = { read: ['r', 's'], write: ['c', 'u', 'd'], '*': ['c', 'r', 'u', 'd', 's'] };

function parseLetters(perm: string): Interaction[] | undefined {
  if (!perm) return undefined;
  const out: Interaction[] = [];
  let last = -1;
  for (const ch of perm) {
    const idx = INTERACTIONS.indexOf(ch as Interaction);
    // Letters must be known, unique and in the canonical order c r u d s (SMART 2.x §Scopes).
    if (idx < 0 || idx <= last) return undefined;
    out.push(ch as Interaction);
    last = idx;
  }
  return out;
}

function decode(v: string): string | undefined {
  if (!v.includes('%')) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    return undefined;
  }
}

function parseFilters(query: string): { filters: Record<string, string[]> } | { error: string } {
  const filters: Record<string, string[]> = {};
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return { error: `granular restriction "${pair}" is not name=value` };
    const name = pair.slice(0, eq);
    const rawValue = pair.slice(eq + 1);
    if (!PARAM.test(name)) return { error: `"${name}" is not a search parameter name` };
    if (name.startsWith('_')) return { error: `"${name}" cannot restrict a scope` };
    const value = decode(rawValue);
    if (value === undefined || value === '') return { error: `"${name}" has no value` };
    const values = value.split(',');
    if (values.some((x) => x === '' || /[\s?&]/.test(x))) return { error: `"${name}" has an empty or invalid value` };
    if (filters[name]) return { error: `"${name}" appears twice` };
    filters[name] = [...new Set(values)];
  }
  return { filters };
}

/** Parses one scope; `error` says what is wrong with it. */
export function parseScope(raw: string): ScopeParseResult {
  if ((SPECIAL_SCOPES as readonly string[]).includes(raw)) return { ok: true, scope: { special: raw as SpecialScope } };
  const slash = raw.indexOf('/');
  if (slash < 0) return { ok: false, error: 'unknown scope' };
  const context = raw.slice(0, slash);
  if (!CONTEXT.test(context)) return { ok: false, error: `unknown context "${context}" (patient, user or system)` };
  const rest = raw.slice(slash + 1);
  const q = rest.indexOf('?');
  const head = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? undefined : rest.slice(q + 1);
  const dot = head.lastIndexOf('.');
  if (dot < 0) return { ok: false, error: 'missing ".permissions"' };
  const resourceType = head.slice(0, dot);
  const perm = head.slice(dot + 1);
  if (!TYPE.test(resourceType)) return { ok: false, error: `"${resourceType}" is not a resource type or *` };

  let interactions: Interaction[] | undefined;
  let version: 1 | 2;
  if (perm in V1) {
    interactions = V1[perm];
    version = 1;
  } else {
    interactions = parseLetters(perm);
    version = 2;
  }
  if (!interactions)
    return { ok: false, error: `"${perm}" is not read, write, * or letters from c r u d s in that order` };

  let filters: Record<string, string[]> = {};
  if (query !== undefined) {
    if (version === 1) return { ok: false, error: 'granular restrictions need v2 permissions (e.g. .rs)' };
    if (query === '') return { ok: false, error: 'empty granular restriction' };
    const f = parseFilters(query);
    if ('error' in f) return { ok: false, error: f.error };
    filters = f.filters;
  }
  return {
    ok: true,
    scope: {
      raw,
      context: context as ScopeContext,
      resourceType,
      interactions: new Set(interactions),
      filters,
      version,
    },
  };
}

/** Parses a space-separated scope string (as in an OAuth request or a token's `scope` claim). */
export function parseScopes(input: string | readonly string[] | undefined): ParsedScopes {
  const parts = typeof input === 'string' ? input.split(/\s+/) : [...(input ?? [])];
  const resourceScopes: ResourceScope[] = [];
  const special: SpecialScope[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const raw of parts) {
    if (!raw || seen.has(raw)) continue;
    seen.add(raw);
    const p = parseScope(raw);
    if (!p.ok) errors.push(`${raw}: ${p.error}`);
    else if ('special' in p.scope) special.push(p.scope.special);
    else resourceScopes.push(p.scope);
  }
  const has = (s: SpecialScope) => special.includes(s);
  return {
    resourceScopes,
    special,
    errors,
    launch: {
      launch: has('launch'),
      launchPatient: has('launch/patient'),
      launchEncounter: has('launch/encounter'),
      openid: has('openid'),
      fhirUser: has('fhirUser'),
      offlineAccess: has('offline_access'),
      onlineAccess: has('online_access'),
    },
  };
}

/** A message naming every malformed scope, or undefined. */
export function scopeErrorMessage(parsed: ParsedScopes): string | undefined {
  return parsed.errors.length ? `malformed scope(s): ${parsed.errors.join('; ')}` : undefined;
}

/** The contexts of the resource scopes ('patient', 'user', 'system'). */
export function scopeContexts(parsed: ParsedScopes): Set<ScopeContext> {
  return new Set(parsed.resourceScopes.map((s) => s.context));
}

/** True when resource scopes of more than one context are present (the gate refuses such tokens). */
export function isMixedContext(parsed: ParsedScopes): boolean {
  return scopeContexts(parsed).size > 1;
}

/** The one context of a token's resource scopes: 'none' without resource scopes, 'mixed' with several. */
export function singleContext(parsed: ParsedScopes): ScopeContext | 'none' | 'mixed' {
  const c = scopeContexts(parsed);
  if (c.size === 0) return 'none';
  if (c.size > 1) return 'mixed';
  return [...c][0]!;
}

/** The scopes that allow `interaction` on `resourceType` in `context` (empty: not allowed). Filters are the caller's to apply. */
export function allows(
  scopes: ParsedScopes | readonly ResourceScope[],
  context: ScopeContext,
  resourceType: string,
  interaction: Interaction,
): ResourceScope[] {
  const list = Array.isArray(scopes) ? (scopes as readonly ResourceScope[]) : (scopes as ParsedScopes).resourceScopes;
  return list.filter(
    (s) =>
      s.context === context &&
      (s.resourceType === '*' || s.resourceType === resourceType) &&
      s.interactions.has(interaction),
  );
}

/** True when one of the matching scopes has no granular filter (the caller then needs no filter check). */
export function allowsUnfiltered(matching: readonly ResourceScope[]): boolean {
  return matching.some((s) => Object.keys(s.filters).length === 0);
}

/**
 * A granted filter value is narrower than or equal to a requested one when equal, or when the requested value
 * is a bare code and the granted one is the same code with a system (`sys|laboratory` ⊆ `laboratory`).
 */
export function filterValueNarrowerOrEqual(granted: string, requested: string): boolean {
  if (granted === requested) return true;
  if (requested.includes('|')) return false;
  const bar = granted.lastIndexOf('|');
  return bar >= 0 && granted.slice(bar + 1) === requested;
}

/** One resource scope is covered by another: same context, type or *, interactions subset, filters at least as tight. */
export function scopeNarrowerOrEqual(granted: ResourceScope, requested: ResourceScope): boolean {
  if (granted.context !== requested.context) return false;
  if (requested.resourceType !== '*' && requested.resourceType !== granted.resourceType) return false;
  for (const i of granted.interactions) if (!requested.interactions.has(i)) return false;
  // Every restriction of the requested scope must be kept (possibly tighter) by the granted one.
  for (const [name, rValues] of Object.entries(requested.filters)) {
    const gValues = granted.filters[name];
    if (!gValues) return false;
    if (!gValues.every((g) => rValues.some((r) => filterValueNarrowerOrEqual(g, r)))) return false;
  }
  return true;
}

/**
 * Consent check: is the granted set a subset of what was requested? Every granted resource scope must be
 * covered by some requested scope and every granted special scope must have been requested. Malformed
 * scopes on either side make the answer false.
 */
export function isNarrowerOrEqual(
  granted: string | readonly string[] | ParsedScopes,
  requested: string | readonly string[] | ParsedScopes,
): boolean {
  const g = isParsed(granted) ? granted : parseScopes(granted);
  const r = isParsed(requested) ? requested : parseScopes(requested);
  if (g.errors.length || r.errors.length) return false;
  if (!g.special.every((s) => r.special.includes(s))) return false;
  return g.resourceScopes.every((gs) => r.resourceScopes.some((rs) => scopeNarrowerOrEqual(gs, rs)));
}

function isParsed(x: unknown): x is ParsedScopes {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'resourceScopes' in x;
}

/** Canonical v2 text of a resource scope (v1 read → rs), e.g. for display or comparison. */
export function formatScope(s: ResourceScope): string {
  const letters = INTERACTIONS.filter((i) => s.interactions.has(i)).join('');
  const filters = Object.entries(s.filters)
    .map(([k, v]) => `${k}=${v.join(',')}`)
    .join('&');
  return `${s.context}/${s.resourceType}.${letters}${filters ? `?${filters}` : ''}`;
}
