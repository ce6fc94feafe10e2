import type { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { conflict } from '../../core/errors';
import { setEtag } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import {
  AllergyBody,
  AllergyListResponse,
  AllergyUpdateBody,
  ChartItemParams,
  ChartListQuery,
  NO_KNOWN_ALLERGY,
  NoKnownAllergiesBody,
  PatientParams,
  fhirResource,
} from '@wintehr/contracts';
import type { z } from 'zod';
import { toConcept } from './chart-schemas';
import { chartKit, mountEnteredInError, termStatus, who } from './chart-kit';
import { activeAllergies, activeNka, allergyRecordState, isEnteredInError, isNka, retiredNka } from './allergy-rules';

const CLINICAL = 'allergyintolerance-clinical';
const VERIFICATION = 'allergyintolerance-verification';

const reactionsOf = (rs: z.output<typeof AllergyBody>['reactions']): fhir4.AllergyIntoleranceReaction[] =>
  rs.map((x) => ({ manifestation: [toConcept(x.manifestation)], ...(x.severity ? { severity: x.severity } : {}) }));

/** Allergies (issue 15 §1): add, edit, entered-in-error, and explicit "no known allergies" versus not recorded. */
export function allergyRoutes(r: Router, deps: AppDeps): void {
  const tags = ['chart'];
  const kit = chartKit(deps);
  const all = (patientId: string) =>
    deps.fhir.searchResources('AllergyIntolerance', { patient: patientId, _count: 200, _sort: '-_lastUpdated' });

  /** A real allergy on record retires the NKA statement (kept in the history as inactive). */
  const retireNka = async (items: fhir4.AllergyIntolerance[], allergyId: string | undefined) => {
    for (const nka of activeNka(items))
      await deps.fhir.update(retiredNka(nka, `AllergyIntolerance/${allergyId}`), { ifMatch: nka.meta?.versionId });
  };

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/allergies',
      summary: 'Allergies and intolerances, with whether none are known or none were recorded',
      tags,
      auth: 'patient:read',
      params: PatientParams,
      query: ChartListQuery,
      response: AllergyListResponse,
    },
    async (ctx): Promise<AllergyListResponse> => {
      const g = await kit.guard(ctx, ctx.params.patientId, 'allergy.list', 'AllergyIntolerance');
      const items = await all(ctx.params.patientId);
      // The current list drops withdrawn entries and a retired "no known allergies" (both stay in the history).
      const current = (a: fhir4.AllergyIntolerance) => !isEnteredInError(a) && (!isNka(a) || activeNka([a]).length > 0);
      const shown = (ctx.query.include === 'all' ? items : items.filter(current)).slice(0, ctx.query.limit);
      g.note({ count: shown.length });
      return { items: shown, state: allergyRecordState(items) };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/allergies',
      summary: 'Record an allergy (RxNorm or SNOMED substance); retires a "no known allergies" entry',
      tags,
      auth: 'patient:write',
      params: PatientParams,
      body: AllergyBody,
      response: fhirResource('AllergyIntolerance'),
      successStatus: 201,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const b = ctx.body;
      const g = await kit.guard(ctx, patientId, 'allergy.create', 'AllergyIntolerance');
      const existing = await all(patientId);
      const resource: fhir4.AllergyIntolerance = {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: termStatus(CLINICAL, b.clinicalStatus),
        verificationStatus: termStatus(VERIFICATION, b.verificationStatus),
        type: b.type,
        category: b.category,
        criticality: b.criticality,
        code: toConcept(b.substance),
        patient: { reference: `Patient/${patientId}` },
        recordedDate: new Date().toISOString(),
        ...(who(ctx.principal) ? { recorder: { reference: who(ctx.principal) } } : {}),
        ...(b.onset ? { onsetDateTime: b.onset } : {}),
        ...(b.reactions.length ? { reaction: reactionsOf(b.reactions) } : {}),
        ...(b.note ? { note: [{ text: b.note }] } : {}),
      };
      if (isNka(resource) && activeAllergies(existing).length)
        throw conflict('The patient has active allergies on record: "no known allergies" would contradict them');
      const created = await deps.fhir.create(resource);
      if (!isNka(created) && activeAllergies([created]).length) await retireNka(existing, created.id);
      g.setResource('AllergyIntolerance', created.id);
      g.note({ system: b.substance.system, code: b.substance.code, criticality: b.criticality });
      setEtag(ctx.res, created);
      return created;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/allergies/no-known-allergies',
      summary: 'Record "no known allergies" (SNOMED 716186003); 409 while an allergy is active',
      tags,
      auth: 'patient:write',
      params: PatientParams,
      body: NoKnownAllergiesBody,
      response: fhirResource('AllergyIntolerance'),
      successStatus: 201,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const g = await kit.guard(ctx, patientId, 'allergy.nka', 'AllergyIntolerance');
      const existing = await all(patientId);
      if (activeAllergies(existing).length)
        throw conflict('The patient has active allergies on record: "no known allergies" would contradict them', {
          active: activeAllergies(existing).map((a) => a.id),
        });
      const current = activeNka(existing)[0];
      if (current) throw conflict('"No known allergies" is already recorded', { id: current.id });
      const created = await deps.fhir.create<fhir4.AllergyIntolerance>({
        resourceType: 'AllergyIntolerance',
        clinicalStatus: termStatus(CLINICAL, 'active'),
        verificationStatus: termStatus(VERIFICATION, 'confirmed'),
        code: { coding: [NO_KNOWN_ALLERGY], text: NO_KNOWN_ALLERGY.display },
        patient: { reference: `Patient/${patientId}` },
        recordedDate: new Date().toISOString(),
        ...(who(ctx.principal) ? { recorder: { reference: who(ctx.principal) } } : {}),
        ...(ctx.body.note ? { note: [{ text: ctx.body.note }] } : {}),
      });
      g.setResource('AllergyIntolerance', created.id);
      setEtag(ctx.res, created);
      return created;
    },
  );

  mount(
    r,
    {
      method: 'put',
      path: '/api/patients/:patientId/allergies/:id',
      summary: 'Edit an allergy (criticality, status, reactions, note); If-Match required',
      tags,
      auth: 'patient:write',
      params: ChartItemParams,
      body: AllergyUpdateBody,
      response: fhirResource('AllergyIntolerance'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const b = ctx.body;
      const g = await kit.guard(ctx, patientId, 'allergy.update', 'AllergyIntolerance');
      g.setResource('AllergyIntolerance', id);
      const { current, version } = await kit.readForWrite(ctx.req, 'AllergyIntolerance', id, patientId);
      if (isEnteredInError(current)) throw conflict('An allergy entered in error cannot be edited');
      const next: fhir4.AllergyIntolerance = {
        ...current,
        ...(b.criticality ? { criticality: b.criticality } : {}),
        ...(b.clinicalStatus ? { clinicalStatus: termStatus(CLINICAL, b.clinicalStatus) } : {}),
        ...(b.verificationStatus ? { verificationStatus: termStatus(VERIFICATION, b.verificationStatus) } : {}),
        ...(b.reactions ? { reaction: reactionsOf(b.reactions) } : {}),
        ...(b.note ? { note: [...(current.note ?? []), { text: b.note, time: new Date().toISOString() }] } : {}),
      };
      const existing = await all(patientId);
      const others = existing.filter((a) => a.id !== id);
      if (isNka(next) && activeNka([next]).length && activeAllergies(others).length)
        throw conflict('The patient has active allergies on record: "no known allergies" would contradict them');
      const updated = await kit.save(ctx.res, next, version);
      if (!isNka(updated) && activeAllergies([updated]).length) await retireNka(others, updated.id);
      g.note({ fields: Object.keys(b) });
      return updated;
    },
  );

  mountEnteredInError(r, deps, {
    segment: 'allergies',
    summary: 'Withdraw an allergy entered in error (kept in the history with the reason); If-Match required',
    action: 'allergy.entered-in-error',
    type: 'AllergyIntolerance',
    withdrawn: isEnteredInError,
    // FHIR (ait-1): no clinical status on an entry entered in error.
    withdraw: ({ clinicalStatus: _dropped, ...rest }, note) => ({
      ...rest,
      verificationStatus: termStatus(VERIFICATION, 'entered-in-error'),
      note,
    }),
  });
}
