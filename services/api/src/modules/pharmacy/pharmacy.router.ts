import { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { AppError, notFound } from '../../core/errors';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { mount } from '../../core/http/route';
import { dispense } from './dispense';
import { pharmacistOf, requirePractitioner } from './pharmacist';
import { allergyView, prescriberOverrides, sigDetail } from './pharmacist-view';
import {
  ClaimResult,
  DispenseBody,
  DispenseResult,
  PharmacyItemParams,
  QueueItemDetail,
  QueueList,
  QueueQuery,
  ReleaseResult,
  ReturnBody,
  ReturnResult,
  VerifyBody,
  VerifyResult,
} from '@wintehr/contracts';
import { listQueue, resolveRequests } from './queue.service';
import { itemView } from './queue-view';
import { screenAgainst } from './screening';
import { loadPatientSafetyContext } from '../drug-safety/patient-safety-context';
import { claim, itemOfPharmacy, release, returnToPrescriber, verify } from './workflow';
import { raiseReturnTask } from './return-task';

/**
 * The in-house pharmacy's dispense queue (issue 7 §4): list, claim → verify → dispense, or return to the
 * prescriber. Every item action checks the pharmacist's pharmacy (another pharmacy's item is a 404), the
 * patient-level access (audited) and the item's state under a row lock.
 */
export function pharmacyRouter(deps: AppDeps): Router {
  const r = Router();
  const tags = ['pharmacy'];

  mount(
    r,
    {
      method: 'get',
      path: '/api/pharmacy/queue',
      summary: 'Prescriptions routed to my pharmacy, STAT first then newest, with safety findings',
      tags,
      auth: 'medication:dispense',
      query: QueueQuery,
      response: QueueList,
    },
    async ({ req, res, query, principal }): Promise<QueueList> => {
      const ph = await pharmacistOf(deps, principal);
      const out = await listQueue(deps, {
        orgId: ph.orgId,
        userId: ph.userId,
        statuses: query.status,
        limit: query.limit,
        findings: query.findings,
      });
      // One disclosure record per patient shown (ids only), so a patient's access report lists the pharmacy.
      for (const pid of new Set(out.items.map((i) => i.patient.id))) {
        auditRequest(deps.audit, req, res, {
          action: 'pharmacy.queue.view',
          outcome: 'success',
          patientId: pid,
          resourceType: 'MedicationRequest',
          purposeOfUse: 'TREAT',
          details: {
            pharmacyOrgId: ph.orgId,
            items: out.items.filter((i) => i.patient.id === pid).map((i) => i.medicationRequestId),
          },
        });
      }
      return {
        pharmacyOrgId: ph.orgId,
        total: out.total,
        count: out.items.length,
        syncedNew: out.syncedNew,
        items: out.items,
      };
    },
  );

  /** The common start of every item action: my pharmacy's row, the prescription, the audited patient access. */
  async function open(
    ctx: {
      req: import('express').Request;
      res: import('express').Response;
      principal: import('../../core/auth/principal').Principal;
    },
    id: string,
    action: string,
  ) {
    const ph = await pharmacistOf(deps, ctx.principal);
    const item = await itemOfPharmacy(deps, ph, id);
    const phi = await requirePatientAccess(deps, ctx, item.patientId, {
      action,
      resourceType: 'MedicationRequest',
      resourceId: id,
    });
    let mr: fhir4.MedicationRequest;
    try {
      mr = await deps.fhir.read('MedicationRequest', id);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw notFound('MedicationRequest', id);
      throw err;
    }
    return { ph, item, phi, mr };
  }

  mount(
    r,
    {
      method: 'get',
      path: '/api/pharmacy/queue/:medicationRequestId',
      summary: 'One queue item with a fresh safety screen and its dispenses',
      tags,
      auth: 'medication:dispense',
      params: PharmacyItemParams,
      response: QueueItemDetail,
    },
    async ({ req, res, params, principal }): Promise<QueueItemDetail> => {
      const { ph, item, mr } = await open({ req, res, principal }, params.medicationRequestId, 'pharmacy.item.read');
      const now = new Date();
      const [resolved, ctx, allergies, dispenses] = await Promise.all([
        resolveRequests(deps, [item.medicationRequestId]),
        loadPatientSafetyContext(deps.fhir, item.patientId, now),
        deps.fhir.searchResources('AllergyIntolerance', { patient: item.patientId, _count: 200 }),
        deps.pg.query<{
          id: string;
          medication_dispense_id: string | null;
          ndc: string;
          quantity: string;
          lot_number: string;
          expiry: string;
          dispensed_by: string;
          dispensed_at: Date;
        }>(
          `SELECT d.id, d.medication_dispense_id, d.ndc, d.quantity, l.lot_number, l.expiry::text AS expiry, d.dispensed_by, d.dispensed_at
           FROM pharmacy_dispenses d JOIN inventory_lots l ON l.id = d.lot_id WHERE d.medication_request_id = $1 ORDER BY d.dispensed_at`,
          [item.medicationRequestId],
        ),
      ]);
      const view = itemView(item, ph.userId, now, {
        ...resolved.get(item.medicationRequestId),
        mr,
        findings: screenAgainst(mr, ctx),
      });
      const overrides = prescriberOverrides(mr);
      const sig = sigDetail(mr);
      return {
        ...view,
        patientContext: ctx.patient,
        ...(overrides.length ? { prescriberOverrides: overrides } : {}),
        ...(sig ? { sigDetail: sig } : {}),
        allergies: allergyView(allergies),
        dispenses: dispenses.rows.map((d) => ({
          id: d.id,
          medicationDispenseId: d.medication_dispense_id,
          ndc: d.ndc,
          quantity: Number(d.quantity),
          lotNumber: d.lot_number,
          expiry: d.expiry,
          dispensedBy: d.dispensed_by,
          dispensedAt: d.dispensed_at.toISOString(),
        })),
      };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/pharmacy/queue/:medicationRequestId/claim',
      summary: 'Claim a prescription (409 when another pharmacist holds it)',
      tags,
      auth: 'medication:dispense',
      params: PharmacyItemParams,
      response: ClaimResult,
    },
    async ({ req, res, params, principal }): Promise<ClaimResult> => {
      const { ph, item } = await open({ req, res, principal }, params.medicationRequestId, 'pharmacy.claim');
      const row = await claim(deps, ph, item);
      return {
        medicationRequestId: row.medicationRequestId,
        status: row.status,
        claimedBy: row.claimedBy,
        claimedAt: row.claimedAt,
      };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/pharmacy/queue/:medicationRequestId/release',
      summary: 'Give a claimed prescription back to the queue',
      tags,
      auth: 'medication:dispense',
      params: PharmacyItemParams,
      response: ReleaseResult,
    },
    async ({ req, res, params, principal }): Promise<ReleaseResult> => {
      const { ph, item } = await open({ req, res, principal }, params.medicationRequestId, 'pharmacy.release');
      const row = await release(deps, ph, item);
      return { medicationRequestId: row.medicationRequestId, status: row.status, claimedBy: row.claimedBy };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/pharmacy/queue/:medicationRequestId/verify',
      summary: 'Re-screen against the current chart and record a decision per finding',
      tags,
      auth: 'medication:verify',
      params: PharmacyItemParams,
      body: VerifyBody,
      response: VerifyResult,
    },
    async ({ req, res, params, body, principal }): Promise<VerifyResult> => {
      const { ph, item, phi, mr } = await open({ req, res, principal }, params.medicationRequestId, 'pharmacy.verify');
      const out = await verify(deps, ph, item, mr, body.decisions);
      phi.note({
        findings: out.findings.length,
        verified: out.verified,
        actions: out.item.decisions.map((d) => `${d.findingId}:${d.action}`),
      });
      return {
        medicationRequestId: out.item.medicationRequestId,
        status: out.item.status,
        verified: out.verified,
        verifiedAt: out.item.verifiedAt,
        decisions: out.item.decisions,
        findings: out.findings,
      };
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/pharmacy/queue/:medicationRequestId/dispense',
      summary: 'Dispense (full or partial fill): MedicationDispense in HAPI + stock decrement, atomically',
      tags,
      auth: 'medication:dispense',
      params: PharmacyItemParams,
      body: DispenseBody,
      response: DispenseResult,
      successStatus: 201,
    },
    async ({ req, res, params, body, principal }) => {
      const { ph, phi, mr } = await open({ req, res, principal }, params.medicationRequestId, 'pharmacy.dispense');
      const out = await dispense(deps, ph, mr, body);
      phi.setResource('MedicationDispense', out.medicationDispense.id);
      phi.note({
        medicationRequestId: mr.id,
        ndc: out.dispense.ndc,
        quantity: out.dispense.quantity,
        lotId: out.dispense.lot.id,
        fillType: out.dispense.fillType,
        substituted: !!body.substitution,
        counsellingOffered: body.counselling.offered,
        ...(out.dispense.deaSchedule ? { deaSchedule: out.dispense.deaSchedule } : {}),
      });
      return out;
    },
  );

  mount(
    r,
    {
      method: 'post',
      path: '/api/pharmacy/queue/:medicationRequestId/return',
      summary: 'Return to the prescriber with a reason (prescription on-hold + Communication)',
      tags,
      auth: 'medication:dispense',
      params: PharmacyItemParams,
      body: ReturnBody,
      response: ReturnResult,
    },
    async ({ req, res, params, body, principal }) => {
      const { ph, phi, mr } = await open({ req, res, principal }, params.medicationRequestId, 'pharmacy.return');
      const out = await returnToPrescriber(deps, ph, mr, body);
      const taskId = await raiseReturnTask(deps, {
        mr,
        patientId: out.item.patientId,
        pharmacistPractitionerId: requirePractitioner(ph),
        reason: body.reason,
        reasonCode: body.reasonCode,
        returnKey: out.communication.id!,
        now: new Date(),
        actorUserId: principal.userId,
      });
      phi.note({ reasonCode: body.reasonCode, communicationId: out.communication.id, inbasketTaskId: taskId ?? null });
      return {
        medicationRequestId: mr.id,
        status: out.item.status,
        prescriptionStatus: out.medicationRequest.status,
        communicationId: out.communication.id,
      };
    },
  );

  return r;
}
