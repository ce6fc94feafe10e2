import { WINTEHR_EXT } from '../../core/fhir/fhir-kit';
import { PrescribeBody, RXNORM, type ModifyBody, type RenewBody } from '@wintehr/contracts';

/**
 * Renew and modify as pure order building: the old MedicationRequest is read back into the prescribe input (so the
 * new order goes through exactly the validation and safety gate of a new prescription), the changes are applied,
 * and the old order gets its closing status. Nothing here talks to HAPI.
 */

export type ChangeKind = 'renew' | 'modify';

const PERIOD_UNITS = new Set(['h', 'd', 'wk', 'mo']);
export const CHANGE_REASON_SYSTEM = 'http://wintehr.dev/fhir/CodeSystem/medication-change-reason';

export type OrderInput = { ok: true; body: PrescribeBody } | { ok: false; problems: string[] };

/**
 * The prescribe input an order was (or could have been) written from. `keepText` keeps the written sig; a change of
 * dose must not, or the text would contradict the structured dose.
 */
export function prescribeInputOf(mr: fhir4.MedicationRequest, keepText = true): OrderInput {
  const problems: string[] = [];
  const rx = mr.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM && c.code);
  if (!rx) problems.push('the order is not coded in RxNorm');
  const d = mr.dosageInstruction?.[0];
  const dose = d?.doseAndRate?.[0]?.doseQuantity;
  const repeat = d?.timing?.repeat;
  const route = d?.route?.coding?.find((c) => c.code)?.code;
  if (typeof dose?.value !== 'number' || !(dose.code ?? dose.unit)) problems.push('the order has no structured dose');
  if (!route) problems.push('the order has no coded route');
  if (typeof repeat?.period !== 'number' || !PERIOD_UNITS.has(repeat.periodUnit ?? ''))
    problems.push('the order has no structured frequency');
  const q = mr.dispenseRequest?.quantity;
  if (typeof q?.value !== 'number' || !(q.code ?? q.unit)) problems.push('the order has no dispense quantity');
  if (problems.length) return { ok: false, problems };

  const max = d!.maxDosePerPeriod;
  const maxPerDay =
    max?.numerator?.value !== undefined && max.denominator?.value === 1 && max.denominator.code === 'd'
      ? { value: max.numerator.value, unit: max.numerator.code ?? max.numerator.unit ?? '' }
      : undefined;
  const performer = mr.dispenseRequest?.performer?.reference?.match(/^Organization\/([A-Za-z0-9\-.]{1,64})$/)?.[1];
  const reason = mr.reasonCode?.[0];
  const candidate = {
    medication: { system: RXNORM, code: rx!.code, ...(rx!.display ? { display: rx!.display } : {}) },
    dosage: {
      dose: { value: dose!.value, unit: dose!.code ?? dose!.unit },
      route,
      frequency: repeat!.frequency ?? 1,
      period: repeat!.period,
      periodUnit: repeat!.periodUnit,
      asNeeded: Boolean(d!.asNeededBoolean || d!.asNeededCodeableConcept),
      ...(d!.asNeededCodeableConcept?.text ? { asNeededReason: d!.asNeededCodeableConcept.text } : {}),
      ...(maxPerDay ? { maxDosePerDay: maxPerDay } : {}),
      ...(keepText && d!.text ? { text: d!.text } : {}),
      ...(d!.patientInstruction ? { patientInstruction: d!.patientInstruction } : {}),
    },
    dispense: {
      quantity: { value: q!.value, unit: q!.code ?? q!.unit },
      numberOfRepeatsAllowed: mr.dispenseRequest?.numberOfRepeatsAllowed ?? 0,
      expectedSupplyDays: Math.round(mr.dispenseRequest?.expectedSupplyDuration?.value ?? 30),
      ...(performer ? { pharmacyId: performer } : {}),
      substitutionAllowed: mr.substitution?.allowedBoolean ?? true,
    },
    ...(reason && (reason.text || reason.coding?.length)
      ? {
          reason: {
            ...(reason.coding?.length
              ? { coding: reason.coding.map((c) => ({ system: c.system, code: c.code, display: c.display })) }
              : {}),
            ...(reason.text ? { text: reason.text } : {}),
          },
        }
      : {}),
    ...(mr.encounter?.reference?.startsWith('Encounter/') ? { encounterId: mr.encounter.reference.slice(10) } : {}),
  };
  const parsed = PrescribeBody.safeParse(candidate);
  if (!parsed.success)
    return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return { ok: true, body: parsed.data };
}

function withDispense(body: PrescribeBody, changes: RenewBody['dispense']): PrescribeBody['dispense'] {
  return {
    ...body.dispense,
    ...(changes?.quantity ? { quantity: changes.quantity } : {}),
    ...(changes?.numberOfRepeatsAllowed !== undefined
      ? { numberOfRepeatsAllowed: changes.numberOfRepeatsAllowed }
      : {}),
    ...(changes?.expectedSupplyDays !== undefined ? { expectedSupplyDays: changes.expectedSupplyDays } : {}),
  };
}

/** The prescription of a renewal: same drug and sig, new start date, the dispense changes, a fresh override. */
export function renewalInput(old: PrescribeBody, r: RenewBody, today: string): PrescribeBody {
  const { encounterId: _enc, note: _note, override: _ovr, startDate: _start, ...rest } = old;
  return {
    ...rest,
    dispense: withDispense(old, r.dispense),
    startDate: r.startDate ?? today,
    ...(r.note ? { note: r.note } : {}),
    ...(r.override ? { override: r.override } : {}),
  };
}

/** The prescription of a change: the new dosage (its own sig), the dispense changes, a fresh override. */
export function modificationInput(old: PrescribeBody, m: ModifyBody, today: string): PrescribeBody {
  const { encounterId: _enc, note: _note, override: _ovr, startDate: _start, ...rest } = old;
  return {
    ...rest,
    dosage: m.dosage,
    dispense: withDispense(old, m.dispense),
    startDate: today,
    ...(m.note ? { note: m.note } : {}),
    ...(m.override ? { override: m.override } : {}),
  };
}

/** Fields the new order carries besides the prescription: the link to the order it replaces. */
export function replacementLinks(old: fhir4.MedicationRequest): Partial<fhir4.MedicationRequest> {
  return {
    priorPrescription: { reference: `MedicationRequest/${old.id}` },
    ...(old.groupIdentifier ? { groupIdentifier: old.groupIdentifier } : {}),
  };
}

/**
 * The old order once replaced: a renewal completes it (it ran its course), a change stops it with the reason
 * "changed". `replacedBy` is the new order's reference (a urn:uuid inside a transaction).
 */
export function supersededOrder(
  old: fhir4.MedicationRequest,
  kind: ChangeKind,
  o: { by: fhir4.Reference; now: Date; replacedBy: string; reason?: string },
): fhir4.MedicationRequest {
  const at = o.now.toISOString();
  const text = kind === 'renew' ? 'Renewed' : `Changed${o.reason ? `: ${o.reason}` : ''}`;
  return {
    ...old,
    status: kind === 'renew' ? 'completed' : 'stopped',
    ...(kind === 'modify'
      ? { statusReason: { coding: [{ system: CHANGE_REASON_SYSTEM, code: 'changed', display: 'Changed' }], text } }
      : {}),
    note: [...(old.note ?? []), { text, time: at, authorReference: o.by }],
    extension: [
      ...(old.extension ?? []),
      {
        url: `${WINTEHR_EXT}/replaced-by`,
        extension: [
          { url: 'order', valueReference: { reference: o.replacedBy } },
          { url: 'kind', valueCode: kind },
          { url: 'by', valueReference: o.by },
          { url: 'at', valueDateTime: at },
        ],
      },
    ],
  };
}
