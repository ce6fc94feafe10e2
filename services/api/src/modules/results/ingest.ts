import type { Request, Response } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, conflict } from '../../core/errors';
import { publishQuietly } from '../medications/clinical-helpers';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import { orderTypeOf } from '../orders/service-request';
import type { ResultEscalation } from './escalation';
import { buildResultTransaction, observationProblems } from './result-bundle';
import type { IngestBody } from '@wintehr/contracts';

/**
 * Files a lab result against its order in one HAPI transaction, then (for critical values) records the alert
 * workflow row, schedules escalation and publishes results.critical. The order is the authorization for the lab
 * interface: it can only file results against an existing, active lab order, and the patient comes from it.
 */
export async function ingestResult(
  deps: AppDeps,
  esc: ResultEscalation,
  ctx: { req: Request; res: Response; principal: Principal },
  body: IngestBody,
) {
  const problems = observationProblems(body);
  if (problems.length) throw badRequest('Invalid result', problems);
  const audit = (outcome: 'success' | 'failure', extra: Record<string, unknown> = {}, patientId?: string) =>
    auditRequest(deps.audit, ctx.req, ctx.res, {
      action: 'result.ingest',
      outcome,
      resourceType: 'ServiceRequest',
      resourceId: body.serviceRequestId,
      ...(patientId ? { patientId } : {}),
      details: extra,
    });

  const order = await readOr404(deps, 'ServiceRequest', body.serviceRequestId).catch((err: unknown) => {
    audit('failure', { reason: 'order-not-found' });
    throw err;
  });
  const patientId = idFromReference(order.subject.reference, 'Patient');
  if (!patientId) throw conflict('Order has no patient', undefined, 'INVALID_STATE');
  if (orderTypeOf(order) !== 'lab') {
    audit('failure', { reason: 'not-a-lab-order' }, patientId);
    throw badRequest('Only lab orders take numeric results here', [
      { field: 'body.serviceRequestId', message: 'not a lab order' },
    ]);
  }
  if (order.status !== 'active') {
    audit('failure', { reason: 'order-not-active', status: order.status }, patientId);
    throw conflict(
      `Order is ${order.status}; results can only be filed against an active order`,
      { status: order.status },
      'ORDER_NOT_ACTIVE',
    );
  }
  const patient = await readOr404(deps, 'Patient', patientId);
  const now = new Date();
  const tx = buildResultTransaction(body, { order, patient, now });
  let response: fhir4.Bundle;
  try {
    response = await deps.fhir.transaction(tx.bundle);
  } catch (err) {
    audit('failure', { reason: err instanceof AppError ? err.code : 'error' }, patientId);
    // A stale If-Match on the order: another result (or a cancel) won the race.
    if (err instanceof AppError && err.status === 409)
      throw conflict(
        'The order changed while the result was being filed',
        { serviceRequestId: order.id },
        'VERSION_CONFLICT',
      );
    throw err;
  }
  const idAt = (i: number | undefined, type: string) =>
    i === undefined ? undefined : idFromReference(response.entry?.[i]?.response?.location, type);
  const reportId = idAt(tx.index.report, 'DiagnosticReport')!;
  const observationIds = tx.index.observations.map((i) => idAt(i, 'Observation')!);
  const flagId = idAt(tx.index.flag, 'Flag');
  const criticalIds = tx.critical.map((c) => observationIds[tx.observations.indexOf(c)]!);
  const orderer = idFromReference(order.requester?.reference, 'Practitioner');

  if (tx.critical.length) {
    const deadlineMs = deps.config.clinical.resultAckDeadlineMinutes * 60_000;
    await deps.pg.query(
      `INSERT INTO critical_result_alerts (report_id, patient_id, service_request_id, ordering_practitioner_id, flag_id, observation_ids, critical_codes, deadline_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (report_id) DO UPDATE SET service_request_id = EXCLUDED.service_request_id, flag_id = EXCLUDED.flag_id,
         ordering_practitioner_id = EXCLUDED.ordering_practitioner_id, source = 'ingest', escalate = true`,
      [
        reportId,
        patientId,
        order.id,
        orderer ?? null,
        flagId ?? null,
        criticalIds,
        tx.critical.map((c) => c.code),
        new Date(now.getTime() + deadlineMs),
      ],
    );
    await esc.schedule(reportId, deadlineMs);
  }
  audit(
    'success',
    { reportId, observations: observationIds.length, critical: tx.critical.length, ...(flagId ? { flagId } : {}) },
    patientId,
  );
  const actorUserId = ctx.principal.userId;
  await publishQuietly(deps, {
    type: 'results.received',
    patientId,
    resourceType: 'DiagnosticReport',
    resourceId: reportId,
    actorUserId,
    data: { serviceRequestId: order.id!, observations: observationIds.length, critical: tx.critical.length },
  });
  if (tx.critical.length) {
    await publishQuietly(deps, {
      type: 'results.critical',
      patientId,
      resourceType: 'DiagnosticReport',
      resourceId: reportId,
      actorUserId,
      data: {
        observationIds: criticalIds,
        codes: tx.critical.map((c) => c.code),
        interpretations: tx.critical.map((c) => c.interpretation),
        ...(orderer ? { orderingPractitionerId: orderer } : {}),
        ...(flagId ? { flagId } : {}),
      },
    });
  }
  return {
    reportId,
    serviceRequestId: order.id,
    observations: tx.observations.map((o, i) => ({
      id: observationIds[i],
      code: o.code,
      value: o.resource.valueQuantity!.value,
      unit: o.resource.valueQuantity!.unit,
      interpretation: o.interpretation,
    })),
    critical: tx.critical.length > 0,
    ...(flagId ? { flagId } : {}),
  };
}
