import type { Request, Response } from 'express';
import type { AppDeps } from '../../core/deps';
import { notFound } from '../../core/errors';
import { assertVersion, readOr404, requireIfMatch, setEtag } from '../../core/fhir/fhir-kit';
import { requirePatientAccess } from '../../core/http/phi-guard';
import type { Principal } from '../../core/auth/principal';

/** What the chart routes share: the access check, the owned-resource read and the versioned write. */
export type Guarded = Awaited<ReturnType<typeof requirePatientAccess>>;
type Ctx = Parameters<typeof requirePatientAccess>[1];
type ChartType = 'AllergyIntolerance' | 'Condition' | 'Immunization' | 'Observation';
type Of<K extends ChartType> = Extract<fhir4.FhirResource, { resourceType: K }>;

const TERM = 'http://terminology.hl7.org/CodeSystem';
export const termStatus = (cs: string, code: string): fhir4.CodeableConcept => ({
  coding: [{ system: `${TERM}/${cs}`, code }],
});
export const codeOf = (c: fhir4.CodeableConcept | undefined) => c?.coding?.[0]?.code;
export const who = (p: Pick<Principal, 'practitionerId'>) =>
  p.practitionerId ? `Practitioner/${p.practitionerId}` : undefined;

/** The patient reference of a chart resource, whichever element holds it. */
export function patientRefOf(r: Of<ChartType>): string | undefined {
  return r.resourceType === 'AllergyIntolerance' || r.resourceType === 'Immunization'
    ? r.patient.reference
    : r.subject?.reference;
}

export function chartKit(deps: AppDeps) {
  /** Access check (audited) + the patient must exist (404 otherwise). */
  const guard = async (ctx: Ctx, patientId: string, action: string, resourceType: string) => {
    const g = await requirePatientAccess(deps, ctx, patientId, { action, resourceType });
    await readOr404(deps, 'Patient', patientId);
    return g;
  };

  /** A resource of this patient's chart; one on another chart answers 404 like one that does not exist. */
  const readOwned = async <K extends ChartType>(type: K, id: string, patientId: string): Promise<Of<K>> => {
    const r = (await readOr404(deps, type, id)) as Of<K>;
    if (patientRefOf(r) !== `Patient/${patientId}`) throw notFound(type, id);
    return r;
  };

  /**
   * Optimistic locking: the caller names the version it read (If-Match, required: 428 without it); a stale one is
   * 409 here, and HAPI checks the same version again atomically on the PUT.
   */
  const readForWrite = async <K extends ChartType>(req: Request, type: K, id: string, patientId: string) => {
    const version = requireIfMatch(req);
    const current = await readOwned(type, id, patientId);
    assertVersion(current, version);
    return { current, version };
  };

  const save = async <R extends fhir4.FhirResource>(res: Response, next: R, version: string): Promise<R> => {
    const updated = await deps.fhir.update(next, { ifMatch: version });
    setEtag(res, updated);
    return updated;
  };

  return { guard, readOwned, readForWrite, save };
}

/** The note a correction leaves on the resource, so its history says who withdrew it and why. */
export const errorNote = (reason: string, author: string | undefined, now = new Date()): fhir4.Annotation => ({
  text: `Entered in error: ${reason}`,
  time: now.toISOString(),
  ...(author ? { authorReference: { reference: author } } : {}),
});
