import type { Request, Response } from 'express';
import type { PortalMessageBody, PortalRefillBody, PortalRequest } from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { withAdvisoryLock } from '../../core/db/transaction';
import { conflict, forbidden } from '../../core/errors';
import { parseReference, readOr404 } from '../../core/fhir/fhir-kit';
import { requirePatientAccess } from '../../core/http/phi-guard';
import { publishQuietly } from '../medications/clinical-helpers';
import { drugName, refId } from './item-mapping';
import { TASK_TYPE_SYSTEM } from './kinds';
import type { AcceptedAttachment } from './attachments';
import { messageTransaction } from './message-bundle';
import { portalRequestView, refillTask, type Addressee } from './portal-tasks';

interface Call {
  req: Request;
  res: Response;
  principal: Principal;
}

/**
 * A proxy filing for the patient: their RelatedPerson is the sender. `ownOnly`: a proxy of a 12–17 year old sees only
 * what they filed themselves, not the adolescent's own messages to the care team.
 */
export interface ProxyFiling {
  sender?: string;
  ownOnly?: boolean;
}

/** The portal is the patient's own: other roles answer requests in the in-basket instead of filing them. */
function ownPatient(principal: Principal): string {
  if (principal.role !== 'patient' || !principal.patientId)
    throw forbidden('Only a patient can send requests from the portal', { role: principal.role });
  return principal.patientId;
}

/**
 * The patient's primary practitioner: Patient.generalPractitioner, else a practitioner of an active care team, else
 * the physician most recently assigned to the patient (how this practice records who looks after whom).
 */
async function primaryPractitioner(deps: AppDeps, patient: fhir4.Patient): Promise<string | undefined> {
  const gp = patient.generalPractitioner?.map((r) => refId(r.reference, 'Practitioner')).find(Boolean);
  if (gp) return gp;
  const teams = await deps.fhir.searchResources('CareTeam', {
    patient: `Patient/${patient.id}`,
    status: 'active',
    _count: '10',
  });
  const member = teams
    .flatMap((t) => t.participant ?? [])
    .map((p) => refId(p.member?.reference, 'Practitioner'))
    .find((x): x is string => !!x);
  if (member) return member;
  const { rows } = await deps.pg.query<{ practitioner_id: string }>(
    `SELECT u.fhir_practitioner_id AS practitioner_id FROM patient_assignments a JOIN users u ON u.id = a.user_id
      WHERE a.patient_id = $1 AND u.role = 'physician' AND NOT u.disabled AND u.fhir_practitioner_id IS NOT NULL
        AND (a.expires_at IS NULL OR a.expires_at > now())
      ORDER BY a.created_at DESC LIMIT 1`,
    [patient.id],
  );
  return rows[0]?.practitioner_id;
}

async function announce(deps: AppDeps, principal: Principal, task: fhir4.Task, kind: string, to: Addressee) {
  await publishQuietly(deps, {
    type: 'inbox.item.created',
    patientId: refId(task.for?.reference, 'Patient'),
    resourceType: 'Task',
    resourceId: task.id,
    actorUserId: principal.userId,
    data: { kind, ...('practitionerId' in to ? { ownerPractitionerId: to.practitionerId } : { pool: to.pool }) },
  });
}

export async function sendMessage(
  deps: AppDeps,
  call: Call,
  body: PortalMessageBody,
  proxy: ProxyFiling = {},
  files: readonly AcceptedAttachment[] = [],
): Promise<PortalRequest> {
  const patientId = ownPatient(call.principal);
  const phi = await requirePatientAccess(deps, call, patientId, {
    action: 'portal.message.send',
    resourceType: 'Communication',
  });
  const patient = await readOr404(deps, 'Patient', patientId);
  const practitionerId = await primaryPractitioner(deps, patient);
  const to: Addressee = practitionerId ? { practitionerId } : { pool: 'nursing' };
  const tx = messageTransaction({
    patientId,
    to,
    subject: body.subject,
    text: body.text,
    now: new Date(),
    sender: proxy.sender,
    files,
  });
  const out = await deps.fhir.transaction(tx.bundle);
  // Answers come in request order: the Binaries, then the Communication, then the Task.
  const ids = (out.entry ?? []).map((e) => parseReference(e.response?.location)?.id);
  const binaryIds = ids.slice(0, files.length);
  const comm: fhir4.Communication = {
    ...tx.communication,
    id: ids[files.length],
    payload: (tx.communication.payload ?? []).map((p, i) =>
      p.contentAttachment ? { contentAttachment: { ...p.contentAttachment, url: `Binary/${binaryIds[i - 1]}` } } : p,
    ),
  };
  const task: fhir4.Task = {
    ...tx.task,
    id: ids[files.length + 1],
    focus: { reference: `Communication/${comm.id}` },
  };
  phi.setResource('Communication', comm.id);
  phi.note({
    taskId: task.id,
    addressedTo: 'practitionerId' in to ? 'practitioner' : 'pool',
    attachments: files.length,
    ...(files.length ? { binaryIds } : {}),
  });
  await announce(deps, call.principal, task, 'patient-message', to);
  return portalRequestView(task, new Map([[`Communication/${comm.id}`, comm]]));
}

export async function requestRefill(
  deps: AppDeps,
  call: Call,
  body: PortalRefillBody,
  proxy: ProxyFiling = {},
): Promise<PortalRequest> {
  ownPatient(call.principal);
  const mr = await readOr404(deps, 'MedicationRequest', body.medicationRequestId);
  const patientId = refId(mr.subject?.reference, 'Patient');
  if (!patientId) throw conflict('This prescription names no patient', {}, 'INVALID_STATE');
  // Another patient's prescription is refused (403) and the attempt audited, like any chart outside one's own.
  const phi = await requirePatientAccess(deps, call, patientId, {
    action: 'portal.refill.request',
    resourceType: 'MedicationRequest',
    resourceId: mr.id,
  });
  if (mr.status !== 'active')
    throw conflict(
      `Only an active prescription can be refilled (this one is ${mr.status}); send your clinician a message`,
      { status: mr.status },
      'NOT_REFILLABLE',
    );
  const prescriber = refId(mr.requester?.reference, 'Practitioner');
  const to: Addressee = prescriber ? { practitionerId: prescriber } : { pool: 'nursing' };
  // Check and create under one lock per prescription: two taps on "request refill" file one Task, on any instance.
  const task = await withAdvisoryLock(deps.pg, `inbasket.refill:${mr.id}`, async () => {
    const pending = await deps.fhir.searchResources('Task', {
      code: `${TASK_TYPE_SYSTEM}|refill-request`,
      focus: `MedicationRequest/${mr.id}`,
      status: 'requested',
      _count: '1',
    });
    if (pending.length)
      throw conflict('A refill of this prescription is already waiting for your clinician', {}, 'REFILL_PENDING');
    return deps.fhir.create(
      refillTask({
        patientId,
        medicationRequestId: mr.id!,
        drug: drugName(mr) ?? 'prescription',
        to,
        note: body.note,
        now: new Date(),
        sender: proxy.sender,
      }),
    );
  });
  phi.setResource('Task', task.id);
  await announce(deps, call.principal, task, 'refill-request', to);
  return portalRequestView(task, new Map());
}

/** The patient's messages and refill requests with their answers, newest first. */
export async function myRequests(deps: AppDeps, call: Call, proxy: ProxyFiling = {}): Promise<PortalRequest[]> {
  const patientId = ownPatient(call.principal);
  const phi = await requirePatientAccess(deps, call, patientId, {
    action: 'portal.requests.read',
    resourceType: 'Task',
  });
  const bundle = await deps.fhir.search('Task', {
    patient: `Patient/${patientId}`,
    code: [`${TASK_TYPE_SYSTEM}|patient-message`, `${TASK_TYPE_SYSTEM}|refill-request`].join(','),
    _include: 'Task:focus',
    _sort: '-_lastUpdated',
    _count: '100',
  });
  const related = new Map<string, fhir4.Resource>();
  const tasks: fhir4.Task[] = [];
  for (const e of bundle.entry ?? []) {
    const r = e.resource;
    if (!r?.id) continue;
    if (e.search?.mode !== 'include' && r.resourceType === 'Task') tasks.push(r);
    else related.set(`${r.resourceType}/${r.id}`, r);
  }
  const visible = proxy.ownOnly
    ? tasks.filter((t) => !!proxy.sender && t.requester?.reference === proxy.sender)
    : tasks;
  phi.note({ count: visible.length });
  return visible.map((t) => portalRequestView(t, related));
}
