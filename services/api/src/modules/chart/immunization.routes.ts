import type { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { conflict } from '../../core/errors';
import { mount } from '../../core/http/route';
import { ChartItemParams, ImmunizationUpdateBody, fhirResource } from '@wintehr/contracts';
import { chartKit, mountEnteredInError } from './chart-kit';

export const ROUTE: Record<string, string> = { IM: 'IM', SC: 'SQ', ID: 'IDINJ', PO: 'PO', IN: 'NASINHLC' };
export const siteConcept = (site: string): fhir4.CodeableConcept => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActSite', code: site }],
});
export const routeConcept = (route: string): fhir4.CodeableConcept => ({
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', code: ROUTE[route]! }],
});
export const doseQuantity = (ml: number): fhir4.Quantity => ({
  value: ml,
  unit: 'mL',
  system: 'http://unitsofmeasure.org',
  code: 'mL',
});

/** Immunizations (issue 15 §3): edit and entered-in-error (add, including not-done with a reason, in chart.router.ts). */
export function immunizationRoutes(r: Router, deps: AppDeps): void {
  const tags = ['chart'];
  const kit = chartKit(deps);

  mount(
    r,
    {
      method: 'put',
      path: '/api/patients/:patientId/immunizations/:id',
      summary: 'Edit an immunization (date, lot, site, route, dose, note); If-Match required',
      tags,
      auth: 'patient:write',
      params: ChartItemParams,
      body: ImmunizationUpdateBody,
      response: fhirResource('Immunization'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const b = ctx.body;
      const g = await kit.guard(ctx, patientId, 'immunization.update', 'Immunization');
      g.setResource('Immunization', id);
      const { current, version } = await kit.readForWrite(ctx.req, 'Immunization', id, patientId);
      if (current.status === 'entered-in-error') throw conflict('An immunization entered in error cannot be edited');
      g.note({ fields: Object.keys(b) });
      return kit.save(
        ctx.res,
        {
          ...current,
          ...(b.occurrence ? { occurrenceDateTime: b.occurrence } : {}),
          ...(b.lotNumber ? { lotNumber: b.lotNumber } : {}),
          ...(b.expirationDate ? { expirationDate: b.expirationDate } : {}),
          ...(b.site ? { site: siteConcept(b.site) } : {}),
          ...(b.route ? { route: routeConcept(b.route) } : {}),
          ...(b.doseMl ? { doseQuantity: doseQuantity(b.doseMl) } : {}),
          ...(b.note ? { note: [...(current.note ?? []), { text: b.note, time: new Date().toISOString() }] } : {}),
        },
        version,
      );
    },
  );

  mountEnteredInError(r, deps, {
    segment: 'immunizations',
    summary: 'Withdraw an immunization entered in error (kept in the history with the reason); If-Match required',
    action: 'immunization.entered-in-error',
    type: 'Immunization',
    withdrawn: (i) => i.status === 'entered-in-error',
    withdraw: (i, note) => ({ ...i, status: 'entered-in-error', note }),
  });
}
