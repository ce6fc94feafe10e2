import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, conflict } from '../../core/errors';
import { idFromReference, readOr404 } from '../../core/fhir/fhir-kit';
import { requirePatientAccess } from '../../core/http/phi-guard';
import type {
  MedicationReconciliation,
  ReconciliationBody,
  ReconciliationDecision,
  ReconciliationSaved,
} from '@wintehr/contracts';
import { sharedDrugKnowledgeBase as drugKb } from '../drug-safety/shared-kb';
import { publishQuietly, requesterOf } from './clinical-helpers';
import { discontinued } from './medication-request';
import { outsideHistory } from './outside-history';
import { screenPrescription, type ScreenedPrescription } from './prescribe';
import { reconcile } from './reconciliation';
import {
  LIST_KIND_SYSTEM,
  notTakenStatement,
  RECONCILIATION_CODE,
  reconciliationList,
  type RecordedEntry,
} from './reconciliation-record';

type Http = { req: Request; res: Response; principal: Principal };

/** GET: the three sources lined up, and when the patient was last reconciled. */
export async function getReconciliation(
  deps: AppDeps,
  http: Http,
  patientId: string,
): Promise<MedicationReconciliation> {
  const phi = await requirePatientAccess(deps, http, patientId, {
    action: 'medication.reconciliation.read',
    resourceType: 'Patient',
    resourceId: patientId,
  });
  const patient = await readOr404(deps, 'Patient', patientId);
  const [orders, statements, history, last] = await Promise.all([
    deps.fhir.searchResources('MedicationRequest', {
      subject: `Patient/${patientId}`,
      status: 'active,on-hold',
      _sort: '-authoredon',
      _count: 200,
    }),
    deps.fhir.searchResources('MedicationStatement', { subject: `Patient/${patientId}`, _count: 200 }),
    outsideHistory(deps, patient, http.principal.practitionerId ?? undefined),
    deps.fhir.searchResources('List', {
      subject: `Patient/${patientId}`,
      code: `${LIST_KIND_SYSTEM}|${RECONCILIATION_CODE}`,
      _sort: '-date',
      _count: 1,
    }),
  ]);
  const lines = reconcile(drugKb(), {
    orders,
    statements,
    history: history.status === 'ok' ? history.items : [],
  });
  phi.note({ lines: lines.length, history: history.status });
  const l = last[0];
  return {
    patientId,
    generatedAt: new Date().toISOString(),
    history:
      history.status === 'ok'
        ? { status: 'ok', retrievedAt: history.retrievedAt }
        : { status: 'unavailable', message: history.message },
    lines,
    ...(l?.id && l.date
      ? {
          last: {
            listId: l.id,
            date: l.date,
            ...(l.source?.reference ? { reconciler: l.source.reference } : {}),
          },
        }
      : {}),
  };
}

interface Planned {
  decision: ReconciliationDecision;
  entry?: fhir4.BundleEntry;
  item: fhir4.Reference;
  screened?: ScreenedPrescription;
  resourceType?: 'MedicationRequest' | 'MedicationStatement';
}

/**
 * POST: apply the clinician's decisions and save them as a List, all in ONE HAPI transaction (a discontinue, an
 * added order and the record of the reconciliation land together or not at all). Added orders are screened first,
 * like any prescription; a blocked one stops the whole save (422, with the line) before anything is written.
 */
export async function saveReconciliation(
  deps: AppDeps,
  http: Http,
  patientId: string,
  body: ReconciliationBody,
  now = new Date(),
): Promise<ReconciliationSaved> {
  const phi = await requirePatientAccess(deps, http, patientId, {
    action: 'medication.reconciliation.save',
    resourceType: 'List',
  });
  const by = requesterOf(http.principal);
  await readOr404(deps, 'Patient', patientId);

  const planned: Planned[] = [];
  for (const [i, d] of body.decisions.entries()) {
    const field = `body.decisions.${i}`;
    const mr = d.medicationRequestId ? await ownRequest(deps, patientId, d.medicationRequestId, field) : undefined;
    const ms = d.medicationStatementId
      ? await ownStatement(deps, patientId, d.medicationStatementId, field)
      : undefined;
    const ref = mr
      ? { reference: `MedicationRequest/${mr.id}` }
      : ms
        ? { reference: `MedicationStatement/${ms.id}` }
        : { display: d.lineKey };
    switch (d.action) {
      case 'continue':
        planned.push({ decision: d, item: ref });
        break;
      case 'discontinue': {
        if (mr!.status !== 'active' && mr!.status !== 'on-hold')
          throw conflict(
            `Prescription ${mr!.id} is ${mr!.status}, not active`,
            { lineKey: d.lineKey },
            'INVALID_STATE',
          );
        const version = mr!.meta?.versionId;
        planned.push({
          decision: d,
          item: ref,
          resourceType: 'MedicationRequest',
          entry: {
            resource: discontinued(mr!, { reason: d.reason!, reasonCode: d.reasonCode, by, now }),
            request: {
              method: 'PUT',
              url: `MedicationRequest/${mr!.id}`,
              ...(version ? { ifMatch: `W/"${version}"` } : {}),
            },
          },
        });
        break;
      }
      case 'add-to-orders': {
        let screened: ScreenedPrescription;
        try {
          screened = await screenPrescription(deps, http.principal, phi, patientId, d.prescription!, now, {
            blockStatus: 422,
          });
        } catch (err) {
          if (err instanceof AppError && err.code === 'SAFETY_OVERRIDE_REQUIRED')
            throw new AppError(err.status, err.code, err.message, {
              ...(err.details as Record<string, unknown>),
              lineKey: d.lineKey,
            });
          throw err;
        }
        const fullUrl = `urn:uuid:${randomUUID()}`;
        planned.push({
          decision: d,
          item: { reference: fullUrl },
          screened,
          resourceType: 'MedicationRequest',
          entry: { fullUrl, resource: screened.resource, request: { method: 'POST', url: 'MedicationRequest' } },
        });
        break;
      }
      case 'mark-not-taking': {
        if (ms) {
          const version = ms.meta?.versionId;
          planned.push({
            decision: d,
            item: ref,
            resourceType: 'MedicationStatement',
            entry: {
              resource: {
                ...ms,
                status: 'not-taken',
                ...(d.reason ? { statusReason: [{ text: d.reason }] } : {}),
              },
              request: {
                method: 'PUT',
                url: `MedicationStatement/${ms.id}`,
                ...(version ? { ifMatch: `W/"${version}"` } : {}),
              },
            },
          });
        } else {
          const fullUrl = `urn:uuid:${randomUUID()}`;
          planned.push({
            decision: d,
            item: { reference: fullUrl },
            resourceType: 'MedicationStatement',
            entry: {
              fullUrl,
              resource: notTakenStatement(patientId, mr!.medicationCodeableConcept ?? { text: d.lineKey }, {
                by,
                now,
                basedOn: `MedicationRequest/${mr!.id}`,
                ...(d.reason ? { reason: d.reason } : {}),
              }),
              request: { method: 'POST', url: 'MedicationStatement' },
            },
          });
        }
        break;
      }
    }
  }

  const entries: RecordedEntry[] = planned.map((p) => ({ decision: p.decision, item: p.item }));
  const writes = planned.filter((p) => p.entry);
  let tx: fhir4.Bundle;
  try {
    tx = await deps.fhir.transaction({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        ...writes.map((p) => p.entry!),
        {
          resource: reconciliationList(patientId, entries, { by, now, ...(body.note ? { note: body.note } : {}) }),
          request: { method: 'POST', url: 'List' },
        },
      ],
    });
  } catch (err) {
    if (err instanceof AppError && (err.status === 409 || err.status === 412))
      throw conflict('A medication changed while you reconciled; reload and try again', undefined, 'VERSION_CONFLICT');
    throw err;
  }
  const idAt = (i: number, type: string) =>
    idFromReference(tx.entry?.[i]?.response?.location?.replace(/\/_history\/.*$/, ''), type);
  const listId = idAt(writes.length, 'List');
  if (!listId) throw new AppError(502, 'HAPI_BAD_RESPONSE', 'HAPI did not return the reconciliation id');
  phi.setResource('List', listId);
  const counts: Record<string, number> = {};
  for (const p of planned) counts[p.decision.action] = (counts[p.decision.action] ?? 0) + 1;
  phi.note({ listId, decisions: counts });

  const results: ReconciliationSaved['results'] = [];
  for (const p of planned) {
    const w = writes.indexOf(p);
    const resourceId = w >= 0 && p.resourceType ? idAt(w, p.resourceType) : undefined;
    results.push({
      lineKey: p.decision.lineKey,
      action: p.decision.action,
      ...(p.resourceType && resourceId ? { resourceType: p.resourceType, resourceId } : {}),
    });
    if (p.decision.action === 'discontinue' && resourceId)
      await publishQuietly(deps, {
        type: 'medications.discontinued',
        patientId,
        resourceType: 'MedicationRequest',
        resourceId,
        actorUserId: http.principal.userId,
        data: { reconciliation: listId },
      });
    if (p.decision.action === 'add-to-orders' && resourceId && p.screened)
      await publishQuietly(deps, {
        type: 'medications.prescribed',
        patientId,
        resourceType: 'MedicationRequest',
        resourceId,
        actorUserId: http.principal.userId,
        data: {
          rxnorm: p.decision.prescription!.medication.code,
          overridden: p.screened.gate.overridden.length > 0,
          ...(p.decision.prescription!.dispense.pharmacyId
            ? { pharmacyId: p.decision.prescription!.dispense.pharmacyId }
            : {}),
          reconciliation: listId,
        },
      });
  }
  return { listId, date: now.toISOString(), results };
}

/** Absent and another patient's get the same answer: a line must not tell whether an id exists elsewhere. */
async function ownEntry<K extends 'MedicationRequest' | 'MedicationStatement'>(
  deps: AppDeps,
  type: K,
  patientId: string,
  id: string,
  field: string,
) {
  const notHers = () =>
    badRequest(`Not a ${type === 'MedicationRequest' ? 'prescription' : 'medication statement'} of this patient`, [
      { field, message: "no such entry on this patient's record" },
    ]);
  const r: fhir4.MedicationRequest | fhir4.MedicationStatement = await deps.fhir
    .read(type, id)
    .catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) throw notHers();
      throw err;
    });
  if (idFromReference(r.subject?.reference, 'Patient') !== patientId) throw notHers();
  return r;
}

const ownRequest = (deps: AppDeps, patientId: string, id: string, field: string) =>
  ownEntry(
    deps,
    'MedicationRequest',
    patientId,
    id,
    `${field}.medicationRequestId`,
  ) as Promise<fhir4.MedicationRequest>;
const ownStatement = (deps: AppDeps, patientId: string, id: string, field: string) =>
  ownEntry(
    deps,
    'MedicationStatement',
    patientId,
    id,
    `${field}.medicationStatementId`,
  ) as Promise<fhir4.MedicationStatement>;
