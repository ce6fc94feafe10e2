import type { AppDeps } from '../../core/deps';
import { AppError, forbidden, notFound } from '../../core/errors';
import type { NewDomainEvent } from '../../core/events/events';
import type { Principal } from '../../core/auth/principal';

/**
 * Small helpers shared by the medications, orders and results modules (one owner, so they live here once).
 */

type ResourceOf<K extends fhir4.FhirResource['resourceType']> = Extract<fhir4.FhirResource, { resourceType: K }>;

/** Reads a resource; a missing one is our 404 in the error shape (HAPI's 404/410 already map to it). */
export async function readOr404<K extends fhir4.FhirResource['resourceType']>(deps: Pick<AppDeps, 'fhir'>, type: K, id: string): Promise<ResourceOf<K>> {
  try {
    return await deps.fhir.read(type, id);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) throw notFound(type, id);
    throw err;
  }
}

/**
 * Queues a domain event in the outbox. The state change has already happened in HAPI, so a failing outbox
 * (PostgreSQL blip) must not turn a successful write into an error: it is logged, not thrown.
 */
export async function publishQuietly(deps: Pick<AppDeps, 'events' | 'logger'>, event: NewDomainEvent): Promise<void> {
  try {
    await deps.events.publish(event);
  } catch (err) {
    deps.logger.error({ err: { message: (err as Error).message }, type: event.type, resourceId: event.resourceId }, 'domain event not queued');
  }
}

/** The Practitioner that acts for the signed-in user; clinical orders need one as requester. */
export function requesterOf(principal: Principal): fhir4.Reference {
  if (!principal.practitionerId) throw forbidden('Your account is not linked to a Practitioner, so it cannot sign clinical orders', { reason: 'NO_PRACTITIONER' });
  return { reference: `Practitioner/${principal.practitionerId}` };
}

/** "Patient/123" → "123" (or undefined for anything else). */
export function idFromReference(ref: string | undefined, type: string): string | undefined {
  const m = ref?.match(/^(?:.*\/)?([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/.*)?$/);
  return m && m[1] === type ? m[2] : undefined;
}

export const WINTEHR_EXT = 'http://wintehr.dev/fhir/StructureDefinition';
