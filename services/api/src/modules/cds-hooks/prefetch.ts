/**
 * Gathers a service's prefetch data: what the client sent is used when it is what the template asks for (after the
 * harmless repairs of lenient-fhir.ts and a shape check); absent keys, and sent values that are not usable, are
 * fetched from `fhirServer` with `fhirAuthorization`. A value that is unusable and cannot be fetched counts as
 * failed (the checks that need it answer "could not run"); a key that is simply absent with no server to fetch
 * it from makes the request unanswerable (412).
 */
import { AppError } from '../../core/errors';
import { fhirShapeProblems } from '../drug-safety/fhir-shape';
import type { HookRequest, PrefetchData, PrefetchValue } from './cds-types';
import { fetchFhir } from './fhir-fetch';
import { withRepeatingAsArrays } from './lenient-fhir';
import { resolvePrefetchTemplate } from './prefetch-template';

/** The resource type a template returns: `Patient/{{..}}` → Patient, `X?...` → Bundle. */
export function expectedType(template: string): string {
  const m = /^([A-Z][A-Za-z]+)(\/|\?|$)/.exec(template);
  if (!m) return 'Bundle';
  return m[2] === '/' ? m[1]! : 'Bundle';
}

/**
 * A prefetch value (sent or fetched) ready for the rules, or why it is not usable: not the type the template
 * returns (`unexpected-type`), or elements the rules read with the wrong datatype (`malformed`).
 */
export function usablePrefetch(
  template: string,
  value: unknown,
): { ok: true; value: fhir4.FhirResource } | { ok: false; reason: 'unexpected-type' | 'malformed' } {
  const type = value && typeof value === 'object' ? (value as { resourceType?: unknown }).resourceType : undefined;
  if (type !== expectedType(template)) return { ok: false, reason: 'unexpected-type' };
  const repaired = withRepeatingAsArrays(value as fhir4.FhirResource);
  return fhirShapeProblems(repaired, 'prefetch').length
    ? { ok: false, reason: 'malformed' }
    : { ok: true, value: repaired };
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

export async function gatherPrefetch(
  templates: Readonly<Record<string, string>>,
  req: HookRequest<Record<string, unknown> | unknown>,
  opts: PrefetchOptions,
): Promise<PrefetchData> {
  const sent = req.prefetch ?? {};
  const values = new Map<string, PrefetchValue>();
  const failed = new Map<string, string>();
  /** Sent but unusable: fetched when possible, otherwise failed with this reason (prefixed: the client sent it). */
  const unusable = new Map<string, string>();
  const toFetch: [string, string][] = [];
  for (const [key, template] of Object.entries(templates)) {
    if (key in sent) {
      if (sent[key] === null) {
        values.set(key, null);
        continue;
      }
      const v = usablePrefetch(template, sent[key]);
      if (v.ok) {
        values.set(key, v.value);
        continue;
      }
      unusable.set(key, `prefetch-${v.reason}`);
    }
    const query = resolvePrefetchTemplate(template, req.context as Record<string, unknown>);
    if (query === undefined) {
      if (unusable.has(key)) failed.set(key, unusable.get(key)!);
      else values.set(key, null);
      continue;
    }
    toFetch.push([key, query]);
  }
  const canFetch = !!req.fhirServer && fhirServerAllowed(req.fhirServer, opts.allowedFhirServers);
  const missing = toFetch.filter(([k]) => !unusable.has(k)).map(([k]) => k);
  if (!canFetch) {
    if (missing.length && !req.fhirServer) {
      throw new AppError(
        412,
        'PREFETCH_REQUIRED',
        'Prefetch data is missing and no fhirServer was given to fetch it from',
        { missing },
      );
    }
    if (missing.length) {
      throw new AppError(
        412,
        'PREFETCH_REQUIRED',
        'Prefetch data is missing and this service does not fetch from the given fhirServer (not on its allowlist)',
        { missing, reason: 'fhir-server-not-allowed' },
      );
    }
    for (const [key, reason] of unusable) failed.set(key, reason);
    return { values, failed };
  }
  await Promise.all(
    toFetch.map(async ([key, query]) => {
      const r = await fetchFhir(req.fhirServer!, query, req.fhirAuthorization?.access_token, opts.timeoutMs);
      if (!r.ok) {
        failed.set(key, r.reason);
        return;
      }
      if (r.value === null) {
        values.set(key, null);
        return;
      }
      // What the server sent must be what the template asks for, with usable datatypes; anything else counts as not fetched.
      const v = usablePrefetch(templates[key]!, r.value);
      if (v.ok) values.set(key, v.value);
      else failed.set(key, v.reason);
    }),
  );
  return { values, failed };
}

/** Typed access to prefetch data for handlers. */
export function bundleOf(data: PrefetchData, key: string): fhir4.Bundle | null {
  const v = data.values.get(key);
  return v && v.resourceType === 'Bundle' ? v : null;
}

export function resourceOf<T extends fhir4.FhirResource>(
  data: PrefetchData,
  key: string,
  type: T['resourceType'],
): T | null {
  const v = data.values.get(key);
  return v && v.resourceType === type ? (v as T) : null;
}

export function entriesOf<T extends fhir4.FhirResource>(
  bundle: fhir4.Bundle | null | undefined,
  type: T['resourceType'],
): T[] {
  return (bundle?.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}
