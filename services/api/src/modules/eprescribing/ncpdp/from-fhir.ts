import type { DeaSchedule } from '../../drug-safety/types';
import { FHIR_SYSTEMS, NCI_CODE, NCI_UNITS } from './codes';
import type {
  MedicationInfo,
  PatientInfo,
  PersonName,
  PharmacyInfo,
  PostalAddress,
  PrescriberInfo,
  PrescriptionContent,
} from './types';

/**
 * FHIR R4 (MedicationRequest + Patient + Practitioner + pharmacy Organization) → SCRIPT prescription content. Pure.
 * It never invents data: a missing element becomes '' / undefined and validate.ts names it. What the FHIR
 * resources cannot say is passed in `extra`: the DEA schedule (from the drug KB), the RxNorm term type and the
 * signer's DEA number (users.dea_number, the registration the EPCS checks were made against).
 */
export interface FhirPrescriptionInput {
  medicationRequest: fhir4.MedicationRequest;
  patient: fhir4.Patient;
  practitioner: fhir4.Practitioner;
  pharmacy: fhir4.Organization;
  extra?: { deaSchedule?: DeaSchedule; rxnormTty?: string; deaNumber?: string };
}

const digits = (s: string | undefined) => (s ?? '').replace(/\D/g, '');
const upper = (s: string | undefined) => s?.trim().toUpperCase();

function identifier(ids: fhir4.Identifier[] | undefined, systems: readonly string[]): string | undefined {
  return ids?.find((i) => i.system && systems.includes(i.system) && i.value)?.value?.trim();
}
function humanName(names: fhir4.HumanName[] | undefined): PersonName {
  const n = names?.find((x) => x.use === 'official') ?? names?.find((x) => x.use !== 'old') ?? names?.[0];
  return { last: n?.family?.trim() ?? '', first: n?.given?.[0]?.trim(), middle: n?.given?.[1]?.trim() };
}
function postal(addresses: fhir4.Address[] | undefined): PostalAddress | undefined {
  const a = addresses?.find((x) => x.use === 'work') ?? addresses?.find((x) => x.use === 'home') ?? addresses?.[0];
  if (!a) return undefined;
  return {
    line1: a.line?.[0] ?? '',
    line2: a.line?.[1],
    city: a.city ?? '',
    state: upper(a.state) ?? '',
    postalCode: digits(a.postalCode),
    country: a.country?.length === 2 ? a.country.toUpperCase() : 'US',
  };
}
function phoneOf(t: fhir4.ContactPoint[] | undefined): string | undefined {
  const p = t?.find((x) => x.system === 'phone' && x.use === 'work') ?? t?.find((x) => x.system === 'phone');
  const d = digits(p?.value);
  return d.length === 11 && d.startsWith('1') ? d.slice(1) : d || undefined;
}

export function patientFromFhir(p: fhir4.Patient): PatientInfo {
  return {
    name: humanName(p.name),
    gender: p.gender === 'male' ? 'M' : p.gender === 'female' ? 'F' : 'U',
    dateOfBirth: p.birthDate ?? '',
    address: postal(p.address),
    phone: phoneOf(p.telecom),
  };
}
export function pharmacyFromFhir(o: fhir4.Organization): PharmacyInfo {
  return {
    ncpdpId: identifier(o.identifier, [FHIR_SYSTEMS.ncpdp, ...FHIR_SYSTEMS.ncpdpAlt]) ?? '',
    npi: identifier(o.identifier, [FHIR_SYSTEMS.npi]),
    businessName: o.name?.trim() ?? '',
    address: postal(o.address),
    phone: phoneOf(o.telecom),
  };
}
export function prescriberFromFhir(p: fhir4.Practitioner, deaNumber?: string): PrescriberInfo {
  return {
    npi: identifier(p.identifier, [FHIR_SYSTEMS.npi]) ?? '',
    deaNumber: upper(deaNumber) ?? upper(identifier(p.identifier, [FHIR_SYSTEMS.dea, ...FHIR_SYSTEMS.deaAlt])),
    name: humanName(p.name),
    address: postal(p.address),
    phone: phoneOf(p.telecom),
  };
}

/** NCI unit code of a dispense quantity: an NCI-coded unit as is, otherwise a known unit word. */
export function unitCodeOf(q: fhir4.Quantity | undefined): string {
  if (q?.code && NCI_CODE.test(q.code)) return q.code;
  const word = (q?.unit ?? q?.code ?? '')
    .trim()
    .toLowerCase()
    .replace(/\(s\)$|s$/, '');
  return NCI_UNITS[word] ?? '';
}

function daysOf(d: fhir4.Duration | undefined): number | undefined {
  if (d?.value === undefined) return undefined;
  const unit = d.code ?? d.unit;
  const factor = unit === 'wk' || unit === 'week' || unit === 'weeks' ? 7 : unit === 'mo' || unit === 'month' ? 30 : 1;
  return Math.round(d.value * factor);
}

export function medicationFromFhir(
  mr: fhir4.MedicationRequest,
  extra: FhirPrescriptionInput['extra'] = {},
): MedicationInfo {
  const cc = mr.medicationCodeableConcept;
  const rx = cc?.coding?.find((c) => c.system === FHIR_SYSTEMS.rxnorm && c.code);
  const ndc = cc?.coding?.find((c) => c.system === FHIR_SYSTEMS.ndc && c.code);
  const dr = mr.dispenseRequest;
  const dosage = mr.dosageInstruction?.[0];
  const written = mr.authoredOn ?? '';
  return {
    description: (cc?.text ?? rx?.display ?? ndc?.display ?? '').trim(),
    ndc: ndc ? digits(ndc.code) : undefined,
    rxnorm: rx
      ? {
          code: rx.code!,
          qualifier:
            extra.rxnormTty && ['SBD', 'BPCK'].includes(extra.rxnormTty)
              ? extra.rxnormTty
              : extra.rxnormTty === 'GPCK'
                ? 'GPCK'
                : 'SCD',
        }
      : undefined,
    deaSchedule: extra.deaSchedule,
    quantity: {
      value: dr?.quantity?.value !== undefined ? String(dr.quantity.value) : '',
      unitCode: unitCodeOf(dr?.quantity),
    },
    daysSupply: daysOf(dr?.expectedSupplyDuration),
    writtenDate: written,
    substitutionsAllowed: mr.substitution?.allowedBoolean !== false,
    refills: dr?.numberOfRepeatsAllowed ?? 0,
    sig: (dosage?.text ?? dosage?.patientInstruction ?? '').trim(),
    note: mr.note?.[0]?.text?.trim() || undefined,
  };
}

export function prescriptionFromFhir(i: FhirPrescriptionInput): PrescriptionContent {
  return {
    patient: patientFromFhir(i.patient),
    pharmacy: pharmacyFromFhir(i.pharmacy),
    prescriber: prescriberFromFhir(i.practitioner, i.extra?.deaNumber),
    medication: medicationFromFhir(i.medicationRequest, i.extra),
  };
}
