import { randomUUID } from 'node:crypto';
import type { Principal } from '../../core/auth/principal';
import type { AppDeps } from '../../core/deps';
import { AppError, badRequest, notFound } from '../../core/errors';
import type { PhiAccess } from '../../core/http/phi-guard';
import { checkMedicationSafety, controlledSchedule, resolveIngredients, type DeaSchedule } from '../drug-safety';
import { loadPatientSafetyContext } from '../drug-safety/patient-safety-context';
import { publishQuietly, requesterOf } from './clinical-helpers';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { normaliseUnit, RXNORM, type PrescribeBody, type PrescribeResult as PrescribeAnswer } from '@wintehr/contracts';
import { dailyDoseProblem } from './dosage';
import { sharedDrugKnowledgeBase as drugKb } from '../drug-safety/shared-kb';
import { buildMedicationRequest } from './medication-request';
import { decideSafetyGate, overriddenRuleIds, warningView, type GateDecision } from './safety-gate';

/** Products a pharmacy can dispense; ingredients and brand names alone are not a prescription. */
const PRESCRIBABLE = new Set(['SCD', 'SBD', 'GPCK', 'BPCK']);
/** Federal refill limits (21 CFR 1306): none for C-II, at most 5 for C-III to C-V. */
const MAX_REFILLS: Record<DeaSchedule, number> = { II: 0, III: 5, IV: 5, V: 5 };

/** The contract's answer, with the MedicationRequest as HAPI's client types it (its id is checked at run time). */
export type PrescribeResult = Omit<PrescribeAnswer, 'medicationRequest'> & {
  medicationRequest: fhir4.MedicationRequest;
};

/**
 * Prescribe: validate the product against the drug KB and the dosage/dispense fields, screen against the chart
 * (interactions, allergies, duplicates) BEFORE anything is written, stop on contraindicated/major findings unless
 * overridden, then create the MedicationRequest and queue medications.prescribed.
 */
/** A prescription that passed validation and the safety gate, ready to be written. */
export interface ScreenedPrescription {
  resource: fhir4.MedicationRequest;
  gate: Extract<GateDecision, { outcome: 'allow' }>;
  schedule?: DeaSchedule;
}

export interface ScreenOptions {
  /** Orders to leave out of the active list (the order being renewed or changed is not a duplicate of itself). */
  excludeActiveIds?: readonly string[];
  /** HTTP status of a blocked order: 409 for prescribe (its published contract), 422 for renew/modify. */
  blockStatus?: 409 | 422;
  /** Extra fields for the new order (priorPrescription ...). */
  extra?: Partial<fhir4.MedicationRequest>;
}

/**
 * Validate the product against the drug KB and the dosage/dispense fields, screen against the chart (interactions,
 * allergies, duplicates) and stop on contraindicated/major findings unless overridden. Writes nothing, so the
 * callers decide how the order is written (alone, or in a transaction with the order it replaces).
 */
export async function screenPrescription(
  deps: AppDeps,
  principal: Principal,
  phi: PhiAccess,
  patientId: string,
  body: PrescribeBody,
  now = new Date(),
  opts: ScreenOptions = {},
): Promise<ScreenedPrescription> {
  const requester = requesterOf(principal);
  const kb = drugKb();
  const resolved = resolveIngredients(kb, body.medication.code, RXNORM);
  if (resolved.status !== 'resolved') {
    throw badRequest('Unknown RxNorm code', [
      { field: 'body.medication.code', message: `RxNorm ${body.medication.code} is not in the drug knowledge base` },
    ]);
  }
  if (!PRESCRIBABLE.has(resolved.concept.tty)) {
    throw badRequest('Choose a dispensable product', [
      {
        field: 'body.medication.code',
        message: `RxNorm ${body.medication.code} is a ${resolved.concept.tty}, not a clinical or branded drug (SCD/SBD/pack)`,
      },
    ]);
  }
  const problems: { field: string; message: string }[] = [];
  const daily = dailyDoseProblem(body.dosage);
  if (daily) problems.push(daily);
  if (!normaliseUnit(body.dispense.quantity.unit))
    problems.push({
      field: 'body.dispense.quantity.unit',
      message: 'not a supported UCUM unit (e.g. {tablet}, mL, g)',
    });
  const ctl = controlledSchedule(kb, resolved.concept);
  if (ctl && body.dispense.numberOfRepeatsAllowed > MAX_REFILLS[ctl.schedule]) {
    problems.push({
      field: 'body.dispense.numberOfRepeatsAllowed',
      message: `a Schedule ${ctl.schedule} substance allows at most ${MAX_REFILLS[ctl.schedule]} refills`,
    });
  }
  if (problems.length) throw badRequest('Invalid prescription', problems);

  const [ctx] = await Promise.all([
    loadPatientSafetyContext(deps.fhir, patientId, now).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) throw notFound('Patient', patientId);
      throw err;
    }),
    body.dispense.pharmacyId
      ? mustExist(deps, 'Organization', body.dispense.pharmacyId, 'body.dispense.pharmacyId')
      : undefined,
    body.encounterId ? encounterOf(deps, body.encounterId, patientId) : undefined,
  ]);

  const excluded = new Set(opts.excludeActiveIds ?? []);
  const findings = checkMedicationSafety(kb, {
    proposed: [{ id: 'proposed', code: body.medication.code, system: RXNORM, display: resolved.concept.name }],
    active: ctx.active.filter((m) => !m.id || !excluded.has(m.id)),
    allergies: ctx.allergies,
    patient: ctx.patient,
  });
  const gate = decideSafetyGate(findings, body.override);
  if (gate.outcome === 'block') {
    phi.note({ blocked: true, blockingRuleIds: overriddenRuleIds(gate.blocking) });
    throw new AppError(
      opts.blockStatus ?? 409,
      'SAFETY_OVERRIDE_REQUIRED',
      gate.reason === 'OVERRIDE_INCOMPLETE'
        ? 'The override does not name every blocking safety finding'
        : 'Safety findings must be overridden with a reason to place this order',
      { findings: gate.warnings.map(warningView), blockingFindingIds: gate.blocking.map((f) => f.id) },
    );
  }
  const resource = {
    ...buildMedicationRequest(body, {
      patientId,
      requester,
      productName: resolved.concept.name,
      schedule: ctl?.schedule,
      overridden: gate.overridden,
      prescriptionId: randomUUID(),
      now,
    }),
    ...opts.extra,
  };
  return { resource, gate, ...(ctl ? { schedule: ctl.schedule } : {}) };
}

/** The audit note of a written order: ids and rule ids only (the override reason is free text, it stays on the resource). */
export function prescriptionNote(body: PrescribeBody, s: ScreenedPrescription): Record<string, unknown> {
  return {
    rxnorm: body.medication.code,
    warnings: s.gate.warnings.length,
    ...(s.gate.overridden.length ? { override: true, overriddenRuleIds: overriddenRuleIds(s.gate.overridden) } : {}),
    ...(s.schedule ? { deaSchedule: s.schedule } : {}),
  };
}

/**
 * Prescribe: screen (screenPrescription) BEFORE anything is written, then create the MedicationRequest and queue
 * medications.prescribed.
 */
export async function prescribe(
  deps: AppDeps,
  principal: Principal,
  phi: PhiAccess,
  patientId: string,
  body: PrescribeBody,
  now = new Date(),
): Promise<PrescribeResult> {
  const screened = await screenPrescription(deps, principal, phi, patientId, body, now);
  const { gate, schedule } = screened;
  const mr = await deps.fhir.create(screened.resource);
  phi.setResource('MedicationRequest', mr.id);
  phi.note(prescriptionNote(body, screened));
  await publishQuietly(deps, {
    type: 'medications.prescribed',
    patientId,
    resourceType: 'MedicationRequest',
    resourceId: mr.id,
    actorUserId: principal.userId,
    data: {
      rxnorm: body.medication.code,
      ...(schedule ? { deaSchedule: schedule } : {}),
      overridden: gate.overridden.length > 0,
      ...(body.dispense.pharmacyId ? { pharmacyId: body.dispense.pharmacyId } : {}),
    },
  });
  return {
    medicationRequest: mr,
    warnings: gate.warnings.map(warningView),
    ...(schedule ? { controlled: { schedule } } : {}),
    requiresEpcs: schedule !== undefined,
    ...(gate.overridden.length ? { override: { findingIds: gate.overridden.map((f) => f.id) } } : {}),
  };
}

/** A resource referenced from the body must exist; a missing one is a 400 on that field, not a 404 of the URL. */
async function mustExist(
  deps: AppDeps,
  type: 'Organization' | 'Encounter',
  id: string,
  field: string,
): Promise<fhir4.FhirResource> {
  try {
    return await deps.fhir.read(type, id);
  } catch (err) {
    if (err instanceof AppError && err.status === 404)
      throw badRequest(`Unknown ${type}`, [{ field, message: `${type}/${id} does not exist` }]);
    throw err;
  }
}

async function encounterOf(deps: AppDeps, id: string, patientId: string): Promise<void> {
  const enc = (await mustExist(deps, 'Encounter', id, 'body.encounterId')) as fhir4.Encounter;
  if (idFromReference(enc.subject?.reference, 'Patient') !== patientId) {
    throw badRequest('Encounter belongs to another patient', [
      { field: 'body.encounterId', message: 'not an encounter of this patient' },
    ]);
  }
}
