import type { AppDeps } from '../../core/deps';
import { forbidden } from '../../core/errors';
import type { NewDomainEvent } from '../../core/events/events';
import type { Principal } from '../../core/auth/principal';

/**
 * Small helpers shared by the medications, orders and results modules (one owner, so they live here once).
 */

/**
 * Queues a domain event in the outbox. The state change has already happened in HAPI, so a failing outbox
 * (PostgreSQL blip) must not turn a successful write into an error: it is logged, not thrown.
 */
export async function publishQuietly(deps: Pick<AppDeps, 'events' | 'logger'>, event: NewDomainEvent): Promise<void> {
  try {
    await deps.events.publish(event);
  } catch (err) {
    deps.logger.error(
      { err: { message: (err as Error).message }, type: event.type, resourceId: event.resourceId },
      'domain event not queued',
    );
  }
}

/** The Practitioner that acts for the signed-in user; clinical orders need one as requester. */
export function requesterOf(principal: Principal): fhir4.Reference {
  if (!principal.practitionerId)
    throw forbidden('Your account is not linked to a Practitioner, so it cannot sign clinical orders', {
      reason: 'NO_PRACTITIONER',
    });
  return { reference: `Practitioner/${principal.practitionerId}` };
}
