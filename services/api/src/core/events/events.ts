import type { Pool, PoolClient } from 'pg';

/** The events other parts subscribe to; new modules add theirs here so subscribers see one list. */
export type DomainEventType =
  | 'medications.prescribed'
  | 'medications.discontinued'
  | 'orders.placed'
  | 'orders.cancelled'
  | 'results.received'
  | 'results.critical'
  | 'results.acknowledged'
  | 'results.escalated'
  | 'notes.signed'
  | 'pharmacy.queue.changed'
  | 'erx.status.changed'
  | 'inbox.item.created'
  | 'inbox.item.closed'
  | 'appointment.booked'
  | 'appointment.cancelled'
  | 'appointment.rescheduled';

export interface DomainEvent {
  /** Outbox id: increasing, so consumers can de-duplicate and order. */
  id: string;
  type: DomainEventType;
  occurredAt: string;
  /** Ids only, never PHI text: events travel through Redis and reach browsers. */
  patientId?: string;
  resourceType?: string;
  resourceId?: string;
  actorUserId?: string;
  data?: Record<string, string | number | boolean | null | string[]>;
}

export type NewDomainEvent = Omit<DomainEvent, 'id' | 'occurredAt'>;

export interface EventPublisher {
  /**
   * Queues an event in the PostgreSQL outbox. Pass the transaction's client to commit it with the state change;
   * without one it is its own statement. Never touches Redis, so a Redis outage cannot fail the caller.
   */
  publish(event: NewDomainEvent, db?: Pool | PoolClient): Promise<void>;
}

/**
 * Redis pub/sub channels are server-wide, not per database: the channel carries the database number so two
 * stacks on one Redis (a dev stack on db 0, the tests on db 1) never hear each other's events.
 */
export const eventsChannel = (db: number | undefined): string => `wintehr:db${db ?? 0}:events`;
export const EVENTS_STREAM = 'wintehr:events:stream';

export function createEventPublisher(pg: Pool, onPublished?: () => void): EventPublisher {
  return {
    async publish(event, db = pg) {
      await db.query('INSERT INTO event_outbox (type, payload) VALUES ($1, $2)', [event.type, JSON.stringify(event)]);
      onPublished?.();
    },
  };
}
