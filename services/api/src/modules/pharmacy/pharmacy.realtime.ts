import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import type { Emitter, RealtimeChannel } from '../../core/realtime';
import type { DomainEvent } from '../../core/events/events';
import { isInHousePharmacy } from './pharmacist';
import { pharmacyRoom, publishQueueChanged, QUEUE_EVENT, queueMessageOf, SOCKET_QUEUE_MESSAGE } from './queue-events';
import { queueRepository } from './queue.repository';
import { queueItemFromRequest } from './queue-view';

/** The pharmacy's part of the real-time layer (core/realtime calls these; it knows no pharmacy rules itself). */

/** Rooms a connecting user joins: a pharmacist joins its pharmacy's room. */
export async function pharmacyRoomsFor(deps: Pick<AppDeps, 'pg'>, principal: Principal): Promise<string[]> {
  if (principal.role !== 'pharmacist') return [];
  const { rows } = await deps.pg.query<{ pharmacy_org_id: string | null }>(
    'SELECT pharmacy_org_id FROM users WHERE id = $1',
    [principal.userId],
  );
  const org = rows[0]?.pharmacy_org_id;
  return org ? [pharmacyRoom(org)] : [];
}

/** The domain events handlePharmacyEvent acts on (others are not even claimed). */
export const PHARMACY_EVENT_TYPES: ReadonlySet<DomainEvent['type']> = new Set([QUEUE_EVENT, 'medications.prescribed']);

/**
 * Handles one domain event (called on exactly one API instance per event): queue changes go to the pharmacy's
 * room; a new prescription for an in-house pharmacy enters the queue at once (instead of on the next queue read).
 */
export async function handlePharmacyEvent(deps: AppDeps, event: DomainEvent, out: Emitter): Promise<void> {
  if (event.type === QUEUE_EVENT) {
    const m = queueMessageOf(event);
    if (m) out.emit(m.room, SOCKET_QUEUE_MESSAGE, m.message);
    return;
  }
  if (event.type === 'medications.prescribed') {
    const orgId = event.data?.pharmacyId;
    if (typeof orgId !== 'string' || !event.resourceId || !(await isInHousePharmacy(deps, orgId))) return;
    const mr = await deps.fhir.read('MedicationRequest', event.resourceId);
    const item = queueItemFromRequest(mr, orgId);
    if (!item) return;
    const added = await queueRepository.insertNew(deps.pg, [item]);
    if (added.length)
      await publishQueueChanged(deps, {
        orgId,
        medicationRequestId: item.medicationRequestId,
        patientId: item.patientId,
        status: 'queued',
        change: 'added',
      });
  }
}

/** The pharmacy module's real-time channel (its manifest hands it to core/realtime). */
export const pharmacyRealtime: RealtimeChannel = {
  eventTypes: PHARMACY_EVENT_TYPES,
  roomsFor: pharmacyRoomsFor,
  handle: handlePharmacyEvent,
};
