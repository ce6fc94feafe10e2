import type { PoolClient } from 'pg';
import type { AppDeps } from '../../core/deps';
import type { DomainEvent } from '../../core/events/events';
import type { QueueChange, QueueChangedMessage, QueueStatus } from '@wintehr/contracts';

export const QUEUE_EVENT = 'pharmacy.queue.changed' as const;
export const SOCKET_QUEUE_MESSAGE = 'pharmacy:queue';
export const pharmacyRoom = (orgId: string) => `pharmacy:${orgId}`;

/**
 * Queues pharmacy.queue.changed in the outbox; with a transaction client it commits with the state change,
 * so a rolled-back dispense never announces itself.
 */
export async function publishQueueChanged(
  deps: Pick<AppDeps, 'events'>,
  e: {
    orgId: string;
    medicationRequestId: string;
    patientId?: string;
    status: QueueStatus;
    change: QueueChange;
    actorUserId?: string;
  },
  tx?: PoolClient,
): Promise<void> {
  await deps.events.publish(
    {
      type: QUEUE_EVENT,
      resourceType: 'MedicationRequest',
      resourceId: e.medicationRequestId,
      ...(e.patientId ? { patientId: e.patientId } : {}),
      ...(e.actorUserId ? { actorUserId: e.actorUserId } : {}),
      data: { pharmacyOrgId: e.orgId, status: e.status, change: e.change },
    },
    tx,
  );
}

/** The room and message for a queue event; undefined for anything malformed. */
export function queueMessageOf(event: DomainEvent): { room: string; message: QueueChangedMessage } | undefined {
  const org = event.data?.pharmacyOrgId;
  const status = event.data?.status;
  const change = event.data?.change;
  if (
    event.type !== QUEUE_EVENT ||
    typeof org !== 'string' ||
    typeof status !== 'string' ||
    typeof change !== 'string' ||
    !event.resourceId
  )
    return undefined;
  return {
    room: pharmacyRoom(org),
    message: {
      eventId: event.id,
      medicationRequestId: event.resourceId,
      ...(event.patientId ? { patientId: event.patientId } : {}),
      status: status as QueueStatus,
      change: change as QueueChange,
      ...(event.actorUserId ? { actorUserId: event.actorUserId } : {}),
      occurredAt: event.occurredAt,
    },
  };
}
