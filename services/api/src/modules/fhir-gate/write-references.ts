/**
 * Every reference in a resource that is about to be written, and what kind it is. HAPI resolves some references
 * itself after the gate has looked at the body — conditional ones (`Patient?identifier=…`), bundle-local ones
 * (`urn:uuid:…` in a transaction) and absolute URLs that name its own base — so a write that looked like patient
 * A's could land in patient B's record. The gate therefore classifies every reference before the write and
 * resolves or refuses each one itself (gate.ts); this file is the pure part of that. No I/O.
 */
import type { Params } from './request-parse';
import { FHIR_ID_RE as ID_RE } from '../../core/fhir/fhir-kit';
import { TYPE_RE } from './request-parse';

export type ReferenceKind =
  | { kind: 'literal'; type: string; id: string; version?: string }
  | { kind: 'contained'; id: string }
  | { kind: 'bundle'; uri: string }
  | { kind: 'conditional'; type: string; params: Params }
  | { kind: 'external'; url: string }
  | { kind: 'malformed'; reason: string };

/** A Reference datatype found in a resource: the object holding `reference` (so the gate can rewrite it) and where. */
export interface ReferenceSlot {
  holder: { reference: string };
  path: string;
}

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:/i;
const BUNDLE_URI = /^urn:(uuid|oid):[^\s]+$/i;

/**
 * Classifies one `Reference.reference`. `ownBases` are the base URLs that HAPI treats as itself (its own address
 * and the façade's); an absolute URL under one of them is the same as the relative reference.
 */
export function classifyReference(
  ref: string,
  ownBases: readonly string[],
  bundleUris: ReadonlySet<string> = new Set(),
): ReferenceKind {
  if (ref !== ref.trim() || ref === '')
    return { kind: 'malformed', reason: 'a reference must not be empty or carry spaces' };
  if (bundleUris.has(ref)) return { kind: 'bundle', uri: ref };
  if (ref.startsWith('#')) {
    const id = ref.slice(1);
    return id === '' || ID_RE.test(id)
      ? { kind: 'contained', id }
      : { kind: 'malformed', reason: `${ref} is not a contained reference` };
  }
  if (BUNDLE_URI.test(ref)) return { kind: 'bundle', uri: ref };
  let relative = ref;
  if (ABSOLUTE.test(ref)) {
    const own = ownBases.find((b) => ref.startsWith(`${b}/`));
    if (!own) return { kind: 'external', url: ref };
    relative = ref.slice(own.length + 1);
  }
  const q = relative.indexOf('?');
  if (q >= 0) {
    const type = relative.slice(0, q);
    if (!TYPE_RE.test(type)) return { kind: 'malformed', reason: `${ref} is not a reference` };
    try {
      return { kind: 'conditional', type, params: [...new URLSearchParams(relative.slice(q + 1)).entries()] };
    } catch {
      return { kind: 'malformed', reason: `${ref} is not a reference` };
    }
  }
  const segs = relative.split('/');
  const [type, id, hist, version, ...rest] = segs;
  if (rest.length || !type || !TYPE_RE.test(type) || !id || !ID_RE.test(id))
    return { kind: 'malformed', reason: `${ref} is not a Type/id reference` };
  if (hist === undefined) return { kind: 'literal', type, id };
  if (hist === '_history' && version && ID_RE.test(version)) return { kind: 'literal', type, id, version };
  return { kind: 'malformed', reason: `${ref} is not a Type/id reference` };
}

/** The relative form of a literal reference (what the gate writes back in place of an absolute or conditional one). */
export const literalReference = (r: { type: string; id: string; version?: string }): string =>
  r.version ? `${r.type}/${r.id}/_history/${r.version}` : `${r.type}/${r.id}`;

/**
 * Every object with a string `reference` anywhere in the resource — contained resources, extensions and
 * nested backbone elements included — in document order. Only Reference datatypes have a `reference` element
 * in FHIR R4, so nothing else is picked up.
 */
export function referenceSlots(resource: unknown): ReferenceSlot[] {
  const out: ReferenceSlot[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((n, i) => walk(n, `${path}[${i}]`));
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (typeof obj.reference === 'string')
      out.push({ holder: obj as { reference: string }, path: `${path}.reference` });
    for (const [k, v] of Object.entries(obj)) if (v && typeof v === 'object') walk(v, path ? `${path}.${k}` : k);
  };
  walk(resource, '');
  return out;
}

/** Ids of the contained resources (what a `#id` reference may point at). */
export function containedIds(resource: { contained?: unknown }): Set<string> {
  const ids = new Set<string>();
  if (Array.isArray(resource.contained))
    for (const c of resource.contained as Array<{ id?: unknown }>) if (typeof c?.id === 'string') ids.add(c.id);
  return ids;
}
