/**
 * Granular SMART scopes (`patient/Observation.rs?category=laboratory`) checked against a resource. Only the
 * parameters below can be evaluated here; a scope restricted by anything else matches nothing (fail closed).
 */
import type { ResourceScope } from '../../core/auth/smart-scopes';

type Coding = { system?: string; code?: string };
type Concept = { coding?: Coding[] };

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function codings(resource: Record<string, unknown>, element: string): Coding[] {
  return asArray(resource[element] as Concept | Concept[] | undefined).flatMap((c) =>
    c && Array.isArray(c.coding) ? c.coding : [],
  );
}

/** FHIR token matching: `system|code`, `|code` (no system), `code` (any system). */
export function tokenMatches(coding: Coding, value: string): boolean {
  const bar = value.indexOf('|');
  if (bar < 0) return coding.code === value;
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  if (system === '') return !coding.system && coding.code === code;
  return coding.system === system && (code === '' || coding.code === code);
}

const TOKEN_ELEMENTS: Record<string, string> = {
  category: 'category',
  code: 'code',
  'clinical-status': 'clinicalStatus',
  'verification-status': 'verificationStatus',
  type: 'type',
};

function paramMatches(resource: Record<string, unknown>, param: string, values: readonly string[]): boolean {
  if (param === 'status') return typeof resource.status === 'string' && values.includes(resource.status);
  const element = TOKEN_ELEMENTS[param];
  if (!element) return false;
  const cs = codings(resource, element);
  return values.some((v) => cs.some((c) => tokenMatches(c, v)));
}

/** Does the resource satisfy every restriction of this scope? */
export function matchesScopeFilters(resource: object, scope: ResourceScope): boolean {
  return Object.entries(scope.filters).every(([param, values]) =>
    paramMatches(resource as Record<string, unknown>, param, values),
  );
}

/** Some scope (of those that allow the interaction) admits the resource: unrestricted, or its filters match. */
export function admittedByAny(resource: object, scopes: readonly ResourceScope[]): boolean {
  return scopes.some((s) => matchesScopeFilters(resource, s));
}
