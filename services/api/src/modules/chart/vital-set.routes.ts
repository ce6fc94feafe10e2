import type { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { badRequest } from '../../core/errors';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import { PatientParams, VitalSetBody, chartList, type ChartList } from '@wintehr/contracts';
import { chartKit, who } from './chart-kit';
import { toVitalSetObservations, validateVitalSet } from './vitals';

/** A set of vitals taken together (issue 15 §5): one all-or-nothing transaction, BMI computed, each value flagged. */
export function vitalSetRoutes(r: Router, deps: AppDeps): void {
  const kit = chartKit(deps);
  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/vitals/sets',
      summary: 'Record a set of vitals (BP panel, HR, RR, temperature, SpO2, weight, height; BMI computed)',
      tags: ['chart'],
      auth: 'vitals:record',
      params: PatientParams,
      body: VitalSetBody,
      response: chartList('Observation'),
      successStatus: 201,
    },
    async (ctx): Promise<ChartList<'Observation'>> => {
      const problems = validateVitalSet(ctx.body);
      if (problems.length) throw badRequest('Implausible or mis-united vital sign', problems);
      const { patientId } = ctx.params;
      const g = await kit.guard(ctx, patientId, 'vitals.record-set', 'Observation');
      if (ctx.body.encounterId) await kit.encounterOfPatient(ctx.body.encounterId, patientId);
      const observations = toVitalSetObservations(ctx.body, patientId, who(ctx.principal));
      const out = await deps.fhir.transaction({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: observations.map((resource) => ({ resource, request: { method: 'POST', url: 'Observation' } })),
      });
      const ids = (out.entry ?? [])
        .map((e) => idFromReference(e.response?.location, 'Observation'))
        .filter((x): x is string => !!x);
      const items = await deps.fhir.searchResources('Observation', { _id: ids.join(','), _count: ids.length });
      g.note({ count: items.length, kinds: ctx.body.measurements.map((m) => m.kind) });
      return { items };
    },
  );
}
