import { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { badRequest } from '../../core/errors';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { assertVersion, readOr404, requireIfMatch, setEtag } from '../../core/fhir/fhir-kit';
import {
  ChartItemParams,
  ChartListQuery,
  ImmunizationBody,
  PatientParams,
  ProblemBody,
  ResolveProblemBody,
  VitalBody,
  chartList,
  fhirResource,
  type ChartList,
} from '@wintehr/contracts';
import { toConcept } from './chart-schemas';
import { allergyRoutes } from './allergy.routes';
import { codeOf } from './chart-kit';
import { doseQuantity, immunizationRoutes, routeConcept, siteConcept } from './immunization.routes';
import { problemRoutes, severityConcept } from './problem.routes';
import { socialHistoryRoutes } from './social-history.routes';
import { vitalSetRoutes } from './vital-set.routes';
import { toVitalObservation, validateVital } from './vitals';

const TERM = 'http://terminology.hl7.org/CodeSystem';
const status = (cs: string, code: string): fhir4.CodeableConcept => ({ coding: [{ system: `${TERM}/${cs}`, code }] });
const onsetOf = (v: string | undefined) => (v ? { onsetDateTime: v } : {});

/**
 * Chart items (issue 5 §6): allergies, problems, vitals and immunizations as thin, validated wrappers over
 * their FHIR resources. Every call checks the patient relationship and is audited by requirePatientAccess.
 */
export function chartRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['chart'];
  const who = (p: { practitionerId?: string }) => (p.practitionerId ? `Practitioner/${p.practitionerId}` : undefined);

  /** Access check + the patient must exist (404 otherwise). */
  const guard = async (
    ctx: Parameters<typeof requirePatientAccess>[1],
    patientId: string,
    action: string,
    resourceType: string,
  ) => {
    const g = await requirePatientAccess(deps, ctx, patientId, { action, resourceType });
    await readOr404(deps, 'Patient', patientId);
    return g;
  };

  /** A chart list: access check (the patient must exist), the given search, audited with its count. */
  const listRoute = (
    segment: string,
    summary: string,
    action: string,
    type: 'Condition' | 'Observation' | 'Immunization',
    search: Record<string, string>,
    withdrawn: (item: fhir4.Condition | fhir4.Observation | fhir4.Immunization) => boolean,
  ) =>
    mount(
      r,
      {
        method: 'get',
        path: `/api/patients/:patientId/${segment}`,
        summary,
        tags,
        auth: 'patient:read',
        params: PatientParams,
        query: ChartListQuery,
        response: chartList(type),
      },
      async (ctx): Promise<ChartList<typeof type>> => {
        const g = await guard(ctx, ctx.params.patientId, action, type);
        const found = await deps.fhir.searchResources(type, {
          patient: ctx.params.patientId,
          ...search,
          _count: ctx.query.limit,
        });
        // Entered in error: gone from the current list, still in the history (include=all).
        const items = ctx.query.include === 'all' ? found : found.filter((x) => !withdrawn(x));
        g.note({ count: items.length });
        return { items };
      },
    );

  // ---- Allergies: lists with the NKA state, add, edit, entered-in-error
  allergyRoutes(r, deps);

  // ---- Problems
  listRoute('problems', 'Problem list (Condition)', 'problem.list', 'Condition', { _sort: '-recorded-date' }, (c) =>
    c.resourceType === 'Condition' ? codeOf(c.verificationStatus) === 'entered-in-error' : false,
  );
  problemRoutes(r, deps);
  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/problems',
      summary: 'Add a problem (SNOMED or ICD-10-CM)',
      tags,
      auth: 'patient:write',
      params: PatientParams,
      body: ProblemBody,
      response: fhirResource('Condition'),
      successStatus: 201,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const b = ctx.body;
      const g = await guard(ctx, patientId, 'problem.create', 'Condition');
      const created = await deps.fhir.create<fhir4.Condition>({
        resourceType: 'Condition',
        clinicalStatus: status('condition-clinical', b.clinicalStatus),
        verificationStatus: status('condition-ver-status', b.verificationStatus),
        category: [status('condition-category', 'problem-list-item')],
        code: toConcept(b.code),
        subject: { reference: `Patient/${patientId}` },
        recordedDate: new Date().toISOString(),
        ...(who(ctx.principal) ? { recorder: { reference: who(ctx.principal) } } : {}),
        ...(b.severity ? { severity: severityConcept(b.severity) } : {}),
        ...onsetOf(b.onset),
        ...(b.note ? { note: [{ text: b.note }] } : {}),
      });
      g.setResource('Condition', created.id);
      g.note({ system: b.code.system, code: b.code.code });
      setEtag(ctx.res, created);
      return created;
    },
  );
  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/problems/:id/resolve',
      summary: 'Resolve a problem (clinical status resolved, abatement date)',
      tags,
      auth: 'patient:write',
      params: ChartItemParams,
      body: ResolveProblemBody,
      response: fhirResource('Condition'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const g = await guard(ctx, patientId, 'problem.resolve', 'Condition');
      g.setResource('Condition', id);
      const current = await readOr404(deps, 'Condition', id);
      // If-Match is optional here (older clients resolve without it); when sent, a stale version is a 409.
      if (ctx.req.get('if-match')) assertVersion(current, requireIfMatch(ctx.req));
      if (current.subject.reference !== `Patient/${patientId}`)
        throw badRequest('This problem belongs to another patient', [
          { field: 'params.id', message: 'not on this patient' },
        ]);
      const abatement = ctx.body.abatement ?? new Date().toISOString();
      const onset = current.onsetDateTime ?? current.recordedDate;
      if (onset && Date.parse(abatement) < Date.parse(onset))
        throw badRequest('Resolution cannot precede onset', [{ field: 'body.abatement', message: 'before the onset' }]);
      const updated = await deps.fhir.update<fhir4.Condition>(
        {
          ...current,
          clinicalStatus: status('condition-clinical', 'resolved'),
          abatementDateTime: abatement,
          ...(ctx.body.note ? { note: [...(current.note ?? []), { text: ctx.body.note }] } : {}),
        },
        { ifMatch: current.meta?.versionId },
      );
      setEtag(ctx.res, updated);
      return updated;
    },
  );

  // ---- Vitals
  listRoute(
    'vitals',
    'Vital signs, newest first',
    'vitals.list',
    'Observation',
    {
      category: 'vital-signs',
      _sort: '-date',
    },
    (o) => o.resourceType === 'Observation' && o.status === 'entered-in-error',
  );
  vitalSetRoutes(r, deps);
  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/vitals',
      summary: 'Record a vital sign (LOINC, UCUM, plausible range)',
      tags,
      auth: 'vitals:record',
      params: PatientParams,
      body: VitalBody,
      response: fhirResource('Observation'),
      successStatus: 201,
    },
    async (ctx) => {
      const problems = validateVital(ctx.body);
      if (problems.length) throw badRequest('Implausible or mis-united vital sign', problems);
      const g = await guard(ctx, ctx.params.patientId, 'vitals.record', 'Observation');
      const created = await deps.fhir.create(toVitalObservation(ctx.body, ctx.params.patientId, who(ctx.principal)));
      g.setResource('Observation', created.id);
      g.note({ kind: ctx.body.kind });
      setEtag(ctx.res, created);
      return created;
    },
  );

  // ---- Immunizations
  listRoute(
    'immunizations',
    'Immunizations',
    'immunization.list',
    'Immunization',
    { _sort: '-date' },
    (i) => i.resourceType === 'Immunization' && i.status === 'entered-in-error',
  );
  immunizationRoutes(r, deps);
  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/immunizations',
      summary: 'Record an immunization (CVX)',
      tags,
      auth: 'patient:write',
      params: PatientParams,
      body: ImmunizationBody,
      response: fhirResource('Immunization'),
      successStatus: 201,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const b = ctx.body;
      const g = await guard(ctx, patientId, 'immunization.create', 'Immunization');
      const created = await deps.fhir.create<fhir4.Immunization>({
        resourceType: 'Immunization',
        status: b.status,
        vaccineCode: toConcept(b.vaccine),
        patient: { reference: `Patient/${patientId}` },
        occurrenceDateTime: b.occurrence,
        recorded: new Date().toISOString(),
        primarySource: b.primarySource,
        ...(b.lotNumber ? { lotNumber: b.lotNumber } : {}),
        ...(b.expirationDate ? { expirationDate: b.expirationDate } : {}),
        ...(b.site ? { site: siteConcept(b.site) } : {}),
        ...(b.route ? { route: routeConcept(b.route) } : {}),
        ...(b.doseMl ? { doseQuantity: doseQuantity(b.doseMl) } : {}),
        ...(b.statusReason
          ? {
              statusReason: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: b.statusReason }],
              },
            }
          : {}),
        ...(b.note ? { note: [{ text: b.note }] } : {}),
        ...(who(ctx.principal) ? { performer: [{ actor: { reference: who(ctx.principal)! } }] } : {}),
      });
      g.setResource('Immunization', created.id);
      g.note({ cvx: b.vaccine.code });
      setEtag(ctx.res, created);
      return created;
    },
  );

  socialHistoryRoutes(r, deps);
  return r;
}
