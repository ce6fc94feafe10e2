import type { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict } from '../../core/errors';
import { setEtag } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import { ChartItemParams, PatientParams, SocialHistoryBody, fhirResource } from '@wintehr/contracts';
import { chartKit, mountChartList, mountEnteredInError, who } from './chart-kit';
import { kindOf, socialValue, toSocialObservation } from './social-history';

/** Social history (issue 15 §4): smoking, alcohol and substance use, with edits and the full history. */
export function socialHistoryRoutes(r: Router, deps: AppDeps): void {
  const tags = ['chart'];
  const kit = chartKit(deps);

  mountChartList(r, deps, {
    segment: 'social-history',
    summary: 'Social history observations (smoking, alcohol, substance use), newest first',
    action: 'social-history.list',
    type: 'Observation',
    search: { category: 'social-history', _sort: '-date' },
    withdrawn: (o) => o.status === 'entered-in-error',
  });

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/social-history',
      summary: 'Record smoking status (LOINC 72166-2), alcohol use (AUDIT-C / drinks per day) or substance use',
      tags,
      auth: 'patient:write',
      params: PatientParams,
      body: SocialHistoryBody,
      response: fhirResource('Observation'),
      successStatus: 201,
    },
    async (ctx) => {
      const g = await kit.guard(ctx, ctx.params.patientId, 'social-history.create', 'Observation');
      const created = await deps.fhir.create(toSocialObservation(ctx.body, ctx.params.patientId, who(ctx.principal)));
      g.setResource('Observation', created.id);
      g.note({ kind: ctx.body.kind });
      setEtag(ctx.res, created);
      return created;
    },
  );

  mount(
    r,
    {
      method: 'put',
      path: '/api/patients/:patientId/social-history/:id',
      summary: 'Correct a social history entry (same kind; status amended); If-Match required',
      tags,
      auth: 'patient:write',
      params: ChartItemParams,
      body: SocialHistoryBody,
      response: fhirResource('Observation'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const g = await kit.guard(ctx, patientId, 'social-history.update', 'Observation');
      g.setResource('Observation', id);
      const { current, version } = await kit.readForWrite(ctx.req, 'Observation', id, patientId);
      const kind = kindOf(current);
      if (!kind) throw conflict('Not a social history observation');
      if (kind !== ctx.body.kind)
        throw badRequest('A correction keeps the kind of entry', [{ field: 'body.kind', message: `must be ${kind}` }]);
      if (current.status === 'entered-in-error') throw conflict('An entry entered in error cannot be edited');
      const { valueCodeableConcept: _v, component: _c, ...rest } = current;
      void [_v, _c];
      return kit.save(
        ctx.res,
        {
          ...rest,
          status: 'amended',
          ...socialValue(ctx.body),
          ...(ctx.body.effectiveDateTime ? { effectiveDateTime: ctx.body.effectiveDateTime } : {}),
          ...(ctx.body.note
            ? { note: [...(current.note ?? []), { text: ctx.body.note, time: new Date().toISOString() }] }
            : {}),
        },
        version,
      );
    },
  );

  mountEnteredInError(r, deps, {
    segment: 'social-history',
    summary: 'Withdraw a social history entry entered in error; If-Match required',
    action: 'social-history.entered-in-error',
    type: 'Observation',
    check: (o) => {
      if (!kindOf(o)) throw conflict('Not a social history observation');
    },
    withdrawn: (o) => o.status === 'entered-in-error',
    withdraw: (o, note) => ({ ...o, status: 'entered-in-error', note }),
  });
}
