import type { AppDeps } from '../../core/deps';

/**
 * The prescriber's in-basket item for a returned prescription (issue 15): without it the drug only went on hold
 * and left the active list with nobody told. A Task of the shared task-type system, owned by the prescriber (the
 * physicians' pharmacy-returns pool when the order names none); the in-basket answers it.
 */
const TASK_TYPE_SYSTEM = 'urn:wintehr:task-type';
const POOL_SYSTEM = 'urn:wintehr:inbasket-pool';
export const RETURN_TASK_ID_SYSTEM = 'urn:wintehr:pharmacy-return-task';

/** Pure. `returnKey` (the return's Communication id) makes the create idempotent. */
export function returnTask(o: {
  mr: fhir4.MedicationRequest;
  patientId: string;
  pharmacistPractitionerId: string;
  reason: string;
  reasonCode: string;
  returnKey: string;
  now: Date;
}): fhir4.Task {
  const prescriber = o.mr.requester?.reference?.startsWith('Practitioner/') ? o.mr.requester.reference : undefined;
  return {
    resourceType: 'Task',
    identifier: [{ system: RETURN_TASK_ID_SYSTEM, value: o.returnKey }],
    status: 'requested',
    intent: 'order',
    priority: 'urgent',
    code: {
      coding: [{ system: TASK_TYPE_SYSTEM, code: 'pharmacy-return', display: 'Prescription returned by pharmacy' }],
    },
    description: `Returned by the pharmacy: ${o.reason}`,
    statusReason: {
      coding: [{ system: 'http://wintehr.dev/fhir/CodeSystem/pharmacy-return-reason', code: o.reasonCode }],
      text: o.reason,
    },
    focus: { reference: `MedicationRequest/${o.mr.id}` },
    for: { reference: `Patient/${o.patientId}` },
    requester: { reference: `Practitioner/${o.pharmacistPractitionerId}` },
    ...(prescriber
      ? { owner: { reference: prescriber } }
      : { performerType: [{ coding: [{ system: POOL_SYSTEM, code: 'pharmacy-returns' }], text: 'pharmacy-returns' }] }),
    authoredOn: o.now.toISOString(),
    input: [{ type: { text: 'reason' }, valueString: o.reason }],
  };
}

/**
 * Files the Task after the return committed. The return itself stands whatever happens here (the prescription is
 * on hold and the Communication sent), so a failure is logged for follow-up rather than undoing the return.
 */
export async function raiseReturnTask(
  deps: Pick<AppDeps, 'fhir' | 'events' | 'logger'>,
  o: Parameters<typeof returnTask>[0] & { actorUserId: string },
): Promise<string | undefined> {
  try {
    const task = await deps.fhir.create(returnTask(o), {
      ifNoneExist: `identifier=${RETURN_TASK_ID_SYSTEM}|${o.returnKey}`,
    });
    const owner = task.owner?.reference?.split('/')[1];
    await deps.events.publish({
      type: 'inbox.item.created',
      patientId: o.patientId,
      resourceType: 'Task',
      resourceId: task.id,
      actorUserId: o.actorUserId,
      data: {
        kind: 'pharmacy-return',
        medicationRequestId: o.mr.id ?? null,
        ...(owner ? { ownerPractitionerId: owner } : { pool: 'pharmacy-returns' }),
      },
    });
    return task.id;
  } catch (err) {
    deps.logger.error(
      { err: { message: (err as Error).message }, medicationRequestId: o.mr.id },
      'pharmacy: return recorded but its in-basket Task was not filed',
    );
    return undefined;
  }
}
