import type { Request, Response, Router } from 'express';
import {
  ChartItemParams,
  ChartListQuery,
  EnteredInErrorBody,
  PatientParams,
  chartList,
  fhirResource,
  type ChartList,
} from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, conflict, notFound } from '../../core/errors';
import { assertVersion, readOr404, requireIfMatch, setEtag } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
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

  /**
   * An Encounter named in a body must be one of this patient's (else 400): a chart entry never joins another
   * patient's visit. A missing one is left to HAPI's referential integrity (422 with its issues).
   */
  const encounterOfPatient = async (encounterId: string, patientId: string): Promise<void> => {
    const enc = await readOr404(deps, 'Encounter', encounterId).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) return undefined;
      throw err;
    });
    if (enc && enc.subject?.reference !== `Patient/${patientId}`)
      throw badRequest('Unknown encounter for this patient', [
        { field: 'body.encounterId', message: 'not an encounter of this patient' },
      ]);
  };

  return { guard, readOwned, readForWrite, save, encounterOfPatient };
}

/** The note a correction leaves on the resource, so its history says who withdrew it and why. */
export const errorNote = (reason: string, author: string | undefined, now = new Date()): fhir4.Annotation => ({
  text: `Entered in error: ${reason}`,
  time: now.toISOString(),
  ...(author ? { authorReference: { reference: author } } : {}),
});

/** A chart list: access check (the patient must exist), the given search, audited with its count. */
export function mountChartList<K extends 'Condition' | 'Observation' | 'Immunization'>(
  r: Router,
  deps: AppDeps,
  list: {
    segment: string;
    summary: string;
    action: string;
    type: K;
    search: Record<string, string>;
    withdrawn: (item: Of<K>) => boolean;
  },
): void {
  const kit = chartKit(deps);
  mount(
    r,
    {
      method: 'get',
      path: `/api/patients/:patientId/${list.segment}`,
      summary: list.summary,
      tags: ['chart'],
      auth: 'patient:read',
      params: PatientParams,
      query: ChartListQuery,
      response: chartList(list.type),
    },
    async (ctx): Promise<ChartList<K>> => {
      const g = await kit.guard(ctx, ctx.params.patientId, list.action, list.type);
      const found = (await deps.fhir.searchResources(list.type, {
        patient: ctx.params.patientId,
        ...list.search,
        _count: ctx.query.limit,
      })) as Of<K>[];
      // Entered in error: gone from the current list, still in the history (include=all).
      const items = ctx.query.include === 'all' ? found : found.filter((x) => !list.withdrawn(x));
      g.note({ count: items.length });
      return { items };
    },
  );
}

/**
 * POST …/<segment>/:id/entered-in-error: the item stays in the history, withdrawn with a note saying who and why.
 * `withdraw` gives the resource's own way of marking it (status, or verification status without a clinical one).
 */
export function mountEnteredInError<K extends ChartType>(
  r: Router,
  deps: AppDeps,
  route: {
    segment: string;
    summary: string;
    action: string;
    type: K;
    withdrawn: (current: Of<K>) => boolean;
    withdraw: (current: Of<K>, note: fhir4.Annotation[]) => Of<K>;
    /** Refuses a resource that is not this kind of chart item (409), before the withdrawn check. */
    check?: (current: Of<K>) => void;
  },
): void {
  const kit = chartKit(deps);
  mount(
    r,
    {
      method: 'post',
      path: `/api/patients/:patientId/${route.segment}/:id/entered-in-error`,
      summary: route.summary,
      tags: ['chart'],
      auth: 'patient:write',
      params: ChartItemParams,
      body: EnteredInErrorBody,
      response: fhirResource(route.type),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const g = await kit.guard(ctx, patientId, route.action, route.type);
      g.setResource(route.type, id);
      const { current, version } = await kit.readForWrite(ctx.req, route.type, id, patientId);
      route.check?.(current);
      if (route.withdrawn(current)) throw conflict('Already marked entered in error');
      // Every chart type carries notes; the generic Of<K> does not narrow far enough for TypeScript to see it.
      const prior = (current as Of<ChartType>).note ?? [];
      const note = [...prior, errorNote(ctx.body.reason, who(ctx.principal))];
      return kit.save(ctx.res, route.withdraw(current, note), version);
    },
  );
}
