import { randomUUID } from 'node:crypto';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../core/errors';
import { controlledSchedule, loadDrugKnowledgeBase, resolveMedication, type DrugKnowledgeBase } from '../drug-safety';
import type { ErxMessage, ErxPrescriptionStatus, ErxQueued, ErxRespondResult } from '@wintehr/contracts';
import type { DeaSchedule } from '../drug-safety/types';
import { assertEpcsAllowed, signPrescription } from './epcs';
import { erxRepository, type ErxMessageRow } from './erx.repository';
import { inboxTask, MESSAGE_ID_SYSTEM, refId, taskCode, transmissionTask } from './erx-tasks';
import {
  buildScriptXml,
  FHIR_SYSTEMS,
  parseScriptXml,
  prescriptionFromFhir,
  validatePrescription,
  type PrescriptionContent,
  type ScriptHeader,
  type ScriptMessage,
} from './ncpdp';
import { erxOutbox } from './outbox';

/** Sending prescriptions, cancelling them, answering pharmacy requests, and reading their status. */
export const SOFTWARE = { developer: 'WintEHR', product: 'WintEHR EHR', version: '0.1' } as const;
export const newMessageId = () => randomUUID().replace(/-/g, '');

let kb: DrugKnowledgeBase | undefined;
/** The drug KB (for DEA schedules), loaded once per process. */
export function drugKb(): DrugKnowledgeBase {
  return (kb ??= loadDrugKnowledgeBase());
}

export function scheduleOf(mr: fhir4.MedicationRequest): { schedule?: DeaSchedule; tty?: string } {
  const codings = mr.medicationCodeableConcept?.coding ?? [];
  if (!codings.length) return {};
  const r = resolveMedication(drugKb(), {
    codings: codings.map((c) => ({ system: c.system, code: c.code, display: c.display })),
  });
  if (r.status !== 'resolved') return {};
  return { schedule: controlledSchedule(drugKb(), r.concept)?.schedule, tty: r.concept.tty };
}

export async function loadPrescription(deps: AppDeps, medicationRequestId: string) {
  const mr = await deps.fhir.read('MedicationRequest', medicationRequestId);
  const patientId = refId(mr.subject?.reference, 'Patient');
  if (!patientId) throw conflict('The prescription has no patient reference', { field: 'subject' }, 'ERX_NOT_SENDABLE');
  return { mr, patientId };
}

interface SendInput {
  mr: fhir4.MedicationRequest;
  patientId: string;
  principal: Principal;
  pharmacyId?: string;
}

export async function sendNewRx(deps: AppDeps, i: SendInput) {
  const { mr, patientId, principal } = i;
  if (mr.status !== 'active')
    throw conflict(
      `Only an active prescription can be sent (status is ${mr.status})`,
      { status: mr.status },
      'ERX_NOT_SENDABLE',
    );
  const practitionerId = refId(mr.requester?.reference, 'Practitioner');
  if (!practitionerId)
    throw badRequest('The prescription has no prescribing Practitioner', [
      { field: 'requester', message: 'must reference a Practitioner' },
    ]);
  if (principal.practitionerId !== practitionerId) {
    throw new AppError(403, 'NOT_THE_PRESCRIBER', 'Only the prescriber named on the prescription may send it', {
      requester: `Practitioner/${practitionerId}`,
    });
  }
  const pharmacyId = i.pharmacyId ?? refId(mr.dispenseRequest?.performer?.reference, 'Organization');
  if (!pharmacyId)
    throw badRequest('No pharmacy chosen', [
      { field: 'dispenseRequest.performer', message: 'choose a pharmacy (Organization) or pass pharmacyId' },
    ]);

  const previous = (await erxRepository.forMedicationRequest(deps.pg, mr.id!)).find(
    (m) => m.type === 'NewRx' && ['pending', 'sent', 'accepted'].includes(m.status),
  );
  if (previous)
    throw conflict(
      'This prescription was already sent',
      { messageId: previous.messageId, status: previous.status },
      'ERX_ALREADY_SENT',
    );

  const [patient, practitioner, pharmacy] = await Promise.all([
    deps.fhir.read('Patient', patientId),
    deps.fhir.read('Practitioner', practitionerId),
    deps.fhir.read('Organization', pharmacyId).catch((err: AppError) => {
      if (err.status === 404)
        throw badRequest('Unknown pharmacy', [
          { field: 'pharmacyId', message: `Organization/${pharmacyId} not found` },
        ]);
      throw err;
    }),
  ]);

  const prescriber = practitioner.address?.length
    ? practitioner
    : { ...practitioner, address: await practiceAddress(deps, practitionerId) };
  const { schedule, tty } = scheduleOf(mr);
  let deaNumber: string | undefined;
  if (schedule) deaNumber = (await assertEpcsAllowed(deps.pg, principal, deps.config.auth.stepUpMaxAge)).deaNumber;

  const content = prescriptionFromFhir({
    medicationRequest: mr,
    patient,
    practitioner: prescriber,
    pharmacy,
    extra: { deaSchedule: schedule, rxnormTty: tty, deaNumber },
  });
  const messageId = newMessageId();
  const header: ScriptHeader = {
    to: { qualifier: 'P', id: content.pharmacy.ncpdpId },
    from: { qualifier: 'C', id: content.prescriber.npi },
    messageId,
    sentTime: new Date().toISOString(),
    software: SOFTWARE,
    prescriberOrderNumber: mr.id,
  };
  const issues = validatePrescription('NewRx', content, header);
  if (issues.length) throw badRequest(`NewRx cannot be built: ${issues[0]!.field} ${issues[0]!.message}`, issues);

  let signature: string | undefined;
  if (schedule && deaNumber) {
    const sig = await signPrescription(deps.tokens, principal, {
      messageId,
      content,
      deaNumber,
      schedule,
      medicationRequestId: mr.id!,
    });
    signature = sig.jws;
    header.digitalSignature = { version: 'JWS-1', digestValue: sig.digest, signatureValue: sig.jws };
  }
  const xml = buildScriptXml({ type: 'NewRx', header, content });
  return queueOutbound(deps, {
    messageId,
    type: 'NewRx',
    xml,
    medicationRequestId: mr.id!,
    patientId,
    signature,
    principal,
    practitionerId,
    pharmacyOrgId: pharmacyId,
    schedule,
  });
}

/**
 * SCRIPT requires a prescriber address; staff Practitioners usually carry none of their own, so the practice's
 * address stands in: the PractitionerRole's Location, else its Organization (what an e-prescribing vendor
 * registers as the prescriber's practice location).
 */
async function practiceAddress(deps: AppDeps, practitionerId: string): Promise<fhir4.Address[] | undefined> {
  const included = await deps.fhir.search('PractitionerRole', {
    practitioner: practitionerId,
    active: 'true',
    _include: ['PractitionerRole:location', 'PractitionerRole:organization'],
    _count: 5,
  });
  const resources = (included.entry ?? [])
    .map((e) => e.resource as fhir4.Resource | undefined)
    .filter(
      (r): r is fhir4.Location | fhir4.Organization =>
        r?.resourceType === 'Location' || r?.resourceType === 'Organization',
    );
  const location = resources.find((r): r is fhir4.Location => r.resourceType === 'Location' && !!r.address);
  if (location?.address) return [{ ...location.address, use: 'work' }];
  return resources.find((r): r is fhir4.Organization => r.resourceType === 'Organization' && !!r.address?.length)
    ?.address;
}

async function queueOutbound(
  deps: AppDeps,
  o: {
    messageId: string;
    type: string;
    xml: string;
    medicationRequestId?: string;
    patientId?: string;
    signature?: string;
    principal: Principal;
    relatesToMessageId?: string;
    practitionerId?: string;
    pharmacyOrgId?: string;
    schedule?: DeaSchedule;
    mirrorTask?: boolean;
  },
): Promise<ErxQueued> {
  let taskId: string | undefined;
  if (o.mirrorTask !== false && o.medicationRequestId && o.patientId) {
    const task = await deps.fhir.create(
      transmissionTask({
        messageId: o.messageId,
        messageType: o.type,
        medicationRequestId: o.medicationRequestId,
        patientId: o.patientId,
        practitionerId: o.practitionerId,
        pharmacyOrgId: o.pharmacyOrgId,
        status: 'pending',
      }),
      { ifNoneExist: `identifier=${MESSAGE_ID_SYSTEM}|${o.messageId}` },
    );
    taskId = task.id;
  }
  const client = await deps.pg.connect();
  try {
    await client.query('BEGIN');
    await erxRepository.insert(client, {
      messageId: o.messageId,
      direction: 'outbound',
      type: o.type,
      status: 'pending',
      payload: o.xml,
      medicationRequestId: o.medicationRequestId,
      patientId: o.patientId,
      relatesToMessageId: o.relatesToMessageId,
      taskId,
      signature: o.signature,
      createdBy: o.principal.userId,
    });
    await deps.events.publish(
      {
        type: 'erx.status.changed',
        patientId: o.patientId,
        resourceType: o.medicationRequestId ? 'MedicationRequest' : undefined,
        resourceId: o.medicationRequestId,
        actorUserId: o.principal.userId,
        data: { messageId: o.messageId, messageType: o.type, status: 'pending' },
      },
      client,
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  const queued = await erxOutbox(deps).enqueue(o.messageId);
  return {
    messageId: o.messageId,
    type: o.type,
    status: 'pending' as const,
    queued,
    controlled: Boolean(o.schedule),
    ...(o.schedule ? { deaSchedule: o.schedule, signed: true } : {}),
    taskId,
  };
}

export async function sendCancelRx(
  deps: AppDeps,
  i: { mr: fhir4.MedicationRequest; patientId: string; principal: Principal },
) {
  const practitionerId = refId(i.mr.requester?.reference, 'Practitioner');
  if (i.principal.practitionerId !== practitionerId)
    throw new AppError(403, 'NOT_THE_PRESCRIBER', 'Only the prescriber named on the prescription may cancel it');
  const messages = await erxRepository.forMedicationRequest(deps.pg, i.mr.id!);
  const cancel = messages.find((m) => m.type === 'CancelRx' && ['pending', 'sent', 'accepted'].includes(m.status));
  if (cancel)
    throw conflict(
      'A cancellation was already sent',
      { messageId: cancel.messageId, status: cancel.status },
      'ERX_ALREADY_CANCELLED',
    );
  const original = messages.find((m) => m.type === 'NewRx' && m.status === 'accepted');
  if (!original)
    throw conflict('Only a prescription the pharmacy accepted can be cancelled electronically', {}, 'ERX_NOT_SENT');
  const sent = parseScriptXml(original.payload) as Extract<ScriptMessage, { type: 'NewRx' }>;
  const messageId = newMessageId();
  const header: ScriptHeader = {
    to: sent.header.to,
    from: sent.header.from,
    messageId,
    relatesToMessageId: original.messageId,
    sentTime: new Date().toISOString(),
    software: SOFTWARE,
    prescriberOrderNumber: i.mr.id,
  };
  const xml = buildScriptXml({ type: 'CancelRx', header, content: sent.content });
  return queueOutbound(deps, {
    messageId,
    type: 'CancelRx',
    xml,
    medicationRequestId: i.mr.id!,
    patientId: i.patientId,
    principal: i.principal,
    relatesToMessageId: original.messageId,
    practitionerId,
  });
}

const view = (m: ErxMessageRow): ErxMessage => ({
  messageId: m.messageId,
  direction: m.direction,
  type: m.type,
  status: m.status,
  reason: m.reason,
  responseCode: m.responseCode,
  attempts: m.attempts,
  lastError: m.lastError,
  relatesToMessageId: m.relatesToMessageId,
  taskId: m.taskId,
  signed: Boolean(m.signature),
  createdAt: m.createdAt,
  updatedAt: m.updatedAt,
  sentAt: m.sentAt,
  completedAt: m.completedAt,
});

export async function prescriptionStatus(deps: AppDeps, medicationRequestId: string): Promise<ErxPrescriptionStatus> {
  const messages = await erxRepository.forMedicationRequest(deps.pg, medicationRequestId);
  const current = messages.find((m) => m.direction === 'outbound' && (m.type === 'NewRx' || m.type === 'CancelRx'));
  return {
    medicationRequestId,
    status: current?.status ?? 'not-sent',
    cancelled: messages.some((m) => m.type === 'CancelRx' && m.status === 'accepted'),
    current: current ? view(current) : null,
    messages: messages.map(view),
  };
}

/** The clinician's answer to a pharmacy renewal/change request (an inbox Task). */
export async function respondToRequest(
  deps: AppDeps,
  i: { task: fhir4.Task; principal: Principal; decision: 'approve' | 'deny'; note?: string; reasonCode?: string },
): Promise<ErxRespondResult> {
  const { task, principal } = i;
  const code = taskCode(task);
  if (code !== 'erx-renewal-request' && code !== 'erx-change-request') throw notFound('Task', task.id!);
  if (task.status !== 'requested')
    throw conflict('This request was already answered', { status: task.status }, 'ERX_ALREADY_ANSWERED');
  const owner = refId(task.owner?.reference, 'Practitioner');
  if (!principal.practitionerId || owner !== principal.practitionerId)
    throw forbidden('Only the prescriber who owns this request may answer it', { owner: task.owner?.reference });
  const request = await erxRepository.byTask(deps.pg, task.id!);
  if (!request) throw conflict('The pharmacy message behind this request is missing', {}, 'ERX_REQUEST_MISSING');
  const msg = parseScriptXml(request.payload);
  if (msg.type !== 'RxRenewalRequest' && msg.type !== 'RxChangeRequest')
    throw conflict('Unexpected request type', { type: msg.type }, 'ERX_REQUEST_MISSING');
  if (i.decision === 'approve' && msg.content.medication.deaSchedule) {
    // SCRIPT: a controlled renewal is answered "denied, new prescription to follow" and a new EPCS NewRx is signed.
    throw conflict(
      'A controlled-substance request cannot be approved here: deny it and sign a new EPCS prescription',
      {},
      'EPCS_NEW_PRESCRIPTION_REQUIRED',
    );
  }
  const messageId = newMessageId();
  const header: ScriptHeader = {
    to: { qualifier: 'P', id: msg.header.from.id },
    from: { qualifier: 'C', id: msg.header.to.id },
    messageId,
    relatesToMessageId: msg.header.messageId,
    sentTime: new Date().toISOString(),
    software: SOFTWARE,
    prescriberOrderNumber: request.medicationRequestId ?? undefined,
  };
  const response =
    i.decision === 'approve'
      ? { kind: 'Approved' as const, note: i.note }
      : // Denial reason codes are from the NCPDP ECL (not verified); AA is used as "other/see note" here.
        { kind: 'Denied' as const, reasonCode: i.reasonCode ?? 'AA', note: i.note };
  const content: PrescriptionContent = msg.content;
  const out: ScriptMessage =
    msg.type === 'RxRenewalRequest'
      ? { type: 'RxRenewalResponse', header, content, response }
      : { type: 'RxChangeResponse', header, content, changeCode: msg.changeCode, response };
  const xml = buildScriptXml(out);
  // Claim the Task first (If-Match): of two concurrent answers only one wins, the other gets 409.
  const answered = await deps.fhir.update<fhir4.Task>(
    {
      ...task,
      status: i.decision === 'approve' ? 'completed' : 'rejected',
      businessStatus: { text: i.decision === 'approve' ? 'approved' : 'denied' },
      output: [{ type: { text: 'response-message-id' }, valueString: messageId }],
      lastModified: new Date().toISOString(),
    },
    task.meta?.versionId ? { ifMatch: task.meta.versionId } : {},
  );
  let result;
  try {
    result = await queueOutbound(deps, {
      messageId,
      type: out.type,
      xml,
      medicationRequestId: request.medicationRequestId ?? undefined,
      patientId: request.patientId ?? undefined,
      principal,
      relatesToMessageId: msg.header.messageId,
      mirrorTask: false,
    });
  } catch (err) {
    // Nothing was queued: give the request back to the inbox.
    await deps.fhir
      .update<fhir4.Task>({ ...task }, answered.meta?.versionId ? { ifMatch: answered.meta.versionId } : {})
      .catch(() => undefined);
    throw err;
  }
  return { ...result, taskId: task.id!, decision: i.decision };
}

export { FHIR_SYSTEMS, inboxTask };
