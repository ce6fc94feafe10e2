import { randomUUID } from 'node:crypto';
import type { VerifyDecision } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { AppError, conflict, notFound, ServiceUnavailableError } from '../../core/errors';
import type { FindingView } from '../drug-safety/drug-safety.service';
import { connectOrBusy } from './db-connect';
import { compensateByIdentifier, compensateCreate } from './hapi-compensation';
import type { Pharmacist } from './pharmacist';
import { requirePractitioner } from './pharmacist';
import { publishQueueChanged } from './queue-events';
import { queueRepository, type QueueItemRow } from './queue.repository';
import { screenPrescription } from './screening';
import { evaluateDecisions } from './verify-decisions';

export const RETURN_ID_SYSTEM = 'urn:wintehr:pharmacy-return';

/** The queue row of this pharmacy, or 404 (an item of another pharmacy is not revealed). */
export async function itemOfPharmacy(
  deps: Pick<AppDeps, 'pg'>,
  ph: Pharmacist,
  medicationRequestId: string,
): Promise<QueueItemRow> {
  const item = await queueRepository.get(deps.pg, medicationRequestId);
  if (!item || item.pharmacyOrgId !== ph.orgId) throw notFound('PharmacyQueueItem', medicationRequestId);
  return item;
}

function closedConflict(item: QueueItemRow): AppError | undefined {
  if (item.status === 'dispensed')
    return conflict('This prescription has already been dispensed', {}, 'ALREADY_DISPENSED');
  if (item.status === 'returned') return conflict('This prescription was returned to the prescriber', {}, 'RETURNED');
  return undefined;
}

export async function claim(deps: AppDeps, ph: Pharmacist, item: QueueItemRow): Promise<QueueItemRow> {
  const closed = closedConflict(item);
  if (closed) throw closed;
  const row = await queueRepository.claim(deps.pg, item.medicationRequestId, ph.userId);
  if (!row) {
    const now = await queueRepository.get(deps.pg, item.medicationRequestId);
    const again = now && closedConflict(now);
    if (again) throw again;
    throw conflict(
      'Another pharmacist has claimed this prescription',
      { claimedBy: now?.claimedBy, claimedAt: now?.claimedAt },
      'CLAIMED_BY_OTHER',
    );
  }
  if (item.claimedBy !== ph.userId) {
    await publishQueueChanged(deps, {
      orgId: ph.orgId,
      medicationRequestId: row.medicationRequestId,
      patientId: row.patientId,
      status: row.status,
      change: 'claimed',
      actorUserId: ph.userId,
    });
  }
  return row;
}

export async function release(deps: AppDeps, ph: Pharmacist, item: QueueItemRow): Promise<QueueItemRow> {
  const row = await queueRepository.release(deps.pg, item.medicationRequestId, ph.userId);
  if (!row) throw conflict('You do not hold this prescription', { claimedBy: item.claimedBy }, 'NOT_CLAIMED');
  await publishQueueChanged(deps, {
    orgId: ph.orgId,
    medicationRequestId: row.medicationRequestId,
    patientId: row.patientId,
    status: row.status,
    change: 'released',
    actorUserId: ph.userId,
  });
  return row;
}

function requireHolder(item: QueueItemRow, ph: Pharmacist): void {
  const closed = closedConflict(item);
  if (closed) throw closed;
  if (item.claimedBy !== ph.userId) {
    throw conflict(
      item.claimedBy ? 'Another pharmacist has claimed this prescription' : 'Claim the prescription first',
      { claimedBy: item.claimedBy },
      item.claimedBy ? 'CLAIMED_BY_OTHER' : 'NOT_CLAIMED',
    );
  }
}

export interface VerifyResult {
  item: QueueItemRow;
  verified: boolean;
  findings: FindingView[];
}

/**
 * Re-screens the prescription against the chart as it is now and records the pharmacist's decision on each
 * finding. Decisions for findings that are gone, or missing ones, are refused (409 with the current findings,
 * so the screen can show them); a "contact prescriber" decision keeps the item claimed but unverified.
 */
export async function verify(
  deps: AppDeps,
  ph: Pharmacist,
  item: QueueItemRow,
  mr: fhir4.MedicationRequest,
  decisions: VerifyDecision[],
  now = new Date(),
): Promise<VerifyResult> {
  requireHolder(item, ph);
  if (mr.status !== 'active')
    throw conflict(`The prescription is ${mr.status}`, { status: mr.status }, 'PRESCRIPTION_NOT_ACTIVE');
  const findings = await screenPrescription(deps, mr, item.patientId, now);
  const ev = evaluateDecisions(findings, decisions, ph.userId, now.toISOString());
  if (!ev.ok) throw conflict(ev.message, { findingIds: ev.findingIds, findings }, ev.code);
  const row = await queueRepository.recordVerification(
    deps.pg,
    item.medicationRequestId,
    ph.userId,
    ev.decisions,
    ev.verified,
  );
  if (!row) throw conflict('The prescription changed while verifying; reload it', {}, 'QUEUE_ITEM_CHANGED');
  await publishQueueChanged(deps, {
    orgId: ph.orgId,
    medicationRequestId: row.medicationRequestId,
    patientId: row.patientId,
    status: row.status,
    change: 'verified',
    actorUserId: ph.userId,
  });
  return { item: row, verified: ev.verified, findings };
}

export interface ReturnResult {
  item: QueueItemRow;
  medicationRequest: fhir4.MedicationRequest;
  communication: fhir4.Communication;
}

/**
 * Return to the prescriber: the MedicationRequest goes on-hold with the reason, the prescriber receives a
 * Communication about it, the queue row becomes `returned`. Same pattern as the dispense: PostgreSQL row lock
 * and changes first, HAPI writes inside the open transaction, compensation (restore the prescription, delete the
 * Communication) if anything after the HAPI writes fails.
 */
export async function returnToPrescriber(
  deps: AppDeps,
  ph: Pharmacist,
  mr: fhir4.MedicationRequest,
  body: { reason: string; reasonCode: string },
  now = new Date(),
): Promise<ReturnResult> {
  const practitionerId = requirePractitioner(ph);
  const client = await connectOrBusy(deps);
  let broken: Error | undefined;
  let updated: fhir4.MedicationRequest | undefined;
  let communication: fhir4.Communication | undefined;
  const returnId = randomUUID();
  const pharmacist = { reference: `Practitioner/${practitionerId}` };
  try {
    await client.query('BEGIN');
    const item = await queueRepository.get(client, mr.id!, { forUpdate: true });
    if (!item || item.pharmacyOrgId !== ph.orgId) throw notFound('PharmacyQueueItem', mr.id!);
    requireHolder(item, ph);
    if (item.status === 'partially_dispensed')
      throw conflict('Part of this prescription has been dispensed; it cannot be returned', {}, 'PARTIALLY_DISPENSED');
    if (mr.status !== 'active')
      throw conflict(`The prescription is ${mr.status}`, { status: mr.status }, 'PRESCRIPTION_NOT_ACTIVE');
    await queueRepository.markReturned(client, item.medicationRequestId);
    await publishQueueChanged(
      deps,
      {
        orgId: ph.orgId,
        medicationRequestId: item.medicationRequestId,
        patientId: item.patientId,
        status: 'returned',
        change: 'returned',
        actorUserId: ph.userId,
      },
      client,
    );

    const at = now.toISOString();
    updated = await deps.fhir.update<fhir4.MedicationRequest>(
      {
        ...mr,
        status: 'on-hold',
        statusReason: {
          coding: [{ system: 'http://wintehr.dev/fhir/CodeSystem/pharmacy-return-reason', code: body.reasonCode }],
          text: body.reason,
        },
        note: [
          ...(mr.note ?? []),
          { text: `Returned by the pharmacy: ${body.reason}`, time: at, authorReference: pharmacist },
        ],
      },
      mr.meta?.versionId ? { ifMatch: mr.meta.versionId } : {},
    );
    const requester = mr.requester?.reference;
    try {
      communication = await deps.fhir.create<fhir4.Communication>(
        {
          resourceType: 'Communication',
          identifier: [{ system: RETURN_ID_SYSTEM, value: returnId }],
          status: 'completed',
          category: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' },
              ],
              text: 'Prescription returned by pharmacy',
            },
          ],
          priority: 'urgent',
          subject: { reference: `Patient/${item.patientId}` },
          about: [{ reference: `MedicationRequest/${mr.id}` }],
          ...(requester ? { recipient: [{ reference: requester }] } : {}),
          sender: pharmacist,
          sent: at,
          reasonCode: [
            {
              coding: [{ system: 'http://wintehr.dev/fhir/CodeSystem/pharmacy-return-reason', code: body.reasonCode }],
            },
          ],
          payload: [{ contentString: `The pharmacy returned this prescription: ${body.reason}` }],
        },
        { ifNoneExist: `identifier=${RETURN_ID_SYSTEM}|${returnId}` },
      );
    } catch (err) {
      await compensateByIdentifier(deps, 'Communication', RETURN_ID_SYSTEM, returnId);
      throw err;
    }
    try {
      await client.query('COMMIT');
    } catch (err) {
      broken = err as Error;
      throw new ServiceUnavailableError(
        'RETURN_NOT_RECORDED',
        'The return could not be recorded; the prescription is unchanged. Try again.',
      );
    }
    return { item: { ...item, status: 'returned', returnedAt: at }, medicationRequest: updated, communication };
  } catch (err) {
    if (!broken)
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
    // Undo whatever reached HAPI: the prescription back to active (its content as read), the message removed.
    if (communication) await compensateCreate(deps, communication);
    if (updated) {
      await deps.fhir
        .update<fhir4.MedicationRequest>({ ...mr, meta: undefined } as fhir4.MedicationRequest)
        .catch((e: Error) =>
          deps.logger.error(
            { err: { message: e.message }, medicationRequestId: mr.id },
            'pharmacy: could not restore the prescription after a failed return; reconcile by hand',
          ),
        );
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
