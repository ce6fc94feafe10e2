import { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { badRequest } from '../../core/errors';
import { mount } from '../../core/http/route';
import { assertVersion, requireIfMatch, setEtag } from '../../core/fhir/fhir-kit';
import {
  ChartItemParams,
  ImmunizationBody,
  PatientParams,
  ProblemBody,
  ResolveProblemBody,
  VitalBody,
  fhirResource,
} from '@wintehr/contracts';
import { toConcept } from './chart-schemas';
import { allergyRoutes } from './allergy.routes';
import { chartKit, codeOf, mountChartList, termStatus, who } from './chart-kit';
import { doseQuantity, immunizationRoutes, routeConcept, siteConcept } from './immunization.routes';
import { problemRoutes, severityConcept } from './problem.routes';
import { socialHistoryRoutes } from './social-history.routes';
import { vitalSetRoutes } from './vital-set.routes';
import { toVitalObservation, validateVital } from './vitals';

const onsetOf = (v: string | undefined) => (v ? { onsetDateTime: v } : {});

/**
 * Chart items (issue 5 §6): allergies, problems, vitals and immunizations as thin, validated wrappers over
 * their FHIR resources. Every call checks the patient relationship and is audited by requirePatientAccess.
 */
export function chartRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['chart'];
  const { guard, readOwned, encounterOfPatient } = chartKit(deps);

  // ---- Allergies: lists with the NKA state, add, edit, entered-in-error
  allergyRoutes(r, deps);

  // ---- Problems
  mountChartList(r, deps, {
    segment: 'problems',
    summary: 'Problem list (Condition)',
    action: 'problem.list',
    type: 'Condition',
    search: { _sort: '-recorded-date' },
    withdrawn: (c) => codeOf(c.verificationStatus) === 'entered-in-error',
  });
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
        clinicalStatus: termStatus('condition-clinical', b.clinicalStatus),
        verificationStatus: termStatus('condition-ver-status', b.verificationStatus),
        category: [termStatus('condition-category', 'problem-list-item')],
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
      // Another chart's problem answers like an unknown one, before any version check: no oracle for its ids.
      const current = await readOwned('Condition', id, patientId);
      // If-Match is optional here (older clients resolve without it); when sent, a stale version is a 409.
      if (ctx.req.get('if-match')) assertVersion(current, requireIfMatch(ctx.req));
      const abatement = ctx.body.abatement ?? new Date().toISOString();
      const onset = current.onsetDateTime ?? current.recordedDate;
      if (onset && Date.parse(abatement) < Date.parse(onset))
        throw badRequest('Resolution cannot precede onset', [{ field: 'body.abatement', message: 'before the onset' }]);
      const updated = await deps.fhir.update<fhir4.Condition>(
        {
          ...current,
          clinicalStatus: termStatus('condition-clinical', 'resolved'),
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
  mountChartList(r, deps, {
    segment: 'vitals',
    summary: 'Vital signs, newest first',
    action: 'vitals.list',
    type: 'Observation',
    search: { category: 'vital-signs', _sort: '-date' },
    withdrawn: (o) => o.status === 'entered-in-error',
  });
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
      if (ctx.body.encounterId) await encounterOfPatient(ctx.body.encounterId, ctx.params.patientId);
      const created = await deps.fhir.create(toVitalObservation(ctx.body, ctx.params.patientId, who(ctx.principal)));
      g.setResource('Observation', created.id);
      g.note({ kind: ctx.body.kind });
      setEtag(ctx.res, created);
      return created;
    },
  );

  // ---- Immunizations
  mountChartList(r, deps, {
    segment: 'immunizations',
    summary: 'Immunizations',
    action: 'immunization.list',
    type: 'Immunization',
    search: { _sort: '-date' },
    withdrawn: (i) => i.status === 'entered-in-error',
  });
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
