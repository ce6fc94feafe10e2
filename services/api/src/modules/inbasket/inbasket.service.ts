import type { Request, Response } from 'express';
import {
  INBASKET_KINDS,
  STAFF_ROLES,
  type InbasketActionBody,
  type InbasketActionResult,
  type InbasketCounts,
  type InbasketItem,
  type InbasketKind,
} from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, conflict, forbidden, notFound } from '../../core/errors';
import { readOr404 } from '../../core/fhir/fhir-kit';
import { requirePatientAccess, type PhiAccess } from '../../core/http/phi-guard';
import { cosignNote } from '../documentation/cosign';
import { respondToRequest, sendNewRx } from '../eprescribing/erx.service';
import { publishQuietly, requesterOf } from '../medications/clinical-helpers';
import { discontinued } from '../medications/medication-request';
import { changeOrder } from '../medications/order-change.service';
import { acknowledgeResult } from '../results/acknowledge';
import type { ResultEscalation } from '../results/escalation';
import { checkAction, isAddressedTo, poolOfTask } from './action-policy';
import { criticalToItem, refId, sortItems, taskToItem } from './item-mapping';
import { openCriticalAlerts, openTasks, patientNames } from './inbasket.repository';
import { INBASKET_TASK_CODES, kindOfTask, parseItemId, TASK_CODE_BY_KIND } from './kinds';
import { answeredTask } from './portal-tasks';

interface Call {
  req: Request;
  res: Response;
  principal: Principal;
}

/**
 * The results module's escalation jobs re-read the alert and stop once it is acknowledged, so an acknowledgement
 * from the in-basket needs no handle on that queue: the pending job becomes a no-op instead of being removed.
 */
const ESCALATION_SELF_CANCELS: ResultEscalation = {
  schedule: async () => undefined,
  cancel: async () => undefined,
  close: async () => undefined,
};

function requireStaff(principal: Principal): void {
  if (!STAFF_ROLES.includes(principal.role))
    throw forbidden('The in-basket is for clinical staff; patients use the portal', { role: principal.role });
}

/** Every open item addressed to the user or the user's pools, optionally of one kind. */
export async function listItems(deps: AppDeps, principal: Principal, kind?: InbasketKind): Promise<InbasketItem[]> {
  requireStaff(principal);
  const code = kind ? TASK_CODE_BY_KIND[kind] : undefined;
  const wantTasks = !kind || code !== undefined;
  const wantCritical = (!kind || kind === 'critical-result') && principal.role !== 'pharmacist';
  const [open, alerts] = await Promise.all([
    wantTasks ? openTasks(deps, principal, code ? [code] : INBASKET_TASK_CODES) : undefined,
    wantCritical ? openCriticalAlerts(deps, principal) : [],
  ]);
  const tasks = open?.tasks ?? [];
  const related = open?.related ?? new Map<string, fhir4.Resource>();
  const ids = [
    ...tasks.map((t) => refId(t.for?.reference, 'Patient')).filter((x): x is string => !!x),
    ...alerts.map((a) => a.patientId),
  ];
  const names = await patientNames(deps, ids, related);
  const ctx = { role: principal.role, related, patientNames: names };
  const now = new Date();
  return sortItems([
    ...tasks.map((t) => taskToItem(t, ctx)).filter((x): x is InbasketItem => !!x),
    ...alerts.map((a) => criticalToItem(a, ctx, now)),
  ]);
}

export function countItems(items: readonly InbasketItem[]): InbasketCounts {
  const byKind = Object.fromEntries(INBASKET_KINDS.map((k) => [k, 0])) as Record<InbasketKind, number>;
  for (const i of items) byKind[i.kind] += 1;
  return { total: items.length, byKind };
}

const closedWord = (status: fhir4.Task['status']) =>
  status === 'rejected' ? 'denied' : status === 'cancelled' ? 'cancelled' : 'completed';

/** One answer to one item, dispatched to the workflow that owns it. */
export async function act(
  deps: AppDeps,
  call: Call,
  itemId: string,
  body: InbasketActionBody,
): Promise<InbasketActionResult> {
  requireStaff(call.principal);
  const { source, id } = parseItemId(itemId);
  if (source === 'result') {
    guard('critical-result', body, call.principal);
    // acknowledgeResult checks patient access (and audits) itself, and refuses a second acknowledgement (409).
    await acknowledgeResult(deps, ESCALATION_SELF_CANCELS, call, id);
    return { itemId, action: body.action, status: 'closed', resources: [`DiagnosticReport/${id}`], erxMessageId: null };
  }

  const task = await readOr404(deps, 'Task', id);
  const kind = kindOfTask(task);
  if (!kind) throw notFound('InbasketItem', itemId);
  guard(kind, body, call.principal);
  if (!isAddressedTo(task, call.principal))
    throw forbidden('This item is addressed to someone else', { owner: task.owner?.reference ?? null });
  if (task.status !== 'requested')
    throw conflict(
      `This item was already ${closedWord(task.status)}; nothing to do`,
      { status: task.status },
      'INBASKET_ITEM_CLOSED',
    );
  const patientId = refId(task.for?.reference, 'Patient');
  if (!patientId) throw conflict('This item names no patient', {}, 'INVALID_STATE');
  const phi = await requirePatientAccess(deps, call, patientId, {
    action: `inbasket.${kind}.${body.action}`,
    resourceType: 'Task',
    resourceId: task.id,
  });
  const out = await dispatch(deps, call, { task, kind, patientId, body, phi });
  phi.note({ kind, action: body.action, resources: out.resources, erxMessageId: out.erxMessageId });
  await publishQuietly(deps, {
    type: 'inbox.item.closed',
    patientId,
    resourceType: 'Task',
    resourceId: task.id,
    actorUserId: call.principal.userId,
    data: { kind, action: body.action, ...addressee(task) },
  });
  return { itemId, action: body.action, status: 'closed', ...out };
}

/** Where the item was addressed, for the real-time channel (ids only). */
export function addressee(task: fhir4.Task): Record<string, string> {
  const owner = refId(task.owner?.reference, 'Practitioner');
  const pool = poolOfTask(task);
  return { ...(owner ? { ownerPractitionerId: owner } : {}), ...(pool ? { pool } : {}) };
}

function guard(kind: InbasketKind, body: InbasketActionBody, principal: Principal): void {
  const c = checkAction(kind, body.action, principal.role);
  if (!c.ok)
    throw c.status === 400
      ? new AppError(400, 'ACTION_NOT_AVAILABLE', c.message, { kind, action: body.action })
      : forbidden(c.message, { kind, action: body.action });
}

interface Dispatch {
  task: fhir4.Task;
  kind: InbasketKind;
  patientId: string;
  body: InbasketActionBody;
  phi: PhiAccess;
}
type Outcome = Pick<InbasketActionResult, 'resources' | 'erxMessageId'>;

async function closeTask(
  deps: AppDeps,
  principal: Principal,
  task: fhir4.Task,
  o: { status: 'completed' | 'rejected'; answer?: string; outputs?: string[] },
): Promise<void> {
  const by = principal.practitionerId
    ? { reference: `Practitioner/${principal.practitionerId}` }
    : { display: principal.username };
  // If-Match on the version read: of two clinicians answering at once, the second gets a 409.
  await deps.fhir
    .update(
      answeredTask(task, { ...o, by, now: new Date() }),
      task.meta?.versionId ? { ifMatch: task.meta.versionId } : {},
    )
    .catch((err: unknown) => {
      if (err instanceof AppError && (err.status === 409 || err.status === 412))
        throw conflict('Someone else answered this item meanwhile', {}, 'INBASKET_ITEM_CLOSED');
      throw err;
    });
}

async function focusedPrescription(deps: AppDeps, task: fhir4.Task): Promise<fhir4.MedicationRequest> {
  const mrId = refId(task.focus?.reference, 'MedicationRequest');
  if (!mrId) throw conflict('This item names no prescription', {}, 'INVALID_STATE');
  return readOr404(deps, 'MedicationRequest', mrId);
}

/**
 * A renewal through the medications module (the same screening, single-transaction replacement and events as the
 * chart's Renew), on the version of the order this item was read with.
 */
async function renew(
  deps: AppDeps,
  call: Call,
  mr: fhir4.MedicationRequest,
  note: string | undefined,
): Promise<fhir4.MedicationRequest & { id: string }> {
  const out = await changeOrder(deps, call, mr.id!, {
    kind: 'renew',
    body: { ifMatch: mr.meta?.versionId, ...(note ? { note } : {}) },
  });
  return out.medicationRequest;
}

async function dispatch(deps: AppDeps, call: Call, d: Dispatch): Promise<Outcome> {
  const { task, body, principal } = { ...d, principal: call.principal };
  const none: Outcome = { resources: [], erxMessageId: null };
  switch (d.kind) {
    case 'erx-renewal':
    case 'erx-change': {
      const r = await respondToRequest(deps, {
        task,
        principal,
        decision: body.action === 'approve' ? 'approve' : 'deny',
        // SCRIPT's note field holds 210 characters.
        note: body.action === 'approve' ? body.note : body.action === 'deny' ? body.reason.slice(0, 210) : undefined,
        reasonCode: body.action === 'deny' ? body.reasonCode : undefined,
      });
      return { resources: [], erxMessageId: r.messageId };
    }
    case 'pharmacy-return': {
      if (body.action === 'acknowledge') {
        await closeTask(deps, principal, task, { status: 'completed', answer: body.note });
        return none;
      }
      const mr = await focusedPrescription(deps, task);
      if (body.action === 'discontinue') {
        if (mr.status !== 'on-hold' && mr.status !== 'active')
          throw conflict(`The prescription is ${mr.status}`, { status: mr.status }, 'INVALID_STATE');
        const updated = await deps.fhir.update(
          discontinued(mr, { reason: body.reason, by: requesterOf(principal), now: new Date() }),
          mr.meta?.versionId ? { ifMatch: mr.meta.versionId } : {},
        );
        await publishQuietly(deps, {
          type: 'medications.discontinued',
          patientId: d.patientId,
          resourceType: 'MedicationRequest',
          resourceId: mr.id,
          actorUserId: principal.userId,
          data: {},
        });
        await closeTask(deps, principal, task, {
          status: 'completed',
          answer: `Discontinued: ${body.reason}`,
          outputs: [`MedicationRequest/${updated.id}`],
        });
        return { resources: [`MedicationRequest/${updated.id}`], erxMessageId: null };
      }
      // resend: a new order replaces the returned one and enters the pharmacy's queue again.
      const renewed = await renew(deps, call, mr, body.action === 'resend' ? body.note : undefined);
      await closeTask(deps, principal, task, {
        status: 'completed',
        answer: 'Re-sent',
        outputs: [`MedicationRequest/${renewed.id}`],
      });
      return { resources: [`MedicationRequest/${renewed.id}`], erxMessageId: null };
    }
    case 'refill-request': {
      if (body.action === 'deny') {
        await closeTask(deps, principal, task, { status: 'rejected', answer: body.reason });
        return none;
      }
      const mr = await focusedPrescription(deps, task);
      if (mr.status !== 'active')
        throw conflict(
          `The prescription is ${mr.status}; prescribe anew from the chart`,
          { status: mr.status },
          'INVALID_STATE',
        );
      const renewed = await renew(deps, call, mr, body.action === 'approve' ? body.note : undefined);
      await closeTask(deps, principal, task, {
        status: 'completed',
        answer:
          body.action === 'approve' && body.note ? body.note : 'Approved: a new prescription was sent to your pharmacy',
        outputs: [`MedicationRequest/${renewed.id}`],
      });
      const sent = await sendNewRx(deps, { mr: renewed, patientId: d.patientId, principal });
      return { resources: [`MedicationRequest/${renewed.id}`], erxMessageId: sent.messageId };
    }
    case 'patient-message': {
      if (body.action === 'complete') {
        await closeTask(deps, principal, task, { status: 'completed', answer: body.note });
        return none;
      }
      if (body.action !== 'reply') return none;
      const sender = requesterOf(principal);
      const reply = await deps.fhir.create<fhir4.Communication>({
        resourceType: 'Communication',
        status: 'completed',
        category: [{ coding: [{ system: 'urn:wintehr:communication-category', code: 'patient-message' }] }],
        subject: { reference: `Patient/${d.patientId}` },
        ...(task.focus?.reference ? { inResponseTo: [{ reference: task.focus.reference }] } : {}),
        sender,
        recipient: [{ reference: `Patient/${d.patientId}` }],
        sent: new Date().toISOString(),
        payload: [{ contentString: body.text }],
      });
      await closeTask(deps, principal, task, {
        status: 'completed',
        answer: body.text,
        outputs: [`Communication/${reply.id}`],
      });
      return { resources: [`Communication/${reply.id}`], erxMessageId: null };
    }
    case 'note-cosign': {
      const docId = refId(task.focus?.reference, 'DocumentReference');
      if (!docId) throw conflict('This item names no note', {}, 'INVALID_STATE');
      const { provenanceId } = await cosignNote(deps, principal, docId);
      await closeTask(deps, principal, task, {
        status: 'completed',
        outputs: provenanceId ? [`Provenance/${provenanceId}`] : [],
      });
      return {
        resources: [`DocumentReference/${docId}`, ...(provenanceId ? [`Provenance/${provenanceId}`] : [])],
        erxMessageId: null,
      };
    }
    case 'critical-result':
      throw new AppError(400, 'ACTION_NOT_AVAILABLE', 'A critical result is acknowledged through its result item');
  }
}
