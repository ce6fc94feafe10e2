import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { badRequest, forbidden } from '../../core/errors';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { acknowledgeResult } from './acknowledge';
import { analyte, rangeFor } from './analytes';
import { startResultEscalation } from './escalation';
import { ingestResult } from './ingest';
import { interpretationOf } from './interpretation';
import { LOINC, acknowledgementOf } from './result-bundle';
import {
  AckBody,
  AcknowledgeResult,
  CriticalWorklist,
  CriticalWorklistQuery,
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

/** Results (seed 004 §4.4, §6.3.4): ingestion, interpretation, critical alerts with escalation, acknowledgement, trends. */
export function resultsRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['results'];
  const esc = startResultEscalation(deps);
  deps.onClose(() => esc.close());

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
    async ({ req, res, principal }): Promise<CriticalWorklist> => {
      if (principal.role === 'patient') throw forbidden('This worklist is for clinical staff');
      const { rows } = await deps.pg.query<{
        report_id: string;
        patient_id: string;
        service_request_id: string;
        observation_ids: string[];
        critical_codes: string[];
        created_at: Date;
        deadline_at: Date;
        escalation_level: number;
        ordering_practitioner_id: string | null;
      }>(
        `SELECT report_id, patient_id, service_request_id, observation_ids, critical_codes, created_at, deadline_at, escalation_level, ordering_practitioner_id
         FROM critical_result_alerts a WHERE acknowledged_at IS NULL AND (a.ordering_practitioner_id = $1
           OR $1 = ANY(a.notified_practitioner_ids)
           OR a.patient_id IN (SELECT patient_id FROM patient_assignments WHERE user_id = $2 AND (expires_at IS NULL OR expires_at > now())))
         ORDER BY created_at LIMIT 500`,
        [principal.practitionerId ?? '', principal.userId],
      );
      auditRequest(deps.audit, req, res, {
        action: 'result.critical-worklist',
        outcome: 'success',
        details: { count: rows.length },
      });
      const now = Date.now();
      return {
        total: rows.length,
        items: rows.map((x) => ({
          reportId: x.report_id,
          patientId: x.patient_id,
          serviceRequestId: x.service_request_id,
          observationIds: x.observation_ids,
          codes: x.critical_codes,
          orderingPractitionerId: x.ordering_practitioner_id,
          filedAt: x.created_at.toISOString(),
          deadlineAt: x.deadline_at.toISOString(),
          overdue: x.deadline_at.getTime() < now,
          escalationLevel: x.escalation_level,
        })),
      };
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
      const results = reports
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
      const dataPoints = obs
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
