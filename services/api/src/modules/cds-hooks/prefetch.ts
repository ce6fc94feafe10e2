/**
 * Gathers a service's prefetch data: what the client sent is used as is (after a shape check); absent keys are
 * fetched from `fhirServer` with `fhirAuthorization`; with neither, the request cannot be answered (412).
 */
import { AppError, badRequest } from '../../core/errors';
import { fhirShapeProblems } from '../drug-safety/fhir-shape';
import type { HookRequest, PrefetchData, PrefetchValue } from './cds-types';
import { fetchFhir } from './fhir-fetch';
import { resolvePrefetchTemplate } from './prefetch-template';

/** The resource type a template returns: `Patient/{{..}}` → Patient, `X?...` → Bundle. */
export function expectedType(template: string): string {
  const m = /^([A-Z][A-Za-z]+)(\/|\?|$)/.exec(template);
  if (!m) return 'Bundle';
  return m[2] === '/' ? m[1]! : 'Bundle';
}

/** Checks client-sent prefetch values against the templates' result types; returns 400 details for mismatches. */
export function prefetchShapeErrors(templates: Readonly<Record<string, string>>, prefetch: Readonly<Record<string, unknown>>): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  for (const [key, template] of Object.entries(templates)) {
    if (!(key in prefetch)) continue;
    const v = prefetch[key] as { resourceType?: string } | null;
    if (v === null) continue;
    const want = expectedType(template);
    if (v.resourceType !== want) errors.push({ field: `body.prefetch.${key}`, message: `expected ${want}, got ${v.resourceType}` });
  }
  return errors;
}

export interface PrefetchOptions {
  timeoutMs: number;
  /** FHIR base URLs this service may call (prefixes; '*' = any). The client names fhirServer: without a list, an
   * authenticated client could point the service at any internal address (SSRF). */
  allowedFhirServers: readonly string[];
}

const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** True when `fhirServer` is one of the allowed bases or below one (`https://ehr.example/fhir` allows `.../fhir/R4`). */
export function fhirServerAllowed(fhirServer: string, allowed: readonly string[]): boolean {
  const url = trimSlash(fhirServer);
  return allowed.some((a) => a === '*' || url === trimSlash(a) || url.startsWith(`${trimSlash(a)}/`));
}

export async function gatherPrefetch(templates: Readonly<Record<string, string>>, req: HookRequest<Record<string, unknown> | unknown>, opts: PrefetchOptions): Promise<PrefetchData> {
  const sent = req.prefetch ?? {};
  const shape = prefetchShapeErrors(templates, sent);
  if (shape.length) throw badRequest('Prefetch data does not match the service\'s prefetch templates', shape);
  const values = new Map<string, PrefetchValue>();
  const failed = new Map<string, string>();
  const toFetch: [string, string][] = [];
  for (const [key, template] of Object.entries(templates)) {
    if (key in sent) { values.set(key, sent[key] as PrefetchValue); continue; }
    const query = resolvePrefetchTemplate(template, req.context as Record<string, unknown>);
    if (query === undefined) { values.set(key, null); continue; }
    toFetch.push([key, query]);
  }
  if (toFetch.length && !req.fhirServer) {
    throw new AppError(412, 'PREFETCH_REQUIRED', 'Prefetch data is missing and no fhirServer was given to fetch it from', { missing: toFetch.map(([k]) => k) });
  }
  if (toFetch.length && !fhirServerAllowed(req.fhirServer!, opts.allowedFhirServers)) {
    throw new AppError(412, 'PREFETCH_REQUIRED', 'Prefetch data is missing and this service does not fetch from the given fhirServer (not on its allowlist)', { missing: toFetch.map(([k]) => k), reason: 'fhir-server-not-allowed' });
  }
  await Promise.all(toFetch.map(async ([key, query]) => {
    const r = await fetchFhir(req.fhirServer!, query, req.fhirAuthorization?.access_token, opts.timeoutMs);
    if (!r.ok) failed.set(key, r.reason);
    // What the server sent must be what the template asks for, with usable datatypes; anything else counts as not fetched.
    else if (r.value && r.value.resourceType !== expectedType(templates[key]!)) failed.set(key, 'unexpected-type');
    else if (r.value && fhirShapeProblems(r.value, key).length) failed.set(key, 'malformed');
    else values.set(key, r.value);
  }));
  return { values, failed };
}

/** Typed access to prefetch data for handlers. */
export function bundleOf(data: PrefetchData, key: string): fhir4.Bundle | null {
  const v = data.values.get(key);
  return v && v.resourceType === 'Bundle' ? v : null;
}

export function resourceOf<T extends fhir4.FhirResource>(data: PrefetchData, key: string, type: T['resourceType']): T | null {
  const v = data.values.get(key);
  return v && v.resourceType === type ? (v as T) : null;
}

export function entriesOf<T extends fhir4.FhirResource>(bundle: fhir4.Bundle | null | undefined, type: T['resourceType']): T[] {
  return (bundle?.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}
