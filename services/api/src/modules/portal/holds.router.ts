import { Router } from 'express';
import { ResultHold, ResultHoldBody, ResultHoldParams, ResultHolds, ResultHoldsParams } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { conflict, notFound } from '../../core/errors';
import { patientIdOf, readOr404 } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { holdsRepository } from '../results/holds.repository';

/**
 * Holding a final result back from the portal (Cures Act information-blocking exceptions): the clinician names the
 * exception and why; both the hold and its release are audited with the exception, never the note (it may hold PHI).
 */
export function resultHoldsRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['portal', 'results'];

  const reportPatient = async (reportId: string) => {
    const report = await readOr404(deps, 'DiagnosticReport', reportId);
    const patientId = patientIdOf(report.subject);
    if (!patientId) throw notFound('DiagnosticReport', reportId);
    return patientId;
  };

  mount(
    r,
    {
      method: 'post',
      path: '/api/results/:reportId/hold',
      summary: 'Hold a result back from the patient portal, naming the information-blocking exception',
      tags,
      auth: 'results:acknowledge',
      params: ResultHoldParams,
      body: ResultHoldBody,
      response: ResultHold,
      successStatus: 201,
    },
    async (ctx) => {
      const { reportId } = ctx.params;
      const patientId = await reportPatient(reportId);
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'result.hold',
        resourceType: 'DiagnosticReport',
        resourceId: reportId,
      });
      phi.note({ exception: ctx.body.exception });
      const hold = await holdsRepository.place(deps.pg, {
        reportId,
        patientId,
        exception: ctx.body.exception,
        note: ctx.body.note,
        userId: ctx.principal.userId,
      });
      if (!hold) throw conflict('This result is already held back', { reportId }, 'RESULT_ALREADY_HELD');
      return hold;
    },
  );

  mount(
    r,
    {
      method: 'delete',
      path: '/api/results/:reportId/hold',
      summary: 'Release a held result to the patient portal',
      tags,
      auth: 'results:acknowledge',
      params: ResultHoldParams,
    },
    async (ctx) => {
      const { reportId } = ctx.params;
      const patientId = await reportPatient(reportId);
      await requirePatientAccess(deps, ctx, patientId, {
        action: 'result.hold.release',
        resourceType: 'DiagnosticReport',
        resourceId: reportId,
      });
      if (!(await holdsRepository.release(deps.pg, reportId, ctx.principal.userId)))
        throw notFound('Result hold', reportId);
      return undefined;
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/result-holds',
      summary: "The holds in force on a patient's results (what the portal keeps back, and under which exception)",
      tags,
      // The clinicians who may place and release holds; never the patient (the note is for the care team).
      auth: 'results:acknowledge',
      params: ResultHoldsParams,
      response: ResultHolds,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'result.hold.list',
        resourceType: 'DiagnosticReport',
      });
      const holds = await holdsRepository.inForce(deps.pg, patientId);
      phi.note({ count: holds.length });
      return { holds };
    },
  );

  return r;
}
