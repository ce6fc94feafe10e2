import { randomUUID } from 'node:crypto';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest } from '../../core/errors';
import type { PhiAccess } from '../../core/http/phi-guard';
import { publishQuietly, requesterOf } from '../medications/clinical-helpers';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import type { CatalogItem, OrderWarning } from '@wintehr/contracts';
import { findDuplicateOrders } from './duplicates';
import type { Priority } from './order-sets';
import { buildServiceRequest } from './service-request';

export interface PlaceRequest {
  item: CatalogItem;
  priority: Priority;
  reason?: { coding?: fhir4.Coding[]; text?: string };
  note?: string;
  occurrenceDateTime?: string;
  contrast?: boolean;
}

/**
 * Places one or more orders for a patient in ONE HAPI transaction (all or nothing), after checking the patient and
 * encounter exist and looking for duplicates of each code within the configured window.
 */
export async function placeOrders(
  deps: AppDeps,
  principal: Principal,
  phi: PhiAccess,
  patientId: string,
  requests: readonly PlaceRequest[],
  o: { encounterId?: string; requisition?: string; source: string },
): Promise<{ orders: fhir4.ServiceRequest[]; warnings: OrderWarning[] }> {
  const requester = requesterOf(principal);
  const now = new Date();
  const windowHours = deps.config.clinical.orderDuplicateWindowHours;
  const [, , recent] = await Promise.all([
    readOr404(deps, 'Patient', patientId),
    o.encounterId ? encounterOfPatient(deps, o.encounterId, patientId) : undefined,
    windowHours > 0
      ? deps.fhir.searchResources('ServiceRequest', {
          subject: `Patient/${patientId}`,
          code: [...new Set(requests.map((r) => `${r.item.system}|${r.item.code}`))].join(','),
          authored: `ge${new Date(now.getTime() - windowHours * 3_600_000).toISOString()}`,
          _count: 200,
        })
      : [],
  ]);
  const warnings: OrderWarning[] = [];
  for (const r of requests) {
    for (const d of findDuplicateOrders(recent, { system: r.item.system, code: r.item.code, now, windowHours })) {
      warnings.push({
        code: 'DUPLICATE_ORDER',
        orderCode: r.item.code,
        existingOrderId: d.id!,
        message: `${r.item.display} was already ordered within the last ${windowHours} h`,
      });
    }
  }
  const resources = requests.map((r) =>
    buildServiceRequest({
      patientId,
      requester,
      item: r.item,
      priority: r.priority,
      orderId: randomUUID(),
      now,
      requisition: o.requisition,
      reason: r.reason,
      note: r.note,
      encounterId: o.encounterId,
      occurrenceDateTime: r.occurrenceDateTime,
      contrast: r.contrast,
    }),
  );
  const orders = await createAll(deps, resources);
  phi.setResource('ServiceRequest', orders.length === 1 ? orders[0]!.id : undefined);
  phi.note({
    source: o.source,
    orderIds: orders.map((x) => x.id!),
    codes: requests.map((r) => r.item.code),
    duplicates: warnings.length,
  });
  for (const sr of orders) {
    await publishQuietly(deps, {
      type: 'orders.placed',
      patientId,
      resourceType: 'ServiceRequest',
      resourceId: sr.id,
      actorUserId: principal.userId,
      data: {
        code: sr.code!.coding![0]!.code!,
        priority: sr.priority!,
        ...(o.requisition ? { requisition: o.requisition } : {}),
      },
    });
  }
  return { orders, warnings };
}

async function createAll(deps: AppDeps, resources: fhir4.ServiceRequest[]): Promise<fhir4.ServiceRequest[]> {
  if (resources.length === 1) return [await deps.fhir.create(resources[0]!)];
  const result = await deps.fhir.transaction({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: resources.map((resource) => ({ resource, request: { method: 'POST', url: 'ServiceRequest' } })),
  });
  const ids = (result.entry ?? []).map((e) => idFromReference(e.response?.location, 'ServiceRequest'));
  // The transaction response carries locations, not bodies: read them back in parallel for the response.
  return Promise.all(ids.map((id) => deps.fhir.read('ServiceRequest', id!)));
}

async function encounterOfPatient(deps: AppDeps, id: string, patientId: string): Promise<void> {
  let enc: fhir4.Encounter;
  try {
    enc = await deps.fhir.read('Encounter', id);
  } catch (err) {
    if (err instanceof AppError && err.status === 404)
      throw badRequest('Unknown Encounter', [{ field: 'body.encounterId', message: `Encounter/${id} does not exist` }]);
    throw err;
  }
  if (idFromReference(enc.subject?.reference, 'Patient') !== patientId)
    throw badRequest('Encounter belongs to another patient', [
      { field: 'body.encounterId', message: 'not an encounter of this patient' },
    ]);
}
