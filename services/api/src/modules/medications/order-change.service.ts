import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, conflict } from '../../core/errors';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import { requirePatientAccess } from '../../core/http/phi-guard';
import type { ModifyBody, RenewBody } from '@wintehr/contracts';
import { publishQuietly, requesterOf } from './clinical-helpers';
import { modificationInput, prescribeInputOf, renewalInput, replacementLinks, supersededOrder } from './order-change';
import { prescriptionNote, screenPrescription } from './prescribe';
import { warningView } from './safety-gate';

const CHANGEABLE = new Set(['active', 'on-hold']);

export interface OrderChangeAnswer {
  medicationRequest: fhir4.MedicationRequest & { id: string };
  previous: fhir4.MedicationRequest & { id: string };
  warnings: ReturnType<typeof warningView>[];
  override?: { findingIds: string[] };
}

export type Change = { kind: 'renew'; body: RenewBody } | { kind: 'modify'; body: ModifyBody };

/**
 * Renew or modify: the new order is screened like a new prescription (the old one left out of the active list),
 * then the new order and the closing of the old one go to HAPI in ONE transaction with If-Match on the old one.
 * HAPI applies a transaction all or nothing, so a stale version or a failed create leaves the old order active and
 * no new order behind: there is no half-written state to compensate.
 */
export async function changeOrder(
  deps: AppDeps,
  http: { req: Request; res: Response; principal: Principal },
  id: string,
  change: Change,
  now = new Date(),
): Promise<OrderChangeAnswer> {
  const old = await readOr404(deps, 'MedicationRequest', id);
  const patientId = idFromReference(old.subject.reference, 'Patient');
  if (!patientId) throw conflict('Prescription has no patient', undefined, 'INVALID_STATE');
  const phi = await requirePatientAccess(deps, http, patientId, {
    action: change.kind === 'renew' ? 'medication.renew' : 'medication.modify',
    resourceType: 'MedicationRequest',
    resourceId: id,
  });
  if (!CHANGEABLE.has(old.status)) {
    throw conflict(`Prescription is ${old.status}, not active`, { status: old.status }, 'INVALID_STATE');
  }
  const current = old.meta?.versionId;
  const expected = change.body.ifMatch ?? http.req.get('if-match')?.match(/(\d+)/)?.[1] ?? current;
  if (expected !== current) {
    throw conflict(
      'The prescription changed since you opened it; reload it and try again',
      { expected, current },
      'VERSION_CONFLICT',
    );
  }
  const input = prescribeInputOf(old, change.kind === 'renew');
  if (!input.ok) {
    throw new AppError(
      422,
      'ORDER_NOT_STRUCTURED',
      'This order cannot be renewed or changed as is; prescribe it anew',
      {
        problems: input.problems,
      },
    );
  }
  const today = now.toISOString().slice(0, 10);
  const body =
    change.kind === 'renew'
      ? renewalInput(input.body, change.body, today)
      : modificationInput(input.body, change.body, today);
  const screened = await screenPrescription(deps, http.principal, phi, patientId, body, now, {
    excludeActiveIds: [`MedicationRequest/${id}`],
    blockStatus: 422,
    extra: replacementLinks(old),
  });
  const by = requesterOf(http.principal);
  const newUrl = `urn:uuid:${randomUUID()}`;
  const closing = supersededOrder(old, change.kind, {
    by,
    now,
    replacedBy: newUrl,
    ...(change.kind === 'modify' && change.body.reason ? { reason: change.body.reason } : {}),
  });
  let tx: fhir4.Bundle;
  try {
    tx = await deps.fhir.transaction({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: newUrl, resource: screened.resource, request: { method: 'POST', url: 'MedicationRequest' } },
        {
          resource: closing,
          request: { method: 'PUT', url: `MedicationRequest/${id}`, ...(current ? { ifMatch: `W/"${current}"` } : {}) },
        },
      ],
    });
  } catch (err) {
    if (err instanceof AppError && (err.status === 409 || err.status === 412))
      throw conflict(
        'The prescription changed since you opened it; reload it and try again',
        undefined,
        'VERSION_CONFLICT',
      );
    throw err;
  }
  const newId = idFromReference(tx.entry?.[0]?.response?.location?.replace(/\/_history\/.*$/, ''), 'MedicationRequest');
  if (!newId) throw new AppError(502, 'HAPI_BAD_RESPONSE', 'HAPI did not return the new order id');
  const [created, previous] = await Promise.all([
    deps.fhir.read('MedicationRequest', newId),
    deps.fhir.read('MedicationRequest', id),
  ]);
  phi.setResource('MedicationRequest', newId);
  phi.note({ ...prescriptionNote(body, screened), replaces: id, kind: change.kind });
  await publishQuietly(deps, {
    type: 'medications.prescribed',
    patientId,
    resourceType: 'MedicationRequest',
    resourceId: newId,
    actorUserId: http.principal.userId,
    data: {
      rxnorm: body.medication.code,
      ...(screened.schedule ? { deaSchedule: screened.schedule } : {}),
      overridden: screened.gate.overridden.length > 0,
      ...(body.dispense.pharmacyId ? { pharmacyId: body.dispense.pharmacyId } : {}),
      replaces: id,
      change: change.kind,
    },
  });
  await publishQuietly(deps, {
    type: 'medications.discontinued',
    patientId,
    resourceType: 'MedicationRequest',
    resourceId: id,
    actorUserId: http.principal.userId,
    data: { replacedBy: newId, change: change.kind },
  });
  return {
    medicationRequest: created as OrderChangeAnswer['medicationRequest'],
    previous: previous as OrderChangeAnswer['previous'],
    warnings: screened.gate.warnings.map(warningView),
    ...(screened.gate.overridden.length ? { override: { findingIds: screened.gate.overridden.map((f) => f.id) } } : {}),
  };
}
