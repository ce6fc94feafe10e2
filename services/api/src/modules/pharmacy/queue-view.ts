import { humanNameText } from '../../core/fhir/fhir-kit';
import type { QueueItem } from '@wintehr/contracts';
import type { FindingView } from '../drug-safety/drug-safety.service';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { ageInYears } from '../drug-safety/patient-safety-context';
import { MRN_SYSTEM } from '../patients/mrn';
import type { NewQueueItem, QueueItemRow } from './queue.repository';
import { remainingQuantity } from './stock-rules';
import { RXNORM_SYSTEM } from './ndc';

/** Pure mapping from HAPI resources and the queue row to what the pharmacist's screens show. */

/** The pharmacist's view of a queue item is wire contract. */
export type QueueItemView = QueueItem;

const PRIORITIES = new Set(['routine', 'urgent', 'asap', 'stat']);

/** The queue row for a MedicationRequest routed to `orgId`; undefined when it is not a dispensable order. */
export function queueItemFromRequest(mr: fhir4.MedicationRequest, orgId: string): NewQueueItem | undefined {
  const patientId = idFromReference(mr.subject?.reference, 'Patient');
  if (!mr.id || !patientId || mr.status !== 'active' || mr.intent !== 'order') return undefined;
  if (idFromReference(mr.dispenseRequest?.performer?.reference, 'Organization') !== orgId) return undefined;
  const q = mr.dispenseRequest?.quantity?.value;
  return {
    medicationRequestId: mr.id,
    pharmacyOrgId: orgId,
    patientId,
    priority: mr.priority && PRIORITIES.has(mr.priority) ? mr.priority : 'routine',
    ...(mr.authoredOn ? { authoredOn: mr.authoredOn } : {}),
    ...(typeof q === 'number' && q > 0 ? { quantityPrescribed: q } : {}),
  };
}

export function patientView(id: string, p: fhir4.Patient | undefined, now: Date): QueueItemView['patient'] {
  if (!p) return { id };
  const mrn =
    p.identifier?.find((i) => i.system === MRN_SYSTEM)?.value ??
    p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === 'MR'))?.value;
  const age = ageInYears(p.birthDate, now);
  const name = humanNameText(p.name);
  return {
    id,
    ...(name ? { name } : {}),
    ...(mrn ? { mrn } : {}),
    ...(age !== undefined ? { ageYears: age } : {}),
    ...(p.gender ? { gender: p.gender } : {}),
  };
}

export function drugView(mr: fhir4.MedicationRequest | undefined): QueueItemView['drug'] {
  if (!mr) return {};
  const cc = mr.medicationCodeableConcept;
  const rx = cc?.coding?.find((c) => c.system === RXNORM_SYSTEM);
  const q = mr.dispenseRequest?.quantity;
  const days = mr.dispenseRequest?.expectedSupplyDuration?.value;
  const dea = mr.extension?.find((e) => e.url.endsWith('/dea-schedule'))?.valueCode;
  const sig = mr.dosageInstruction
    ?.map((d) => d.text)
    .filter(Boolean)
    .join('; ');
  return {
    ...(rx?.code ? { rxnorm: rx.code } : {}),
    ...((cc?.text ?? rx?.display ?? mr.medicationReference?.display)
      ? { display: cc?.text ?? rx?.display ?? mr.medicationReference?.display }
      : {}),
    ...(typeof q?.value === 'number'
      ? { quantity: { value: q.value, ...(q.unit ? { unit: q.unit } : {}), ...(q.code ? { code: q.code } : {}) } }
      : {}),
    ...(typeof days === 'number' ? { daysSupply: days } : {}),
    ...(typeof mr.dispenseRequest?.numberOfRepeatsAllowed === 'number'
      ? { refills: mr.dispenseRequest.numberOfRepeatsAllowed }
      : {}),
    ...(sig ? { sig } : {}),
    ...(typeof mr.substitution?.allowedBoolean === 'boolean'
      ? { substitutionAllowed: mr.substitution.allowedBoolean }
      : {}),
    ...(dea ? { deaSchedule: dea } : {}),
  };
}

export function prescriberView(
  mr: fhir4.MedicationRequest | undefined,
  prac: fhir4.Practitioner | undefined,
): QueueItemView['prescriber'] | undefined {
  const ref = mr?.requester?.reference;
  if (!ref) return undefined;
  const id = idFromReference(ref, 'Practitioner');
  const name = humanNameText(prac?.name) ?? mr?.requester?.display;
  return { reference: ref, ...(id ? { id } : {}), ...(name ? { name } : {}) };
}

export function itemView(
  row: QueueItemRow,
  me: string,
  now: Date,
  r: {
    mr?: fhir4.MedicationRequest;
    patient?: fhir4.Patient;
    prescriber?: fhir4.Practitioner;
    findings?: FindingView[];
    findingsError?: string;
  },
): QueueItemView {
  const remaining = remainingQuantity(row.quantityPrescribed ?? undefined, row.quantityDispensed);
  const prescriber = prescriberView(r.mr, r.prescriber);
  return {
    medicationRequestId: row.medicationRequestId,
    status: row.status,
    priority: row.priority,
    stat: isStat(row.priority),
    authoredOn: row.authoredOn,
    ...(r.mr?.status ? { prescriptionStatus: r.mr.status } : {}),
    patient: patientView(row.patientId, r.patient, now),
    drug: drugView(r.mr),
    ...(prescriber ? { prescriber } : {}),
    quantityDispensed: row.quantityDispensed,
    ...(remaining !== undefined ? { quantityRemaining: remaining } : {}),
    claimedBy: row.claimedBy,
    claimedAt: row.claimedAt,
    claimedByMe: row.claimedBy === me,
    verifiedAt: row.verifiedAt,
    decisions: row.decisions,
    ...(r.findings ? { findings: r.findings } : {}),
    ...(r.findingsError ? { findingsError: r.findingsError } : {}),
  };
}

export function isStat(priority: string): boolean {
  return priority === 'stat' || priority === 'asap';
}

/** STAT/ASAP first, then newest first; ties by id so the order is stable. */
export function compareQueueRows(
  a: Pick<QueueItemRow, 'priority' | 'authoredOn' | 'medicationRequestId'>,
  b: typeof a,
): number {
  const s = Number(isStat(b.priority)) - Number(isStat(a.priority));
  if (s) return s;
  const t = (b.authoredOn ?? '').localeCompare(a.authoredOn ?? '');
  return t || a.medicationRequestId.localeCompare(b.medicationRequestId);
}
