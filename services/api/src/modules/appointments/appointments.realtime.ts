import { APPOINTMENT_SOCKET_MESSAGES, hasPermission, type AppointmentChanged } from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import type { DomainEvent } from '../../core/events/events';
import type { Emitter, RealtimeChannel } from '../../core/realtime';

/**
 * Live schedule for the practice: when a patient books, cancels or reschedules, every clinician who keeps a
 * schedule (physicians and nurses with a Practitioner) is told which appointment changed, and re-reads their day.
 * Ids only on the socket: the schedule itself is read through the API, with its access checks and audit.
 */
export const PRACTICE_ROOM = 'schedule:practice';

const CHANGE: Partial<Record<DomainEvent['type'], AppointmentChanged['change']>> = {
  'appointment.booked': 'booked',
  'appointment.cancelled': 'cancelled',
  'appointment.rescheduled': 'rescheduled',
};

export async function appointmentRoomsFor(_deps: AppDeps, principal: Principal): Promise<string[]> {
  return principal.practitionerId && hasPermission(principal.role, 'patient:write') ? [PRACTICE_ROOM] : [];
}

/** The socket message an event becomes, or none. Pure. */
export function appointmentMessage(event: DomainEvent): { name: string; payload: AppointmentChanged } | undefined {
  const change = CHANGE[event.type];
  if (!change || !event.resourceId) return undefined;
  return { name: APPOINTMENT_SOCKET_MESSAGES[change], payload: { appointmentId: event.resourceId, change } };
}

export const appointmentsRealtime: RealtimeChannel = {
  eventTypes: new Set(Object.keys(CHANGE) as DomainEvent['type'][]),
  roomsFor: appointmentRoomsFor,
  async handle(_deps: AppDeps, event: DomainEvent, out: Emitter) {
    const m = appointmentMessage(event);
    if (m) out.emit(PRACTICE_ROOM, m.name, m.payload);
  },
};
