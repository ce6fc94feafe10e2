import { INBASKET_SOCKET_MESSAGE, InbasketKind, STAFF_ROLES, type InbasketChanged } from '@wintehr/contracts';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import type { DomainEvent } from '../../core/events/events';
import type { Emitter, RealtimeChannel } from '../../core/realtime';
import { poolsOf } from './action-policy';

/** Live in-basket counts: a change tells the rooms it concerns to re-read their counts (no PHI on the socket). */

export const practitionerRoom = (id: string) => `inbasket:practitioner:${id}`;
export const poolRoom = (pool: string) => `inbasket:pool:${pool}`;
/** Critical-result events do not say whose worklist they touch; every clinician's counts are re-read. */
export const RESULTS_ROOM = 'inbasket:results';

export async function inbasketRoomsFor(_deps: AppDeps, principal: Principal): Promise<string[]> {
  if (!STAFF_ROLES.includes(principal.role) || principal.role === 'admin') return [];
  return [
    ...(principal.practitionerId ? [practitionerRoom(principal.practitionerId)] : []),
    ...poolsOf(principal.role).map(poolRoom),
    ...(principal.role === 'physician' || principal.role === 'nurse' ? [RESULTS_ROOM] : []),
  ];
}

/** Which rooms hear an event and what they are told. Pure. */
export function inbasketMessages(event: DomainEvent): { room: string; message: InbasketChanged }[] {
  if (event.type === 'results.critical' || event.type === 'results.acknowledged')
    return [
      {
        room: RESULTS_ROOM,
        message: { kind: 'critical-result', change: event.type === 'results.critical' ? 'created' : 'closed' },
      },
    ];
  if (event.type !== 'inbox.item.created' && event.type !== 'inbox.item.closed') return [];
  const change = event.type === 'inbox.item.created' ? 'created' : 'closed';
  const parsed = InbasketKind.safeParse(kindOfEvent(event.data?.kind));
  const message: InbasketChanged = { kind: parsed.success ? parsed.data : null, change };
  const rooms: string[] = [];
  if (typeof event.data?.ownerPractitionerId === 'string') rooms.push(practitionerRoom(event.data.ownerPractitionerId));
  if (typeof event.data?.pool === 'string') rooms.push(poolRoom(event.data.pool));
  return rooms.map((room) => ({ room, message }));
}

/** The e-prescribing module names its items by SCRIPT message type. */
function kindOfEvent(kind: unknown): unknown {
  if (kind === 'RxRenewalRequest') return 'erx-renewal';
  if (kind === 'RxChangeRequest') return 'erx-change';
  return kind;
}

export const INBASKET_EVENT_TYPES: ReadonlySet<DomainEvent['type']> = new Set([
  'inbox.item.created',
  'inbox.item.closed',
  'results.critical',
  'results.acknowledged',
]);

export const inbasketRealtime: RealtimeChannel = {
  eventTypes: INBASKET_EVENT_TYPES,
  roomsFor: inbasketRoomsFor,
  async handle(_deps: AppDeps, event: DomainEvent, out: Emitter) {
    for (const m of inbasketMessages(event)) out.emit(m.room, INBASKET_SOCKET_MESSAGE, m.message);
  },
};
