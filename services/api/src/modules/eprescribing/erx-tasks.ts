/**
 * FHIR Tasks of e-prescribing. Pure builders.
 *
 * Transmission status is mirrored on a Task (code erx-transmission) whose focus is the MedicationRequest rather than
 * written into the MedicationRequest: the prescription is signed clinical content owned by modules/medications and
 * updating it for every delivery attempt would race its edits (version conflicts) and churn its history. The Task
 * is searchable (Task?focus=MedicationRequest/x&code=urn:wintehr:task-type|erx-transmission); the authoritative
 * state is erx_messages, served by GET /api/erx/prescriptions/:id/status.
 *
 * Pharmacy requests (RxRenewalRequest / RxChangeRequest) become inbox Tasks owned by the prescriber.
 */
export const TASK_TYPE_SYSTEM = 'urn:wintehr:task-type';
export const MESSAGE_ID_SYSTEM = 'urn:wintehr:erx-message-id';
export type ErxTaskCode = 'erx-transmission' | 'erx-renewal-request' | 'erx-change-request';

const taskStatusOf = (erx: string): fhir4.Task['status'] =>
  erx === 'pending'
    ? 'requested'
    : erx === 'sent'
      ? 'in-progress'
      : erx === 'accepted'
        ? 'completed'
        : erx === 'rejected'
          ? 'rejected'
          : 'failed';

export function transmissionTask(o: {
  messageId: string;
  messageType: string;
  medicationRequestId: string;
  patientId: string;
  practitionerId?: string;
  pharmacyOrgId?: string;
  status: string;
  reason?: string | null;
}): fhir4.Task {
  return {
    resourceType: 'Task',
    identifier: [{ system: MESSAGE_ID_SYSTEM, value: o.messageId }],
    status: taskStatusOf(o.status),
    businessStatus: { coding: [{ system: 'urn:wintehr:erx-status', code: o.status }], text: o.status },
    ...(o.reason ? { statusReason: { text: o.reason.slice(0, 500) } } : {}),
    intent: 'order',
    code: {
      coding: [{ system: TASK_TYPE_SYSTEM, code: 'erx-transmission', display: 'Electronic prescription transmission' }],
      text: `SCRIPT ${o.messageType}`,
    },
    focus: { reference: `MedicationRequest/${o.medicationRequestId}` },
    for: { reference: `Patient/${o.patientId}` },
    ...(o.practitionerId ? { requester: { reference: `Practitioner/${o.practitionerId}` } } : {}),
    ...(o.pharmacyOrgId ? { owner: { reference: `Organization/${o.pharmacyOrgId}` } } : {}),
    lastModified: new Date().toISOString(),
  };
}

export function inboxTask(o: {
  messageId: string;
  kind: 'RxRenewalRequest' | 'RxChangeRequest';
  medicationRequestId: string;
  patientId: string;
  practitionerId: string;
  pharmacyOrgId?: string;
  pharmacyName: string;
  changeCode?: string;
  requestedDescription?: string;
}): fhir4.Task {
  const renewal = o.kind === 'RxRenewalRequest';
  return {
    resourceType: 'Task',
    identifier: [{ system: MESSAGE_ID_SYSTEM, value: o.messageId }],
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: {
      coding: [
        {
          system: TASK_TYPE_SYSTEM,
          code: renewal ? 'erx-renewal-request' : 'erx-change-request',
          display: renewal ? 'Prescription renewal request' : 'Prescription change request',
        },
      ],
    },
    description: renewal
      ? `Renewal requested by ${o.pharmacyName}`
      : `Change (${o.changeCode ?? '?'}) requested by ${o.pharmacyName}${o.requestedDescription ? `: ${o.requestedDescription}` : ''}`,
    focus: { reference: `MedicationRequest/${o.medicationRequestId}` },
    for: { reference: `Patient/${o.patientId}` },
    owner: { reference: `Practitioner/${o.practitionerId}` },
    requester: o.pharmacyOrgId ? { reference: `Organization/${o.pharmacyOrgId}` } : { display: o.pharmacyName },
    authoredOn: new Date().toISOString(),
    ...(o.changeCode ? { input: [{ type: { text: 'MessageRequestCode' }, valueString: o.changeCode }] } : {}),
  };
}

export function taskCode(t: fhir4.Task): string | undefined {
  return t.code?.coding?.find((c) => c.system === TASK_TYPE_SYSTEM)?.code;
}
export const refId = (ref: string | undefined, type: string): string | undefined =>
  ref?.startsWith(`${type}/`) ? ref.slice(type.length + 1).split('/')[0] : undefined;
