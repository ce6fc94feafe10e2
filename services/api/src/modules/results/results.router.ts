import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { badRequest, forbidden } from '../../core/errors';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { acknowledgeResult } from './acknowledge';
import { analyte, rangeFor } from './analytes';
import { criticalRuntime } from './critical-runtime';
import { criticalWorklist } from './critical-worklist';
import { ingestResult } from './ingest';
import { interpretationOf } from './interpretation';
import { LOINC, acknowledgementOf } from './result-bundle';
import {
  AckBody,
  AcknowledgeResult,
  CriticalWorklist,
  CriticalWorklistQuery,
  Flowsheet,
  FlowsheetQuery,
  IngestBody,
  IngestResult,
  PatientRouteParams,
  ReportParams,
  ResultList,
  ResultsQuery,
  TrendQuery,
  TrendResult,
} from '@wintehr/contracts';
import { trendDirection } from './trend';
import { buildFlowsheet } from './flowsheet';
import { patientRelease } from './patient-release';

/** A flowsheet reads at most this many values (newest first): years of a chronic patient's labs and vitals. */
const FLOWSHEET_MAX_OBSERVATIONS = 5_000;

/** Results (seed 004 §4.4, §6.3.4): ingestion, interpretation, critical alerts with escalation, acknowledgement, trends. */
export function resultsRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['results'];
  const esc = criticalRuntime(deps).escalation;

  mount(
    r,
    {
      method: 'post',
      path: '/api/results',
      summary: 'File a lab result (DiagnosticReport + Observations) against its order',
      tags,
      auth: 'results:create',
      body: IngestBody,
      response: IngestResult,
      successStatus: 201,
    },
    ({ req, res, body, principal }) => ingestResult(deps, esc, { req, res, principal }, body),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/results/:reportId/acknowledge',
      summary: 'Acknowledge a result (who, when)',
      tags,
      auth: 'results:acknowledge',
      params: ReportParams,
      body: AckBody,
      response: AcknowledgeResult,
    },
    ({ req, res, params, body, principal }) =>
      acknowledgeResult(deps, esc, { req, res, principal }, params.reportId, body.ifMatch),
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/results/unacknowledged-critical',
      summary: 'Critical results awaiting acknowledgement for my patients',
      tags,
      auth: 'results:view',
      query: CriticalWorklistQuery,
      response: CriticalWorklist,
    },
    async ({ req, res, query, principal }): Promise<CriticalWorklist> => {
      if (principal.role === 'patient') throw forbidden('This worklist is for clinical staff');
      const list = await criticalWorklist(deps, principal, { patientId: query.patient });
      auditRequest(deps.audit, req, res, {
        action: 'result.critical-worklist',
        outcome: 'success',
        ...(query.patient ? { patientId: query.patient } : {}),
        details: { count: list.total },
      });
      return list;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/results',
      summary: 'Lab reports with their observations',
      tags,
      auth: 'results:view',
      params: PatientRouteParams,
      query: ResultsQuery,
      response: ResultList,
    },
    async ({ req, res, params, query, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'result.list',
        resourceType: 'DiagnosticReport',
      });
      const [, bundle] = await Promise.all([
        readOr404(deps, 'Patient', params.patientId),
        deps.fhir.search('DiagnosticReport', {
          subject: `Patient/${params.patientId}`,
          _include: 'DiagnosticReport:result',
          _sort: '-date',
          _count: query._count,
          ...(query.since ? { date: `ge${query.since}` } : {}),
        }),
      ]);
      const observations = new Map<string, fhir4.Observation>();
      const reports: fhir4.DiagnosticReport[] = [];
      for (const e of (bundle.entry ?? []) as fhir4.BundleEntry[]) {
        const res = e.resource;
        if (res?.resourceType === 'Observation') observations.set(`Observation/${res.id}`, res);
        else if (res?.resourceType === 'DiagnosticReport') reports.push(res);
      }
      const matches = (cc: fhir4.CodeableConcept | undefined) =>
        !query.code || !!cc?.coding?.some((c) => c.system === LOINC && c.code === query.code);
      // A patient reading their own chart sees released results only (the portal's rule).
      const release = principal.role === 'patient' ? await patientRelease(deps, params.patientId) : undefined;
      const results = reports
        .filter((report) => !release || release.report(report))
        .map((report) => {
          const obs = (report.result ?? [])
            .map((x) => observations.get(x.reference ?? ''))
            .filter((o): o is fhir4.Observation => !!o);
          const selected = matches(report.code) ? obs : obs.filter((o) => matches(o.code));
          return {
            report,
            observations: selected,
            acknowledged: acknowledgementOf(report) ?? null,
            abnormal: obs.some((o) => (interpretationOf(o) ?? 'N') !== 'N'),
          };
        })
        .filter((x) => !query.code || matches(x.report.code) || x.observations.length > 0);
      phi.note({ count: results.length, ...(query.code ? { code: query.code } : {}) });
      return { total: results.length, results };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/flowsheet',
      summary: 'Labs and vitals over time: one row per test, one column per day, values for graphs',
      tags,
      auth: 'results:view',
      params: PatientRouteParams,
      query: FlowsheetQuery,
      response: Flowsheet,
    },
    async ({ req, res, params, query, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'result.flowsheet',
        resourceType: 'Observation',
      });
      const [, observations] = await Promise.all([
        readOr404(deps, 'Patient', params.patientId),
        deps.fhir.searchAll(
          'Observation',
          {
            subject: `Patient/${params.patientId}`,
            category: query.category === 'all' ? 'laboratory,vital-signs' : query.category,
            _sort: '-date',
            _count: 1000,
            ...(query.since ? { date: `ge${query.since}` } : {}),
          },
          FLOWSHEET_MAX_OBSERVATIONS,
        ),
      ]);
      const visible =
        principal.role === 'patient'
          ? (await patientRelease(deps, params.patientId)).observations(observations)
          : observations;
      const sheet = buildFlowsheet(visible, query.columns);
      phi.note({ rows: sheet.rows.length, columns: sheet.columns.length, observations: observations.length });
      return sheet;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/results/trend',
      summary: 'Trend of one LOINC result over time',
      tags,
      auth: 'results:view',
      params: PatientRouteParams,
      query: TrendQuery,
      response: TrendResult,
    },
    async ({ req, res, params, query, principal }) => {
      const x = analyte(query.code);
      if (!x)
        throw badRequest('Unknown LOINC result code', [
          { field: 'query.code', message: `LOINC ${query.code} is not a result code this system knows` },
        ]);
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'result.trend',
        resourceType: 'Observation',
      });
      const [patient, obs] = await Promise.all([
        readOr404(deps, 'Patient', params.patientId),
        deps.fhir.searchResources('Observation', {
          subject: `Patient/${params.patientId}`,
          code: `${LOINC}|${query.code}`,
          _sort: 'date',
          _count: 500,
          ...(query.since ? { date: `ge${query.since}` } : {}),
        }),
      ]);
      const visible =
        principal.role === 'patient' ? (await patientRelease(deps, params.patientId)).observations(obs) : obs;
      const dataPoints = visible
        .filter(
          (o) =>
            typeof o.valueQuantity?.value === 'number' &&
            o.effectiveDateTime &&
            o.status !== 'entered-in-error' &&
            o.status !== 'cancelled',
        )
        .map((o) => ({
          observationId: o.id,
          date: o.effectiveDateTime!,
          value: o.valueQuantity!.value!,
          unit: o.valueQuantity!.code ?? o.valueQuantity!.unit,
          interpretation: interpretationOf(o) ?? null,
        }));
      const range = rangeFor(x, patient.gender);
      const trend = trendDirection(
        dataPoints.map((p) => ({ at: p.date, value: p.value })),
        range,
      );
      const latest = dataPoints.at(-1);
      phi.note({ code: query.code, points: dataPoints.length });
      return {
        code: x.code,
        display: x.display,
        unit: x.ucum,
        referenceRange: range,
        dataPoints,
        trend: trend.direction,
        slopePerDay: trend.slopePerDay ?? null,
        change: trend.change ?? null,
        latest: latest ?? null,
        inRange: latest
          ? (range.low === undefined || latest.value >= range.low) &&
            (range.high === undefined || latest.value <= range.high)
          : null,
      };
    },
  );

  return r;
}
