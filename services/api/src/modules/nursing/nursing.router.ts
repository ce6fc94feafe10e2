import { Router } from 'express';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict, notFound } from '../../core/errors';
import { readOr404, setEtag } from '../../core/fhir/fhir-kit';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import {
  AdministrationBody,
  AdministrationResponse,
  CompleteTaskBody,
  MarQuery,
  MarResponse,
  NursingTaskBody,
  NursingTaskList,
  NursingTaskParams,
  NursingTaskQuery,
  PatientParams,
  fhirResource,
} from '@wintehr/contracts';
import { dueTimes, isPrn } from './due-doses';
import { DOSE_IDENTIFIER, DUE_TIME_EXT, STATUS_OF, buildMar, doseKey, isCurrentOrder } from './mar';
import { completeTask, newNursingTask, NURSING_TASK, isOpen } from './nursing-task';

const today = () => new Date().toISOString().slice(0, 10);
const dayBefore = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Nursing (issue 15 §6): the medication administration record (doses due today from each active order's timing,
 * documented as MedicationAdministrations) and a small per-patient task list (FHIR Task, code nursing-task).
 */
export function nursingRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['nursing'];
  const who = (p: { practitionerId?: string }) => (p.practitionerId ? `Practitioner/${p.practitionerId}` : undefined);
  const guard = async (
    ctx: Parameters<typeof requirePatientAccess>[1],
    patientId: string,
    action: string,
    type: string,
  ) => {
    const g = await requirePatientAccess(deps, ctx, patientId, { action, resourceType: type });
    await readOr404(deps, 'Patient', patientId);
    return g;
  };

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/mar',
      summary: "Medication administration record: the day's due doses of active orders and what was documented",
      tags,
      auth: 'medication:view',
      params: PatientParams,
      query: MarQuery,
      response: MarResponse,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const day = ctx.query.date ?? today();
      const g = await guard(ctx, patientId, 'mar.view', 'MedicationAdministration');
      const [requests, administrations] = await Promise.all([
        deps.fhir.searchResources('MedicationRequest', { patient: patientId, status: 'active,on-hold', _count: 200 }),
        deps.fhir.searchResources('MedicationAdministration', {
          patient: patientId,
          'effective-time': `ge${dayBefore(day)}`,
          _count: 500,
        }),
      ]);
      const mar = buildMar(day, requests, administrations);
      g.note({ orders: mar.orders.length });
      return mar;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/mar/administrations',
      summary:
        'Document a dose: given, not given (with reason) or held; 409 for a stopped order or a dose already documented',
      tags,
      auth: 'medication:administer',
      params: PatientParams,
      body: AdministrationBody,
      response: AdministrationResponse,
      successStatus: 201,
    },
    async (ctx) => {
      const { patientId } = ctx.params;
      const b = ctx.body;
      const g = await guard(ctx, patientId, 'mar.administer', 'MedicationAdministration');
      const order = await readOr404(deps, 'MedicationRequest', b.medicationRequestId);
      if (order.subject.reference !== `Patient/${patientId}`)
        throw notFound('MedicationRequest', b.medicationRequestId);
      if (!isCurrentOrder(order))
        throw conflict(`The order is ${order.status}: no dose can be documented against it`, { status: order.status });
      const dosage = order.dosageInstruction?.[0];
      const prn = isPrn(dosage);
      if (prn && b.dueAt)
        throw badRequest('An as-needed order has no scheduled doses', [
          { field: 'body.dueAt', message: 'omit for PRN' },
        ]);
      const dueAt = b.dueAt ? new Date(b.dueAt).toISOString() : undefined;
      if (!prn && (!dueAt || !dueTimes(dosage, dueAt.slice(0, 10)).includes(dueAt)))
        throw badRequest('Not a scheduled dose of this order', [
          { field: 'body.dueAt', message: 'one of the due times the MAR lists for this order' },
        ]);
      const key = dueAt ? doseKey(order.id!, dueAt) : undefined;
      if (key) {
        const existing = await deps.fhir.searchResources('MedicationAdministration', {
          identifier: `${DOSE_IDENTIFIER}|${key}`,
        });
        const prior = existing.find((a) => a.status !== 'entered-in-error');
        if (prior)
          throw conflict('This dose is already documented', { administrationId: prior.id }, 'DOSE_ALREADY_DOCUMENTED');
      }
      const effective = b.administeredAt ?? new Date().toISOString();
      const performer = who(ctx.principal);
      const resource: fhir4.MedicationAdministration = {
        resourceType: 'MedicationAdministration',
        status: STATUS_OF[b.outcome],
        ...(order.medicationCodeableConcept ? { medicationCodeableConcept: order.medicationCodeableConcept } : {}),
        ...(order.medicationReference ? { medicationReference: order.medicationReference } : {}),
        subject: { reference: `Patient/${patientId}` },
        request: { reference: `MedicationRequest/${order.id}` },
        effectiveDateTime: effective,
        ...(key ? { identifier: [{ system: DOSE_IDENTIFIER, value: key }] } : {}),
        ...(dueAt ? { extension: [{ url: DUE_TIME_EXT, valueDateTime: dueAt }] } : {}),
        ...(b.reason ? { statusReason: [{ text: b.reason }] } : {}),
        ...(performer ? { performer: [{ actor: { reference: performer } }] } : {}),
        ...(dosage?.doseAndRate?.[0]?.doseQuantity
          ? { dosage: { dose: dosage.doseAndRate[0].doseQuantity, ...(dosage.route ? { route: dosage.route } : {}) } }
          : {}),
        ...(b.note ? { note: [{ text: b.note }] } : {}),
      };
      // Two nurses at once: the conditional create lets only one record of the dose exist; the other gets it back.
      const created = await deps.fhir.create(
        resource,
        key ? { ifNoneExist: `identifier=${DOSE_IDENTIFIER}|${key}` } : {},
      );
      if (created.effectiveDateTime !== effective)
        throw conflict('This dose is already documented', { administrationId: created.id }, 'DOSE_ALREADY_DOCUMENTED');
      g.setResource('MedicationAdministration', created.id);
      g.note({ outcome: b.outcome, prn });
      setEtag(ctx.res, created);
      return created;
    },
  );

  // ---- Nursing tasks
  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/tasks',
      summary: 'Nursing tasks (open by default)',
      tags,
      auth: 'patient:read',
      params: PatientParams,
      query: NursingTaskQuery,
      response: NursingTaskList,
    },
    async (ctx) => {
      const g = await guard(ctx, ctx.params.patientId, 'task.list', 'Task');
      const all = await deps.fhir.searchResources('Task', {
        patient: ctx.params.patientId,
        code: `${NURSING_TASK.system}|${NURSING_TASK.code}`,
        _sort: '-_lastUpdated',
        _count: 100,
      });
      const items = ctx.query.include === 'all' ? all : all.filter(isOpen);
      g.note({ count: items.length });
      return { items };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/tasks',
      summary: 'Add a nursing task',
      tags,
      auth: 'patient:write',
      params: PatientParams,
      body: NursingTaskBody,
      response: fhirResource('Task'),
      successStatus: 201,
    },
    async (ctx) => {
      const g = await guard(ctx, ctx.params.patientId, 'task.create', 'Task');
      const created = await deps.fhir.create(newNursingTask(ctx.body, ctx.params.patientId, who(ctx.principal)));
      g.setResource('Task', created.id);
      setEtag(ctx.res, created);
      return created;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/tasks/:id/complete',
      summary: 'Complete a nursing task; If-Match optional (a stale version is 409)',
      tags,
      auth: 'patient:write',
      params: NursingTaskParams,
      body: CompleteTaskBody,
      response: fhirResource('Task'),
    },
    async (ctx) => {
      const { patientId, id } = ctx.params;
      const g = await guard(ctx, patientId, 'task.complete', 'Task');
      g.setResource('Task', id);
      const task = await readOr404(deps, 'Task', id);
      const isNursing = task.code?.coding?.some(
        (c) => c.system === NURSING_TASK.system && c.code === NURSING_TASK.code,
      );
      if (task.for?.reference !== `Patient/${patientId}` || !isNursing) throw notFound('Task', id);
      if (!isOpen(task)) throw conflict(`The task is already ${task.status}`);
      const version = ctx.req.get('if-match')?.match(/(\d+)/)?.[1] ?? task.meta?.versionId;
      if (version !== task.meta?.versionId)
        throw conflict('The task changed since you read it; reload and retry', {}, 'VERSION_CONFLICT');
      const updated = await deps.fhir.update(completeTask(task, who(ctx.principal), ctx.body.note), {
        ifMatch: version,
      });
      setEtag(ctx.res, updated);
      return updated;
    },
  );
  return r;
}
