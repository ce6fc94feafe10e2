import type { Request, Response } from 'express';
import type { AppDeps } from '../../core/deps';
import { AppError, NotFoundError, conflict, notFound } from '../../core/errors';

/** The version an If-Match header names: W/"3", "3" or 3. Missing → 428, as optimistic locking is required. */
export function requireIfMatch(req: Request): string {
  const raw = req.get('if-match');
  if (!raw) throw new AppError(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the version you read (the ETag)');
  const m = /^(?:W\/)?"?([A-Za-z0-9.\-]{1,64})"?$/.exec(raw.trim());
  if (!m) throw new AppError(400, 'VALIDATION_ERROR', 'If-Match must be an ETag like W/"3"', [{ field: 'headers.if-match', message: 'an ETag like W/"3"' }]);
  return m[1]!;
}

export function setEtag(res: Response, r: fhir4.Resource): void {
  if (r.meta?.versionId) res.setHeader('ETag', `W/"${r.meta.versionId}"`);
}

/** Read a resource; a 404 (or 410 gone) becomes our RESOURCE_NOT_FOUND naming the type and id. */
export async function readOr404<K extends fhir4.FhirResource['resourceType']>(deps: Pick<AppDeps, 'fhir'>, type: K, id: string) {
  try {
    return await deps.fhir.read(type, id);
  } catch (err) {
    if (err instanceof NotFoundError) throw notFound(type, id);
    throw err;
  }
}

/** Compare the caller's If-Match with the current version before writing (HAPI checks again atomically). */
export function assertVersion(current: fhir4.Resource, expected: string): void {
  if (current.meta?.versionId !== expected) {
    throw conflict('The resource changed since you read it; reload and retry', { expected, current: current.meta?.versionId }, 'VERSION_CONFLICT');
  }
}

/** The patient id of a `Patient/123` reference, or undefined. */
export function patientIdOf(ref: fhir4.Reference | undefined): string | undefined {
  return /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(ref?.reference ?? '')?.[1];
}
