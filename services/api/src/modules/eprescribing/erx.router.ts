import express, { Router } from 'express';
import { auditRequest } from '../../core/audit/request-audit';
import type { AppDeps } from '../../core/deps';
import { AppError, notFound, ServiceUnavailableError, unprocessable } from '../../core/errors';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { mount } from '../../core/http/route';
import { refId } from './erx-tasks';
import {
  loadPrescription,
  newMessageId,
  prescriptionStatus,
  respondToRequest,
  sendCancelRx,
  sendNewRx,
  SOFTWARE,
} from './erx.service';
import { historyItems } from './history-items';
import { handleInbound } from './inbound';
import { buildScriptXml, FHIR_SYSTEMS, parseScriptXml, ScriptParseError } from './ncpdp';
import { patientFromFhir } from './ncpdp/from-fhir';
import { getDirectory, NetworkUnreachable, postScript } from './transport';
import {
  ErxInbox,
  ErxPrescriptionParams,
  ErxPrescriptionStatus,
  ErxQueued,
  ErxRespondBody,
  ErxRespondResult,
  ErxSendBody,
  ErxTaskParams,
  MedicationHistoryParams,
  NetworkDirectoryAnswer,
  NetworkMedicationHistory,
  PharmacyDirectoryQuery,
  PharmacyDirectoryResult,
} from '@wintehr/contracts';

/**
 * E-prescribing over NCPDP SCRIPT 2017071 (issue 7 parts 1-3): send / cancel / status of a prescription, the
 * network's inbound endpoint, the prescriber's answers to pharmacy requests, pharmacy directory and medication
 * history. The outbox worker runs in this process unless ERX_WORKER=false (tests start it themselves).
 */
const XML_TYPES = ['application/xml', 'text/xml', 'application/*+xml'];

/** The network's directory answer is outside input: an unreadable one is the network's fault (502), not ours. */
function parseDirectory(body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const r = NetworkDirectoryAnswer.safeParse(json);
  if (!r.success) throw new AppError(502, 'ERX_NETWORK_ERROR', 'Unreadable answer from the pharmacy directory');
  return r.data;
}

export function eprescribingRouter(deps: AppDeps): Router {
  const router = Router();

  mount(
    router,
    {
      method: 'post',
      path: '/api/erx/prescriptions/:medicationRequestId/send',
      tags: ['e-prescribing'],
      auth: 'medication:prescribe',
      summary: 'Send a prescription to its pharmacy as an NCPDP SCRIPT NewRx (EPCS rules for controlled substances)',
      params: ErxPrescriptionParams,
      body: ErxSendBody,
      response: ErxQueued,
      successStatus: 202,
    },
    async (ctx) => {
      const { mr, patientId } = await loadPrescription(deps, ctx.params.medicationRequestId);
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'medication.prescribe.send',
        resourceType: 'MedicationRequest',
        resourceId: mr.id,
      });
      const result = await sendNewRx(deps, {
        mr,
        patientId,
        principal: ctx.principal,
        pharmacyId: ctx.body?.pharmacyId,
      });
      phi.note({ messageId: result.messageId, controlled: result.controlled });
      if (result.controlled) {
        auditRequest(deps.audit, ctx.req, ctx.res, {
          action: 'epcs.sign',
          outcome: 'success',
          patientId,
          resourceType: 'MedicationRequest',
          resourceId: mr.id,
          details: {
            messageId: result.messageId,
            deaSchedule: result.deaSchedule,
            signature: 'JWS',
            mfaAt: ctx.principal.mfaAt ?? null,
          },
        });
      }
      return result;
    },
  );

  mount(
    router,
    {
      method: 'post',
      path: '/api/erx/prescriptions/:medicationRequestId/cancel',
      tags: ['e-prescribing'],
      auth: 'medication:prescribe',
      summary: 'Cancel a sent prescription at the pharmacy (SCRIPT CancelRx)',
      params: ErxPrescriptionParams,
      response: ErxQueued,
      successStatus: 202,
    },
    async (ctx) => {
      const { mr, patientId } = await loadPrescription(deps, ctx.params.medicationRequestId);
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'medication.prescribe.cancel',
        resourceType: 'MedicationRequest',
        resourceId: mr.id,
      });
      const result = await sendCancelRx(deps, { mr, patientId, principal: ctx.principal });
      phi.note({ messageId: result.messageId });
      return result;
    },
  );

  mount(
    router,
    {
      method: 'get',
      path: '/api/erx/prescriptions/:medicationRequestId/status',
      tags: ['e-prescribing'],
      auth: 'medication:view',
      summary: 'Transmission status of a prescription (pending → sent → accepted / rejected / error) and its messages',
      params: ErxPrescriptionParams,
      response: ErxPrescriptionStatus,
    },
    async (ctx) => {
      const { mr, patientId } = await loadPrescription(deps, ctx.params.medicationRequestId);
      await requirePatientAccess(deps, ctx, patientId, {
        action: 'medication.erx-status.read',
        resourceType: 'MedicationRequest',
        resourceId: mr.id,
      });
      return prescriptionStatus(deps, mr.id!);
    },
  );

  router.post('/api/erx/inbound', express.text({ type: XML_TYPES, limit: '512kb' }));
  mount(
    router,
    {
      method: 'post',
      path: '/api/erx/inbound',
      tags: ['e-prescribing'],
      auth: 'public',
      summary:
        'Network inbound endpoint: SCRIPT XML from pharmacies (HTTP basic auth of the network); answers SCRIPT Status or Error',
    },
    async (ctx) => {
      const header = ctx.req.get('x-network-authorization') ?? ctx.req.get('authorization');
      const a = await handleInbound(deps, header, ctx.req.body);
      auditRequest(deps.audit, ctx.req, ctx.res, {
        action: 'erx.inbound',
        outcome: a.httpStatus < 300 ? 'success' : a.httpStatus === 401 ? 'denied' : 'failure',
        resourceType: a.taskId ? 'Task' : undefined,
        resourceId: a.taskId,
        details: { outcome: a.outcome, messageType: a.messageType ?? null, messageId: a.messageId ?? null },
      });
      ctx.res.status(a.httpStatus).type('application/xml; charset=utf-8');
      if (a.httpStatus === 401) ctx.res.set('WWW-Authenticate', 'Basic realm="wintehr-erx"');
      ctx.res.send(a.xml);
      return undefined;
    },
  );

  mount(
    router,
    {
      method: 'get',
      path: '/api/erx/inbox',
      tags: ['e-prescribing'],
      auth: 'medication:prescribe',
      summary: 'Open pharmacy requests (renewal / change) addressed to the signed-in prescriber',
      response: ErxInbox,
    },
    async (ctx) => {
      if (!ctx.principal.practitionerId) return { items: [] };
      const tasks = await deps.fhir.searchResources('Task', {
        owner: `Practitioner/${ctx.principal.practitionerId}`,
        status: 'requested',
        code: 'urn:wintehr:task-type|erx-renewal-request,urn:wintehr:task-type|erx-change-request',
        _count: '100',
        _sort: '-_lastUpdated',
      });
      auditRequest(deps.audit, ctx.req, ctx.res, {
        action: 'erx.inbox.read',
        outcome: 'success',
        details: { count: tasks.length },
      });
      return {
        items: tasks.map((t) => ({
          taskId: t.id,
          code: t.code?.coding?.[0]?.code,
          patientId: refId(t.for?.reference, 'Patient'),
          medicationRequestId: refId(t.focus?.reference, 'MedicationRequest'),
          description: t.description,
          authoredOn: t.authoredOn,
        })),
      };
    },
  );

  mount(
    router,
    {
      method: 'post',
      path: '/api/erx/inbox/:taskId/respond',
      tags: ['e-prescribing'],
      auth: 'medication:prescribe',
      summary:
        'Answer a pharmacy renewal / change request (SCRIPT RxRenewalResponse / RxChangeResponse through the outbox)',
      params: ErxTaskParams,
      body: ErxRespondBody,
      response: ErxRespondResult,
      successStatus: 202,
    },
    async (ctx) => {
      const task = await deps.fhir.read('Task', ctx.params.taskId);
      const patientId = refId(task.for?.reference, 'Patient');
      if (!patientId) throw notFound('Task', ctx.params.taskId);
      const phi = await requirePatientAccess(deps, ctx, patientId, {
        action: 'medication.prescribe.respond',
        resourceType: 'Task',
        resourceId: task.id,
      });
      const r = await respondToRequest(deps, {
        task,
        principal: ctx.principal,
        decision: ctx.body.decision,
        note: ctx.body.note,
        reasonCode: ctx.body.reasonCode,
      });
      phi.note({ messageId: r.messageId, decision: r.decision });
      return r;
    },
  );

  mount(
    router,
    {
      method: 'get',
      path: '/api/erx/pharmacies',
      tags: ['e-prescribing'],
      auth: 'medication:view',
      summary: 'Search the network pharmacy directory by name, ZIP or NCPDP id',
      query: PharmacyDirectoryQuery,
      response: PharmacyDirectoryResult,
    },
    async (ctx) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(ctx.query)) if (v !== undefined) qs.set(k, String(v));
      let a;
      try {
        a = await getDirectory(deps.config.erx, qs);
      } catch (e) {
        if (e instanceof NetworkUnreachable)
          throw new ServiceUnavailableError('ERX_NETWORK_UNAVAILABLE', 'The e-prescribing network is not reachable');
        throw e;
      }
      if (a.status !== 200)
        throw new AppError(502, 'ERX_NETWORK_ERROR', `The pharmacy directory answered HTTP ${a.status}`);
      const data = parseDirectory(a.body);
      // Where the directory entry is one of our FHIR Organizations, say which, so the UI can route to it.
      const pharmacies = await Promise.all(
        data.pharmacies.map(async (p) => {
          const orgs = await deps.fhir
            .searchResources('Organization', {
              identifier: `${FHIR_SYSTEMS.ncpdp}|${String(p.ncpdpId)}`,
              _count: '1',
              _elements: 'id',
            })
            .catch(() => []);
          return { ...p, organizationId: orgs[0]?.id ?? null };
        }),
      );
      return { total: data.total, pharmacies };
    },
  );

  mount(
    router,
    {
      method: 'get',
      path: '/api/patients/:patientId/medication-history',
      tags: ['e-prescribing'],
      auth: 'medication:view',
      summary: 'Medication history from the network (SCRIPT RxHistoryRequest → RxHistoryResponse)',
      params: MedicationHistoryParams,
      response: NetworkMedicationHistory,
    },
    async (ctx) => {
      const phi = await requirePatientAccess(deps, ctx, ctx.params.patientId, {
        action: 'medication.history.read',
        resourceType: 'Patient',
        resourceId: ctx.params.patientId,
      });
      const patient = patientFromFhir(await deps.fhir.read('Patient', ctx.params.patientId));
      if (!patient.name.last || !patient.name.first || !patient.dateOfBirth)
        throw unprocessable(
          'The patient needs a first name, last name and birth date for a medication history request',
        );
      let npi = 'WINTEHR';
      if (ctx.principal.practitionerId) {
        const pr = await deps.fhir.read('Practitioner', ctx.principal.practitionerId).catch(() => undefined);
        npi = pr?.identifier?.find((i) => i.system === FHIR_SYSTEMS.npi)?.value ?? npi;
      }
      const xml = buildScriptXml({
        type: 'RxHistoryRequest',
        header: {
          to: { qualifier: 'M', id: 'SURESCRIPTS' },
          from: { qualifier: 'C', id: npi },
          messageId: newMessageId(),
          sentTime: new Date().toISOString(),
          software: SOFTWARE,
        },
        patient,
      });
      let a;
      try {
        a = await postScript(deps.config.erx, xml);
      } catch (e) {
        if (e instanceof NetworkUnreachable)
          throw new ServiceUnavailableError('ERX_NETWORK_UNAVAILABLE', 'The e-prescribing network is not reachable');
        throw e;
      }
      let msg;
      try {
        msg = parseScriptXml(a.body);
      } catch (e) {
        throw new AppError(502, 'ERX_NETWORK_ERROR', `Unreadable answer from the network (HTTP ${a.status})`, {
          reason: e instanceof ScriptParseError ? e.message : 'parse',
        });
      }
      if (msg.type === 'Error')
        throw new AppError(502, 'ERX_NETWORK_ERROR', 'The network refused the history request', {
          code: msg.status.code,
          descriptionCode: msg.status.descriptionCode,
        });
      if (msg.type !== 'RxHistoryResponse')
        throw new AppError(502, 'ERX_NETWORK_ERROR', `Unexpected answer ${msg.type}`);
      phi.note({ items: msg.dispensed.length });
      return {
        patientId: ctx.params.patientId,
        source: 'surescripts',
        retrievedAt: new Date().toISOString(),
        items: historyItems(msg),
      };
    },
  );

  return router;
}
