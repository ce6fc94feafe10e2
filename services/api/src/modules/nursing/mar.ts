import type { MarDose, MarDoseState, MarOrder, MarOutcome, MarResponse } from '@wintehr/contracts';
import { WINTEHR_EXT } from '../../core/fhir/fhir-kit';
import { dueTimes, isPrn } from './due-doses';

/**
 * The medication administration record for one day, pure: each current order with its due doses, each dose's
 * state taken from the MedicationAdministrations that document it (linked by request and scheduled time).
 */
export const DUE_TIME_EXT = `${WINTEHR_EXT}/mar-due-time`;
/** Identifies one scheduled dose, so HAPI's conditional create refuses a second record of it. */
export const DOSE_IDENTIFIER = 'urn:wintehr:mar-dose';

export const STATUS_OF: Record<MarOutcome, fhir4.MedicationAdministration['status']> = {
  given: 'completed',
  'not-given': 'not-done',
  held: 'on-hold',
};
const STATE_OF: Partial<Record<fhir4.MedicationAdministration['status'], MarDoseState>> = {
  completed: 'given',
  'not-done': 'not-given',
  'on-hold': 'held',
};

export const dueAtOf = (a: fhir4.MedicationAdministration) =>
  a.extension?.find((e) => e.url === DUE_TIME_EXT)?.valueDateTime;
export const requestIdOf = (a: fhir4.MedicationAdministration) =>
  /^MedicationRequest\/([^/]+)$/.exec(a.request?.reference ?? '')?.[1];
export const doseKey = (requestId: string, dueAt: string) => `${requestId}|${new Date(dueAt).toISOString()}`;

/** Orders a nurse may give doses of. */
export const isCurrentOrder = (r: fhir4.MedicationRequest) =>
  r.status === 'active' && r.intent !== 'proposal' && r.intent !== 'plan';

const medicationText = (r: fhir4.MedicationRequest) =>
  r.medicationCodeableConcept?.text ??
  r.medicationCodeableConcept?.coding?.find((c) => c.display)?.display ??
  r.medicationReference?.display ??
  'Medication';

function doseOf(a: fhir4.MedicationAdministration): MarDose | undefined {
  const state = STATE_OF[a.status];
  if (!state) return undefined;
  const dueAt = dueAtOf(a);
  const reason = a.statusReason?.[0]?.text;
  return {
    ...(dueAt ? { dueAt } : {}),
    state,
    ...(a.id ? { administrationId: a.id } : {}),
    ...(a.effectiveDateTime ? { recordedAt: a.effectiveDateTime } : {}),
    ...(reason ? { reason } : {}),
  };
}

export function buildMar(
  day: string,
  requests: readonly fhir4.MedicationRequest[],
  administrations: readonly fhir4.MedicationAdministration[],
): MarResponse {
  const byRequest = new Map<string, fhir4.MedicationAdministration[]>();
  for (const a of administrations) {
    const id = requestIdOf(a);
    if (id && a.status !== 'entered-in-error') byRequest.set(id, [...(byRequest.get(id) ?? []), a]);
  }
  const orders: MarOrder[] = requests
    .filter((r) => isCurrentOrder(r) || r.status === 'on-hold')
    .map((r) => {
      const dosage = r.dosageInstruction?.[0];
      const given = byRequest.get(r.id!) ?? [];
      const documented = new Map(given.filter(dueAtOf).map((a) => [new Date(dueAtOf(a)!).toISOString(), a]));
      const doses = dueTimes(dosage, day).map((dueAt): MarDose => {
        const a = documented.get(dueAt);
        return (a && doseOf(a)) ?? { dueAt, state: 'due' };
      });
      const prnDoses = given
        .filter((a) => !dueAtOf(a) && a.effectiveDateTime?.startsWith(day))
        .map(doseOf)
        .filter((d): d is MarDose => !!d);
      return {
        medicationRequestId: r.id!,
        medication: medicationText(r),
        dosage: dosage?.text ?? '',
        status: r.status,
        prn: isPrn(dosage),
        doses,
        prnDoses,
      };
    });
  return { date: day, orders };
}
