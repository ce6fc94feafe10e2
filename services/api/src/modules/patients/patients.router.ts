import { patientRelease } from '../results/patient-release';
import { Router } from 'express';

import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { forbidden } from '../../core/errors';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { accessHints } from './access-hints';
import { rewriteBundleUrls } from './fhir-urls';
import { assertVersion, readOr404, requireIfMatch, setEtag } from '../../core/fhir/fhir-kit';
import { createUnlessMrnTaken, createWithGeneratedMrn } from './register';
import { PatientIndex } from './patient-index';
import { toFhirPatient, toPatientView } from './patient-mapping';
import {
  EverythingQuery,
  PatientEverything,
  PatientParams,
  PatientSearchQuery,
  PatientSearchResult,
  PatientSummary,
  PatientTimeline,
  PatientView,
  RegisterPatientBody,
  RegisteredPatient,
  TimelineQuery,
  UpdatePatientBody,
} from '@wintehr/contracts';
import { parseCriteria, rankPatients } from './patient-search';
import { patientSummary } from './patient-summary';
import { TIMELINE_SOURCES, mergeTimeline, type TimelineType } from './timeline';
import { maskPatientSsn } from './ssn';
import { coverAndCheck, payerByX12Id } from '../eligibility/registration';

/**
 * Patients (issue 5 §1): registration with a generated MRN, fuzzy search, chart summary, timeline,
 * $everything and optimistic-locking updates. Every response masks the SSN.
 */
/** How many of the best matches are looked at for the caller's own patients (one batched access query). */
const RELATED_FIRST_WINDOW = 100;

export function patientsRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['patients'];
  const index = new PatientIndex(deps.fhir);
  // Load the search index at start rather than on the first search (tests build many apps: they load lazily).
  if (deps.config.env !== 'test')
    void index
      .fresh()
      .catch((err: Error) =>
        deps.logger.warn({ err: { message: err.message } }, 'patient search index warm-up failed'),
      );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients',
      summary: 'Register a patient (MRN generated when absent)',
      tags,
      auth: 'patient:register',
      body: RegisterPatientBody,
      response: RegisteredPatient,
      successStatus: 201,
    },
    async ({ req, res, body, principal }): Promise<RegisteredPatient> => {
      // An unknown payer is bad input: refused before anything is written.
      const payer = body.insurance ? await payerByX12Id(deps, body.insurance.payerId) : undefined;
      const created = body.mrn
        ? await createUnlessMrnTaken(deps, toFhirPatient(body, { mrn: body.mrn }), body.mrn)
        : await createWithGeneratedMrn(deps, (mrn) => toFhirPatient(body, { mrn }));
      index.upsert(created);
      // The registering clinician must be able to open the chart they just created; registration staff
      // (admin) get no relationship from it.
      if (principal.role !== 'admin') {
        await deps.pg.query(
          `INSERT INTO patient_assignments (user_id, patient_id, reason, created_by) VALUES ($1, $2, 'registered the patient', $1) ON CONFLICT DO NOTHING`,
          [principal.userId, created.id],
        );
      }
      auditRequest(deps.audit, req, res, {
        action: 'patient.create',
        outcome: 'success',
        patientId: created.id,
        resourceType: 'Patient',
        resourceId: created.id,
        details: { mrnGenerated: !body.mrn, ssnGiven: !!body.ssn, insuranceGiven: !!body.insurance },
      });
      const eligibility =
        payer && body.insurance
          ? await coverAndCheck(deps, {
              patientId: created.id!,
              payer,
              insurance: body.insurance,
              practitionerId: principal.practitionerId,
            })
          : undefined;
      if (eligibility)
        auditRequest(deps.audit, req, res, {
          action: 'eligibility.check',
          outcome: eligibility.outcome.state === 'not-checked' ? 'failure' : 'success',
          patientId: created.id,
          resourceType: 'Coverage',
          resourceId: eligibility.coverageId,
          details: {
            at: 'registration',
            state: eligibility.outcome.state,
            ...(eligibility.outcome.state === 'checked'
              ? { eligibility: eligibility.outcome.result.status, responseId: eligibility.outcome.result.responseId }
              : {}),
            ...(eligibility.outcome.state === 'not-checked' ? { error: eligibility.outcome.code } : {}),
          },
        });
      setEtag(res, created);
      res.location(`/api/patients/${created.id}`);
      return { ...toPatientView(created), ...(eligibility ? { eligibility: eligibility.outcome } : {}) };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients',
      summary: 'Fuzzy patient search (name with typos/phonetics, birth date, MRN, phone)',
      tags,
      auth: 'patient:read',
      query: PatientSearchQuery,
      response: PatientSearchResult,
    },
    async ({ req, res, query, principal }): Promise<PatientSearchResult> => {
      const params = Object.keys(query).filter((k) => query[k as keyof typeof query] !== undefined);
      // The refusal is audited by the denied-audit middleware like every other 403.
      if (principal.role === 'patient') throw forbidden('Patient search is for staff');
      await index.fresh();
      const ranked = rankPatients(parseCriteria(query), index.all());
      const offset = Number(query.cursor ?? 0);
      // A clinician's "Garcia" is first their own Garcia: among the best matches, patients the caller already cares
      // for come first (score order kept within each group), however many strangers share the name.
      const window = ranked.slice(0, Math.max(offset + query.limit, RELATED_FIRST_WINDOW));
      const hints = await accessHints(
        deps,
        principal,
        window.map((p) => p.patient.id),
      );
      const ordered = [
        ...window.filter((r) => hints.has(r.patient.id)),
        ...window.filter((r) => !hints.has(r.patient.id)),
        ...ranked.slice(window.length),
      ];
      const page = ordered.slice(offset, offset + query.limit);
      // Names and values searched for are PHI: only the parameter names and the count are audited.
      auditRequest(deps.audit, req, res, {
        action: 'patient.search',
        outcome: 'success',
        resourceType: 'Patient',
        details: { params, count: ranked.length, returned: page.length },
      });
      return {
        total: ranked.length,
        results: page.map(({ patient: p, score, match }) => ({
          id: p.id,
          name: { family: p.family, given: p.given },
          birthDate: p.birthDate,
          gender: p.gender,
          mrn: p.mrn,
          active: p.active,
          score,
          match,
          access: {
            related: hints.has(p.id),
            ...(hints.has(p.id) ? { basis: hints.get(p.id) } : { breakGlass: `/api/patients/${p.id}/break-glass` }),
          },
        })),
        ...(offset + query.limit < ranked.length ? { nextCursor: String(offset + query.limit) } : {}),
      };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId',
      summary: 'Patient demographics (ETag = version)',
      tags,
      auth: 'patient:read',
      params: PatientParams,
      response: PatientView,
    },
    async (ctx): Promise<PatientView> => {
      await requirePatientAccess(deps, ctx, ctx.params.patientId, {
        action: 'patient.read',
        resourceType: 'Patient',
        resourceId: ctx.params.patientId,
      });
      const p = await readOr404(deps, 'Patient', ctx.params.patientId);
      setEtag(ctx.res, p);
      return toPatientView(p);
    },
  );

  mount(
    r,
    {
      method: 'put',
      path: '/api/patients/:patientId',
      summary: 'Update demographics (If-Match required; 409 on a stale version)',
      tags,
      auth: 'patient:write',
      params: PatientParams,
      body: UpdatePatientBody,
      response: PatientView,
    },
    async (ctx): Promise<PatientView> => {
      const { patientId } = ctx.params;
      const guard = await requirePatientAccess(deps, ctx, patientId, {
        action: 'patient.update',
        resourceType: 'Patient',
        resourceId: patientId,
      });
      const version = requireIfMatch(ctx.req);
      const current = await readOr404(deps, 'Patient', patientId);
      assertVersion(current, version);
      const updated = await deps.fhir.update(toFhirPatient(ctx.body, { existing: current }), { ifMatch: version });
      index.upsert(updated);
      guard.note({ fromVersion: version, toVersion: updated.meta?.versionId, ssnChanged: !!ctx.body.ssn });
      setEtag(ctx.res, updated);
      return toPatientView(updated);
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/summary',
      summary: 'Chart summary: demographics, problems, medications, allergies, latest vitals, appointments, coverage',
      tags,
      auth: 'patient:read',
      params: PatientParams,
      response: PatientSummary,
    },
    async (ctx): Promise<PatientSummary> => {
      const guard = await requirePatientAccess(deps, ctx, ctx.params.patientId, {
        action: 'patient.summary',
        resourceType: 'Patient',
        resourceId: ctx.params.patientId,
      });
      const s = await deps.chartCache.get('summary', ctx.params.patientId, () =>
        patientSummary(deps, ctx.params.patientId),
      );
      guard.note({
        problems: s.problems.length,
        medications: s.medications.length,
        allergies: s.allergies.length,
        vitals: s.vitals.length,
      });
      return s;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/timeline',
      summary: 'Clinical events of every kind, newest first (page with before=nextBefore)',
      tags,
      auth: 'patient:read',
      params: PatientParams,
      query: TimelineQuery,
      response: PatientTimeline,
    },
    async (ctx): Promise<PatientTimeline> => {
      const { patientId } = ctx.params;
      const guard = await requirePatientAccess(deps, ctx, patientId, {
        action: 'patient.timeline',
        resourceType: 'Patient',
        resourceId: patientId,
      });
      await readOr404(deps, 'Patient', patientId);
      const { limit, before } = ctx.query;
      const lists = await Promise.all(
        (Object.keys(TIMELINE_SOURCES) as TimelineType[]).map((type) => {
          const dateParam = TIMELINE_SOURCES[type];
          return deps.fhir.searchResources(type, {
            patient: patientId,
            _sort: `-${dateParam}`,
            _count: limit,
            ...(before ? { [dateParam]: `lt${before}` } : {}),
          });
        }),
      );
      const out = mergeTimeline(lists.flat(), limit, before);
      guard.note({ count: out.events.length });
      return out;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/$everything',
      summary: 'Patient $everything (FHIR Bundle; links point at the façade)',
      tags,
      auth: 'patient:read',
      params: PatientParams,
      query: EverythingQuery,
      response: PatientEverything,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const guard = await requirePatientAccess(deps, ctx, patientId, {
        action: 'patient.everything',
        resourceType: 'Patient',
        resourceId: patientId,
      });
      await readOr404(deps, 'Patient', patientId);
      const bundle = await deps.fhir.operation<fhir4.Bundle>(`Patient/${encodeURIComponent(patientId)}/$everything`, {
        query: { _count: ctx.query._count },
      });
      // A patient gets what the portal shows: released results only, no audit records (staff accounts, addresses).
      const release = ctx.principal.role === 'patient' ? await patientRelease(deps, patientId) : undefined;
      const visibleObservations = release
        ? new Set(
            release
              .observations(
                (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Observation' ? [e.resource] : [])),
              )
              .map((o) => o.id),
          )
        : undefined;
      const shown = (r: fhir4.FhirResource | undefined) =>
        !release ||
        !r ||
        (r.resourceType === 'DiagnosticReport'
          ? release.report(r)
          : r.resourceType === 'Observation'
            ? visibleObservations!.has(r.id)
            : r.resourceType !== 'AuditEvent');
      const masked: fhir4.Bundle = {
        ...bundle,
        entry: bundle.entry
          ?.filter((e) => shown(e.resource))
          .map((e) => (e.resource?.resourceType === 'Patient' ? { ...e, resource: maskPatientSsn(e.resource) } : e)),
      };
      guard.note({ entries: bundle.entry?.length ?? 0 });
      ctx.res.type('application/fhir+json');
      return rewriteBundleUrls(masked, new URL(deps.config.hapi.baseUrl).pathname, `${deps.config.publicBaseUrl}/fhir`);
    },
  );

  return r;
}
