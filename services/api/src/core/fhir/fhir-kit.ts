/**
 * The small FHIR vocabulary every module speaks: ids, references, reads that turn "gone" into our 404, and
 * optimistic-locking helpers. One definition each, so a module never spells the id pattern again.
 */
import type { Request, Response } from 'express';
import { FHIR_ID_PATTERN } from '@wintehr/contracts';
import type { AppDeps } from '../deps';
import { AppError, conflict, NotFoundError, notFound } from '../errors';
import type { ResourceOf } from './fhir-client';

// The id pattern and its zod schema are part of the wire contract; the API's code reaches them through this kit too.
export { FHIR_ID_PATTERN, FHIR_ID_RE, FhirId } from '@wintehr/contracts';

/** The base of WintEHR's own FHIR extensions (override reasons, acknowledgement, authorship…). */
export const WINTEHR_EXT = 'http://wintehr.dev/fhir/StructureDefinition';

const REFERENCE_RE = new RegExp(`^(?:.*/)?([A-Z][A-Za-z]+)/(${FHIR_ID_PATTERN})(?:/_history/(${FHIR_ID_PATTERN}))?$`);

/** `Type/id`, `Type/id/_history/v` or an absolute URL ending so → its parts; anything else → undefined. */
export function parseReference(ref: string | undefined): { type: string; id: string; version?: string } | undefined {
  const m = typeof ref === 'string' ? REFERENCE_RE.exec(ref) : null;
  if (!m) return undefined;
  return m[3] ? { type: m[1]!, id: m[2]!, version: m[3] } : { type: m[1]!, id: m[2]! };
}

/** The id of a reference to `type` ("Patient/123" → "123"), or undefined for anything else. */
export function idFromReference(ref: string | undefined, type: string): string | undefined {
  const r = parseReference(ref);
  return r?.type === type ? r.id : undefined;
}

const RELATIVE_PATIENT_RE = new RegExp(`^Patient/(${FHIR_ID_PATTERN})$`);

/** The patient id of a relative `Patient/123` Reference (what this service writes), or undefined. */
export const patientIdOf = (ref: fhir4.Reference | undefined): string | undefined =>
  RELATIVE_PATIENT_RE.exec(ref?.reference ?? '')?.[1];

/** Read a resource; a 404 (or 410 gone) becomes our RESOURCE_NOT_FOUND naming the type and id. */
export async function readOr404<K extends fhir4.FhirResource['resourceType']>(
  deps: Pick<AppDeps, 'fhir'>,
  type: K,
  id: string,
): Promise<ResourceOf<K>> {
  try {
    return await deps.fhir.read(type, id);
  } catch (err) {
    // HAPI's 404 and 410 both arrive as 404 AppErrors.
    if (err instanceof NotFoundError || (err instanceof AppError && err.status === 404)) throw notFound(type, id);
    throw err;
  }
}

/** The version an If-Match header names: W/"3", "3" or 3. Missing → 428, as optimistic locking is required. */
export function requireIfMatch(req: Request): string {
  const raw = req.get('if-match');
  if (!raw) throw new AppError(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the version you read (the ETag)');
  const m = new RegExp(`^(?:W/)?"?(${FHIR_ID_PATTERN})"?$`).exec(raw.trim());
  if (!m)
    throw new AppError(400, 'VALIDATION_ERROR', 'If-Match must be an ETag like W/"3"', [
      { field: 'headers.if-match', message: 'an ETag like W/"3"' },
    ]);
  return m[1]!;
}

export function setEtag(res: Response, r: fhir4.Resource): void {
  if (r.meta?.versionId) res.setHeader('ETag', `W/"${r.meta.versionId}"`);
}

/** Compare the caller's If-Match with the current version before writing (HAPI checks again atomically). */
export function assertVersion(current: fhir4.Resource, expected: string): void {
  if (current.meta?.versionId !== expected) {
    throw conflict(
      'The resource changed since you read it; reload and retry',
      { expected, current: current.meta?.versionId },
      'VERSION_CONFLICT',
    );
  }
}

/**
 * The name to show for a person (official, else the first): its text, else given names then family, with the
 * prefix for staff ("Dr. James Wilson") and without it for patients (`{ prefix: false }`: "Maria L Garcia").
 */
export function humanNameText(
  names: readonly fhir4.HumanName[] | undefined,
  { prefix = true }: { prefix?: boolean } = {},
): string | undefined {
  const n = names?.find((x) => x.use === 'official') ?? names?.[0];
  if (!n) return undefined;
  if (n.text) return n.text;
  const s = [...(prefix ? (n.prefix ?? []) : []), ...(n.given ?? []), n.family].filter(Boolean).join(' ');
  return s || undefined;
}
