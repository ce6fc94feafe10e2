/** Pure builders of the CDS Hooks requests the web app sends for medication orders (order-select, order-sign). */
import type { HookRequest } from './cds-types';
import { RXNORM } from '@wintehr/contracts';

/** The draft orders of a session as context.draftOrders: a FHIR Bundle (CDS Hooks 2.0 order-select / order-sign). */
export function draftOrdersBundle(drafts: readonly fhir4.MedicationRequest[]): fhir4.Bundle {
  return { resourceType: 'Bundle', type: 'collection', entry: drafts.map((resource) => ({ resource })) };
}

interface OrderContext {
  hookInstance: string;
  /** `Practitioner/<id>` of the signed-in prescriber. */
  userId: string;
  patientId: string;
  encounterId?: string;
  drafts: readonly fhir4.MedicationRequest[];
  prefetch?: Record<string, fhir4.FhirResource | null>;
}

function base(hook: string, c: OrderContext, extra: Record<string, unknown>): HookRequest {
  return {
    hook,
    hookInstance: c.hookInstance,
    context: {
      userId: c.userId,
      patientId: c.patientId,
      ...(c.encounterId ? { encounterId: c.encounterId } : {}),
      ...extra,
      draftOrders: draftOrdersBundle(c.drafts),
    },
    ...(c.prefetch ? { prefetch: c.prefetch } : {}),
  };
}

/** order-select: the drafts in the session, with `selections` naming the ones just chosen. */
export function orderSelectRequest(c: OrderContext & { selections: readonly string[] }): HookRequest {
  return base('order-select', c, { selections: [...c.selections] });
}

/** order-sign: every draft about to be signed. */
export function orderSignRequest(c: OrderContext): HookRequest {
  return base('order-sign', c, {});
}

/** The CDS userId for a signed-in user: only a Practitioner can order. */
export function cdsUserId(fhirUser: string | undefined): string | undefined {
  return fhirUser && /^(Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/.test(fhirUser) ? fhirUser : undefined;
}

/** The RxNorm coding of a draft's medication, if it has one. */
export function rxnormOf(mr: fhir4.MedicationRequest): fhir4.Coding | undefined {
  return mr.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM && c.code);
}
