import type { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { conflict } from '../../core/errors';
import { mount } from '../../core/http/route';
import { ChartItemParams, ProblemUpdateBody, ReactivateProblemBody, fhirResource } from '@wintehr/contracts';
import { toConcept } from './chart-schemas';
import { chartKit, codeOf, mountEnteredInError, termStatus } from './chart-kit';

export const SEVERITY: Record<string, string> = { mild: '255604002', moderate: '6736007', severe: '24484000' };
export const severityConcept = (s: string): fhir4.CodeableConcept => ({
  coding: [{ system: 'http://snomed.info/sct', code: SEVERITY[s]!, display: s }],
});
const isWithdrawn = (c: fhir4.Condition) => codeOf(c.verificationStatus) === 'entered-in-error';

/** Problems (issue 15 §2): edit, reactivate, entered-in-error (add and resolve live in chart.router.ts). */
export function problemRoutes(r: Router, deps: AppDeps): void {
  const tags = ['chart'];
  const kit = chartKit(deps);
  const stamp = (text: string): fhir4.Annotation => ({ text, time: new Date().toISOString() });

  mount(
    r,
    {
      method: 'put',
      path: '/api/patients/:patientId/problems/:id',
      summary: 'Edit a problem (code, verification, severity, onset, note); If-Match required',
      tags,
      auth: 'patient:write',
      params: ChartItemParams,
      body: ProblemUpdateBody,
      response: fhirResource('Condition'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const b = ctx.body;
      const g = await kit.guard(ctx, patientId, 'problem.update', 'Condition');
      g.setResource('Condition', id);
      const { current, version } = await kit.readForWrite(ctx.req, 'Condition', id, patientId);
      if (isWithdrawn(current)) throw conflict('A problem entered in error cannot be edited');
      g.note({ fields: Object.keys(b) });
      return kit.save(
        ctx.res,
        {
          ...current,
          ...(b.code ? { code: toConcept(b.code) } : {}),
          ...(b.verificationStatus
            ? { verificationStatus: termStatus('condition-ver-status', b.verificationStatus) }
            : {}),
          ...(b.severity ? { severity: severityConcept(b.severity) } : {}),
          ...(b.onset ? { onsetDateTime: b.onset } : {}),
          ...(b.note ? { note: [...(current.note ?? []), stamp(b.note)] } : {}),
        },
        version,
      );
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/problems/:id/reactivate',
      summary: 'Reactivate a resolved or inactive problem (recurrence); If-Match required',
      tags,
      auth: 'patient:write',
      params: ChartItemParams,
      body: ReactivateProblemBody,
      response: fhirResource('Condition'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const g = await kit.guard(ctx, patientId, 'problem.reactivate', 'Condition');
      g.setResource('Condition', id);
      const { current, version } = await kit.readForWrite(ctx.req, 'Condition', id, patientId);
      if (isWithdrawn(current)) throw conflict('A problem entered in error cannot be reactivated');
      const was = codeOf(current.clinicalStatus);
      if (was === 'active' || was === 'recurrence' || was === 'relapse')
        throw conflict('The problem is already active');
      // It comes back: a recurrence of a resolved problem, plain active otherwise; the old abatement no longer holds.
      const { abatementDateTime: _a, abatementString: _s, abatementPeriod: _p, ...rest } = current;
      void [_a, _s, _p];
      return kit.save(
        ctx.res,
        {
          ...rest,
          clinicalStatus: termStatus('condition-clinical', was === 'resolved' ? 'recurrence' : 'active'),
          ...(ctx.body.note ? { note: [...(current.note ?? []), stamp(ctx.body.note)] } : {}),
        },
        version,
      );
    },
  );

  mountEnteredInError(r, deps, {
    segment: 'problems',
    summary: 'Withdraw a problem entered in error (kept in the history with the reason); If-Match required',
    action: 'problem.entered-in-error',
    type: 'Condition',
    withdrawn: isWithdrawn,
    // FHIR (con-5): no clinical status on a condition entered in error.
    withdraw: ({ clinicalStatus: _dropped, ...rest }, note) => ({
      ...rest,
      verificationStatus: termStatus('condition-ver-status', 'entered-in-error'),
      note,
    }),
  });
}
