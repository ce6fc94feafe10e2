import { Router } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../../core/deps';
import { badRequest, conflict } from '../../core/errors';
import { mount } from '../../core/http/route';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { resolveIngredients } from '../drug-safety';
import { publishQuietly, requesterOf } from './clinical-helpers';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import { sharedDrugKnowledgeBase as drugKb } from '../drug-safety/shared-kb';
import { discontinued } from './medication-request';
import {
  DiscontinueBody,
  DiscontinueResult,
  MedicationIdParams,
  MedicationList,
  MedicationListQuery,
  PatientRouteParams,
  MedicationStatementCreated,
  MedicationStatementList,
  MedicationReconciliation,
  ModifyBody,
  ReconciliationBody,
  ReconciliationSaved,
  OrderChangeResult,
  PrescribeBody,
  RenewBody,
  PrescribeResult,
  RXNORM,
  StatementBody,
  StatementQuery,
} from '@wintehr/contracts';
import { prescribe } from './prescribe';
import { buildMedicationStatement } from './medication-statement';
import { changeOrder, type Change } from './order-change.service';
import { getReconciliation, saveReconciliation } from './reconciliation.service';

/** Medications (seed 004 §4.2, §6.3.2): prescribe with safety gate, discontinue, lists, home-medication reconciliation. */
export function medicationsRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['medications'];

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/medications',
      summary: 'Prescribe a medication (drug-safety checks before the write)',
      tags,
      auth: 'medication:prescribe',
      params: PatientRouteParams,
      body: PrescribeBody,
      response: PrescribeResult,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'medication.prescribe',
        resourceType: 'MedicationRequest',
      });
      return prescribe(deps, principal, phi, params.patientId, body);
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/medications/:id/discontinue',
      summary: 'Discontinue a prescription with a reason',
      tags,
      auth: 'medication:discontinue',
      params: MedicationIdParams,
      body: DiscontinueBody,
      response: DiscontinueResult,
    },
    async ({ req, res, params, body, principal }) => {
      const mr = await readOr404(deps, 'MedicationRequest', params.id);
      const patientId = idFromReference(mr.subject.reference, 'Patient');
      if (!patientId) throw conflict('Prescription has no patient', undefined, 'INVALID_STATE');
      const phi = await requirePatientAccess(deps, { req, res, principal }, patientId, {
        action: 'medication.discontinue',
        resourceType: 'MedicationRequest',
        resourceId: mr.id,
      });
      if (mr.status !== 'active' && mr.status !== 'on-hold' && mr.status !== 'draft') {
        throw conflict(`Prescription is ${mr.status}, not active`, { status: mr.status }, 'INVALID_STATE');
      }
      const by = requesterOf(principal);
      const now = new Date();
      // If-Match: the version the client saw (body or header), else the one just read; either way a concurrent
      // change between read and write is a 409 rather than a lost update.
      const version = body.ifMatch ?? req.get('if-match')?.match(/(\d+)/)?.[1] ?? mr.meta?.versionId;
      const updated = await deps.fhir.update(
        discontinued(mr, { reason: body.reason, reasonCode: body.reasonCode, by, now }),
        { ifMatch: version },
      );
      phi.note({ version: updated.meta?.versionId, ...(body.reasonCode ? { reasonCode: body.reasonCode.code } : {}) });
      await publishQuietly(deps, {
        type: 'medications.discontinued',
        patientId,
        resourceType: 'MedicationRequest',
        resourceId: mr.id,
        actorUserId: principal.userId,
        data: {},
      });
      return { id: updated.id, status: updated.status, discontinuedAt: now.toISOString(), medicationRequest: updated };
    },
  );

  // Renew and modify differ only in body and summary: each writes a replacement order through changeOrder.
  const orderChange = <B extends typeof RenewBody | typeof ModifyBody>(
    kind: 'renew' | 'modify',
    summary: string,
    body: B,
    change: (b: z.infer<B>) => Change,
  ) =>
    mount(
      r,
      {
        method: 'post',
        path: `/api/medications/:id/${kind}`,
        summary,
        tags,
        auth: 'medication:prescribe',
        params: MedicationIdParams,
        body,
        response: OrderChangeResult,
        successStatus: 201,
      },
      // mount has parsed the body with `body` itself, which the generic Infer<B> cannot show here.
      async ({ req, res, params, body, principal }) =>
        changeOrder(deps, { req, res, principal }, params.id, change(body as z.infer<B>)),
    );
  orderChange(
    'renew',
    'Renew a prescription: a new order copying it (safety check re-run), the old one completed',
    RenewBody,
    (body) => ({ kind: 'renew', body }),
  );
  orderChange(
    'modify',
    'Change dose/frequency/route: a new order replacing the old one (stopped, reason "changed")',
    ModifyBody,
    (body) => ({ kind: 'modify', body }),
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/medications',
      summary: 'Active medication list or prescription history',
      tags,
      auth: 'medication:view',
      params: PatientRouteParams,
      query: MedicationListQuery,
      response: MedicationList,
    },
    async ({ req, res, params, query, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'medication.list',
        resourceType: 'MedicationRequest',
      });
      // The existence check runs beside the search: an unknown patient is a 404, not an empty list.
      const [, items] = await Promise.all([
        readOr404(deps, 'Patient', params.patientId),
        deps.fhir.searchResources('MedicationRequest', {
          subject: `Patient/${params.patientId}`,
          // An order on hold (e.g. returned by the pharmacy) is still the patient's: the active list shows it with
          // its status instead of letting it vanish.
          ...(query.status === 'all' ? {} : { status: query.status === 'active' ? 'active,on-hold' : query.status }),
          _sort: '-authoredon',
          _count: query._count,
        }),
      ]);
      phi.note({ count: items.length, status: query.status });
      return { total: items.length, items };
    },
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/medication-reconciliation',
      summary: 'Orders, outside dispensing history and the patient list lined up by ingredient',
      tags,
      auth: 'medication:view',
      params: PatientRouteParams,
      response: MedicationReconciliation,
    },
    async ({ req, res, params, principal }) => getReconciliation(deps, { req, res, principal }, params.patientId),
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/medication-reconciliation',
      summary: 'Save reconciliation decisions (continue, discontinue, add to orders, not taking) as a List',
      tags,
      auth: 'medication:prescribe',
      params: PatientRouteParams,
      body: ReconciliationBody,
      response: ReconciliationSaved,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }) =>
      saveReconciliation(deps, { req, res, principal }, params.patientId, body),
  );

  mount(
    r,
    {
      method: 'get',
      path: '/api/patients/:patientId/medication-statements',
      summary: 'Medication reconciliation list (home medications)',
      tags,
      auth: 'medication:view',
      params: PatientRouteParams,
      query: StatementQuery,
      response: MedicationStatementList,
    },
    async ({ req, res, params, query, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'medication-statement.list',
        resourceType: 'MedicationStatement',
      });
      const [, items] = await Promise.all([
        readOr404(deps, 'Patient', params.patientId),
        deps.fhir.searchResources('MedicationStatement', {
          subject: `Patient/${params.patientId}`,
          ...(query.status === 'active' ? { status: 'active' } : {}),
          _sort: '-_lastUpdated',
          _count: 200,
        }),
      ]);
      phi.note({ count: items.length });
      return { total: items.length, items };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/patients/:patientId/medication-statements',
      summary: 'Record a home medication (reconciliation)',
      tags,
      auth: 'patient:write',
      params: PatientRouteParams,
      body: StatementBody,
      response: MedicationStatementCreated,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }) => {
      const phi = await requirePatientAccess(deps, { req, res, principal }, params.patientId, {
        action: 'medication-statement.create',
        resourceType: 'MedicationStatement',
      });
      let productName: string | undefined;
      if (body.medication.code) {
        const resolved = resolveIngredients(drugKb(), body.medication.code, RXNORM);
        if (resolved.status !== 'resolved')
          throw badRequest('Unknown RxNorm code', [
            {
              field: 'body.medication.code',
              message: `RxNorm ${body.medication.code} is not in the drug knowledge base`,
            },
          ]);
        productName = resolved.concept.name;
      }
      await readOr404(deps, 'Patient', params.patientId);
      const created = await deps.fhir.create(
        buildMedicationStatement(body, {
          patientId: params.patientId,
          productName,
          recorder: principal.practitionerId ? { reference: `Practitioner/${principal.practitionerId}` } : undefined,
          now: new Date(),
        }),
      );
      phi.setResource('MedicationStatement', created.id);
      phi.note({ coded: Boolean(body.medication.code), status: body.status });
      return created;
    },
  );

  return r;
}
