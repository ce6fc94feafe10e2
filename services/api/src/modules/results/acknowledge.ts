import client from 'prom-client';
import type { Request, Response } from 'express';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, conflict } from '../../core/errors';
import { requirePatientAccess } from '../../core/http/phi-guard';
import type { AcknowledgeResult } from '@wintehr/contracts';
import type { Metrics } from '../../core/metrics';
import { publishQuietly } from '../medications/clinical-helpers';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import type { ResultEscalation } from './escalation';
import { interpretationOf, isCritical } from './interpretation';
import { acknowledgementOf, withAcknowledgement } from './result-bundle';
import { criticalFlagOf } from './critical-detect';

const histograms = new WeakMap<Metrics, client.Histogram<'critical'>>();

/** Time from a result being filed to its acknowledgement by a provider (the critical-result safety metric). */
export function timeToAcknowledge(metrics: Metrics): client.Histogram<'critical'> {
  let h = histograms.get(metrics);
  if (!h) {
    h = new client.Histogram({
      name: 'wintehr_result_time_to_acknowledge_seconds',
      help: 'Seconds from result filing to provider acknowledgement',
      labelNames: ['critical'],
      buckets: [30, 60, 300, 600, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 72 * 3600],
      registers: [metrics.registry],
    });
    histograms.set(metrics, h);
  }
  return h;
}

/**
 * A provider acknowledges a report: who/when goes on the DiagnosticReport and its critical Observations (one
 * transaction, each PUT conditional on the version read, so a concurrent acknowledgement is a 409), the chart Flag is
 * closed, pending escalation is cancelled and the time to acknowledge is measured.
 */
export async function acknowledgeResult(
  deps: AppDeps,
  esc: ResultEscalation,
  ctx: { req: Request; res: Response; principal: Principal },
  reportId: string,
  ifMatch?: string,
): Promise<AcknowledgeResult> {
  // A critical value found outside a report (a lone Observation) is acknowledged on the Observation itself.
  const alertRows = await deps.pg.query<{
    created_at: Date;
    flag_id: string | null;
    focus_type: 'DiagnosticReport' | 'Observation';
  }>('SELECT created_at, flag_id, focus_type FROM critical_result_alerts WHERE report_id = $1', [reportId]);
  const alert = alertRows.rows[0];
  const focusType = alert?.focus_type ?? 'DiagnosticReport';
  const report: fhir4.DiagnosticReport | fhir4.Observation = await readOr404(deps, focusType, reportId);
  const patientId = idFromReference(report.subject?.reference, 'Patient');
  if (!patientId) throw conflict('Report has no patient', undefined, 'INVALID_STATE');
  const phi = await requirePatientAccess(deps, ctx, patientId, {
    action: 'result.acknowledge',
    resourceType: focusType,
    resourceId: reportId,
  });
  const prior = acknowledgementOf(report);
  if (prior) throw conflict('Result already acknowledged', prior, 'ALREADY_ACKNOWLEDGED');

  const by: fhir4.Reference = ctx.principal.practitionerId
    ? { reference: `Practitioner/${ctx.principal.practitionerId}` }
    : { identifier: { system: 'urn:wintehr:user', value: ctx.principal.userId } };
  const now = new Date();
  const observations = await Promise.all(
    (report.resourceType === 'DiagnosticReport' ? (report.result ?? []) : [])
      .map((r) => idFromReference(r.reference, 'Observation'))
      .filter((x): x is string => !!x)
      .map((id) => deps.fhir.read('Observation', id)),
  );
  const critical = observations.filter((o) => isCritical(interpretationOf(o)) || criticalFlagOf(o));
  const flag = alert?.flag_id ? await deps.fhir.read('Flag', alert.flag_id).catch(() => undefined) : undefined;

  const put = (resource: fhir4.FhirResource & { id?: string }, version?: string): fhir4.BundleEntry => ({
    resource,
    request: {
      method: 'PUT',
      url: `${resource.resourceType}/${resource.id}`,
      ...(version ? { ifMatch: `W/"${version}"` } : {}),
    },
  });
  const entries = [
    put(withAcknowledgement(report, by, now), ifMatch ?? report.meta?.versionId),
    ...critical.map((o) => put(withAcknowledgement(o, by, now), o.meta?.versionId)),
    ...(flag && flag.status === 'active'
      ? [put({ ...flag, status: 'inactive', period: { ...flag.period, end: now.toISOString() } }, flag.meta?.versionId)]
      : []),
  ];
  try {
    await deps.fhir.transaction({ resourceType: 'Bundle', type: 'transaction', entry: entries });
  } catch (err) {
    if (err instanceof AppError && err.status === 409)
      throw conflict(
        'The result changed while it was being acknowledged (acknowledged by someone else?)',
        { reportId },
        'VERSION_CONFLICT',
      );
    throw err;
  }
  await deps.pg.query(
    'UPDATE critical_result_alerts SET acknowledged_at = $2, acknowledged_by = $3 WHERE report_id = $1 AND acknowledged_at IS NULL',
    [reportId, now, ctx.principal.userId],
  );
  if (alert) await esc.cancel(reportId);

  const filedAt =
    alert?.created_at.getTime() ?? Date.parse(report.issued ?? report.meta?.lastUpdated ?? now.toISOString());
  const seconds = Math.max(0, (now.getTime() - filedAt) / 1000);
  timeToAcknowledge(deps.metrics).observe({ critical: String(Boolean(alert)) }, seconds);
  phi.note({
    critical: Boolean(alert),
    criticalObservations: critical.length,
    timeToAcknowledgeSeconds: Math.round(seconds),
  });
  await publishQuietly(deps, {
    type: 'results.acknowledged',
    patientId,
    resourceType: focusType,
    resourceId: reportId,
    actorUserId: ctx.principal.userId,
    data: {
      critical: Boolean(alert),
      observationIds: critical.map((o) => o.id!),
      timeToAcknowledgeSeconds: Math.round(seconds),
    },
  });
  return {
    reportId,
    acknowledged: { by, at: now.toISOString() },
    critical: Boolean(alert),
    timeToAcknowledgeSeconds: Math.round(seconds),
  };
}
