import type { InbasketPool, PortalRequest } from '@wintehr/contracts';
import { attachmentsOf } from './message-attachments';
import { POOL_SYSTEM, TASK_TYPE_SYSTEM } from './kinds';

/** FHIR resources of the patient's requests (portal messages, refill requests) and their view. Pure. */

/** Who answers: the patient's practitioner when there is one, else the nursing pool. */
export type Addressee = { practitionerId: string } | { pool: InbasketPool };

const addressedTo = (a: Addressee): Pick<fhir4.Task, 'owner' | 'performerType'> =>
  'practitionerId' in a
    ? { owner: { reference: `Practitioner/${a.practitionerId}` } }
    : { performerType: [{ coding: [{ system: POOL_SYSTEM, code: a.pool }], text: a.pool }] };

/** Who filed a portal request: the patient, or their proxy as a RelatedPerson (`RelatedPerson/<id>`). */
const senderOf = (o: { patientId: string; sender?: string }) => ({ reference: o.sender ?? `Patient/${o.patientId}` });

/** What a patient's message says and to whom (the patient, or their proxy as `sender`). */
export interface PatientMessageFields {
  patientId: string;
  to: Addressee;
  subject: string;
  text: string;
  now: Date;
  sender?: string;
}

export function patientMessage(
  o: PatientMessageFields & {
    /** Attachment elements pointing at the Binary of each file (urn:uuid references inside a transaction). */
    attachments?: fhir4.Attachment[];
  },
): fhir4.Communication {
  return {
    resourceType: 'Communication',
    status: 'completed',
    category: [{ coding: [{ system: 'urn:wintehr:communication-category', code: 'patient-message' }] }],
    subject: { reference: `Patient/${o.patientId}` },
    sender: senderOf(o),
    ...('practitionerId' in o.to ? { recipient: [{ reference: `Practitioner/${o.to.practitionerId}` }] } : {}),
    topic: { text: o.subject },
    sent: o.now.toISOString(),
    payload: [{ contentString: o.text }, ...(o.attachments ?? []).map((contentAttachment) => ({ contentAttachment }))],
  };
}

export function messageTask(o: {
  patientId: string;
  /** `Communication/<id>`, or the Communication's urn:uuid inside the same transaction. */
  communication: string;
  to: Addressee;
  subject: string;
  now: Date;
  sender?: string;
}): fhir4.Task {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: TASK_TYPE_SYSTEM, code: 'patient-message', display: 'Patient message' }] },
    description: o.subject,
    focus: { reference: o.communication },
    for: { reference: `Patient/${o.patientId}` },
    requester: senderOf(o),
    ...addressedTo(o.to),
    authoredOn: o.now.toISOString(),
  };
}

export function refillTask(o: {
  patientId: string;
  medicationRequestId: string;
  drug: string;
  to: Addressee;
  note?: string;
  now: Date;
  sender?: string;
}): fhir4.Task {
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ system: TASK_TYPE_SYSTEM, code: 'refill-request', display: 'Refill request' }] },
    description: `Refill requested: ${o.drug}`,
    focus: { reference: `MedicationRequest/${o.medicationRequestId}` },
    for: { reference: `Patient/${o.patientId}` },
    requester: senderOf(o),
    ...addressedTo(o.to),
    authoredOn: o.now.toISOString(),
    ...(o.note ? { input: [{ type: { text: 'patient-note' }, valueString: o.note }] } : {}),
  };
}

/** The Task after a clinician's answer; `answer` is what the patient reads (reply text or denial reason). */
export function answeredTask(
  t: fhir4.Task,
  o: { status: 'completed' | 'rejected'; by: fhir4.Reference; now: Date; answer?: string; outputs?: string[] },
): fhir4.Task {
  return {
    ...t,
    status: o.status,
    ...(o.status === 'rejected' && o.answer ? { statusReason: { text: o.answer } } : {}),
    businessStatus: { text: o.status === 'rejected' ? 'denied' : 'done' },
    lastModified: o.now.toISOString(),
    output: [
      ...(t.output ?? []),
      ...(o.answer ? [{ type: { text: 'answer' }, valueString: o.answer }] : []),
      ...(o.outputs ?? []).map((ref) => ({ type: { text: 'result' }, valueReference: { reference: ref } })),
      { type: { text: 'answered-by' }, valueReference: o.by },
    ],
  };
}

const answerOf = (t: fhir4.Task) => t.output?.find((x) => x.type.text === 'answer')?.valueString ?? null;

/** What the patient sees of one request. */
export function portalRequestView(t: fhir4.Task, related: ReadonlyMap<string, fhir4.Resource>): PortalRequest {
  const code = t.code?.coding?.find((c) => c.system === TASK_TYPE_SYSTEM)?.code;
  const message = code === 'patient-message';
  const open = t.status === 'requested' || t.status === 'received' || t.status === 'in-progress';
  const focus = t.focus?.reference ? related.get(t.focus.reference) : undefined;
  const text = message
    ? ((focus as fhir4.Communication | undefined)?.payload?.find((p) => p.contentString)?.contentString ?? null)
    : (t.input?.find((i) => i.type.text === 'patient-note')?.valueString ?? null);
  return {
    id: t.id!,
    type: message ? 'message' : 'refill-request',
    status: open ? 'open' : t.status === 'rejected' ? 'denied' : message ? 'answered' : 'approved',
    subject: t.description ?? (message ? 'Message' : 'Refill request'),
    text,
    created: t.authoredOn ?? null,
    answer: answerOf(t) ?? t.statusReason?.text ?? null,
    answeredAt: open ? null : (t.lastModified ?? null),
    ...(message && focus?.resourceType === 'Communication' ? withAttachments(focus as fhir4.Communication) : {}),
  };
}

/** `attachments` only when the message has any (the field is optional in the contract). */
export function withAttachments(c: fhir4.Communication | undefined) {
  const attachments = attachmentsOf(c);
  return attachments.length ? { attachments } : {};
}
