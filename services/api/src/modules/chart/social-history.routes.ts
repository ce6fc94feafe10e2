import type { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict } from '../../core/errors';
import { setEtag } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import {
  ChartItemParams,
  ChartListQuery,
  EnteredInErrorBody,
  PatientParams,
  SocialHistoryBody,
  chartList,
  fhirResource,
  type ChartList,
} from '@wintehr/contracts';
import { chartKit, errorNote, who } from './chart-kit';
import { kindOf, socialValue, toSocialObservation } from './social-history';

/** Social history (issue 15 §4): smoking, alcohol and substance use, with edits and the full history. */
export function socialHistoryRoutes(r: Router, deps: AppDeps): void {
  const tags = ['chart'];
  const kit = chartKit(deps);

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/social-history',
      summary: 'Social history observations (smoking, alcohol, substance use), newest first',
      tags,
      auth: 'patient:read',
      params: PatientParams,
      query: ChartListQuery,
      response: chartList('Observation'),
    },
    async (ctx): Promise<ChartList<'Observation'>> => {
      const g = await kit.guard(ctx, ctx.params.patientId, 'social-history.list', 'Observation');
      const items = (
        await deps.fhir.searchResources('Observation', {
          patient: ctx.params.patientId,
          category: 'social-history',
          _sort: '-date',
          _count: ctx.query.limit,
        })
      ).filter((o) => ctx.query.include === 'all' || o.status !== 'entered-in-error');
      g.note({ count: items.length });
      return { items };
    },
  );

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

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/social-history/:id/entered-in-error',
      summary: 'Withdraw a social history entry entered in error; If-Match required',
      tags,
      auth: 'patient:write',
      params: ChartItemParams,
      body: EnteredInErrorBody,
      response: fhirResource('Observation'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const g = await kit.guard(ctx, patientId, 'social-history.entered-in-error', 'Observation');
      g.setResource('Observation', id);
      const { current, version } = await kit.readForWrite(ctx.req, 'Observation', id, patientId);
      if (!kindOf(current)) throw conflict('Not a social history observation');
      if (current.status === 'entered-in-error') throw conflict('Already marked entered in error');
      return kit.save(
        ctx.res,
        {
          ...current,
          status: 'entered-in-error',
          note: [...(current.note ?? []), errorNote(ctx.body.reason, who(ctx.principal))],
        },
        version,
      );
    },
  );
}
