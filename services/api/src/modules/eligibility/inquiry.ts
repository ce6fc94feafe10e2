import type { Eligibility270Input, Gender, Person270 } from '@wintehr/x12';
import { AppError } from '../../core/errors';

/**
 * From FHIR to a 270: who is asked about (Coverage, Patient, the subscriber when the patient is a dependent),
 * whom we ask (the payer Organization) and who asks (the provider's NPI). Pure: the service reads the resources.
 */
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';
/** Where a payer Organization keeps its X12 payer id (NM109 of NM1*PR). */
export const X12_PAYER_ID_SYSTEM = 'http://wintehr.org/fhir/sid/x12-payer-id';

const missing = (message: string, details?: Record<string, unknown>) =>
  new AppError(422, 'ELIGIBILITY_DATA_MISSING', message, details);

export interface InquiryProvider {
  npi: string;
  organizationName?: string;
  lastName?: string;
  firstName?: string;
}

export interface InquiryParts {
  patient: fhir4.Patient;
  coverage: fhir4.Coverage;
  /** The subscriber when it is not the patient (Coverage.subscriber resolved). */
  subscriber?: fhir4.Patient | fhir4.RelatedPerson;
  payer: fhir4.Organization;
  provider: InquiryProvider;
}

export interface InquiryOptions {
  serviceDate: string;
  serviceTypes: string[];
  at: Date;
  controlNumber: number;
  traceNumber: string;
  senderId: string;
  receiverId: string;
}

/** The member id the payer knows: Coverage.subscriberId, else a member-number identifier (v2 type MB), else the first identifier. */
export function memberIdOf(c: fhir4.Coverage): string | undefined {
  const byType = c.identifier?.find((i) => i.type?.coding?.some((x) => x.code === 'MB'))?.value;
  return (c.subscriberId ?? byType ?? c.identifier?.[0]?.value)?.trim() || undefined;
}

/** The X12 payer id: our payer-id identifier, else the Organization's first identifier. */
export function payerIdOf(o: fhir4.Organization): string | undefined {
  return (
    (
      o.identifier?.find((i) => i.system === X12_PAYER_ID_SYSTEM)?.value ?? o.identifier?.find((i) => i.value)?.value
    )?.trim() || undefined
  );
}

/** Whether the patient is the subscriber (relationship "self", or the same reference). */
export function patientIsSubscriber(c: fhir4.Coverage, patientId: string): boolean {
  if (c.relationship?.coding?.some((x) => x.code === 'self')) return true;
  return !c.subscriber?.reference || c.subscriber.reference === `Patient/${patientId}`;
}

const GENDER: Record<string, Gender> = { male: 'M', female: 'F' };

export function personOf(r: fhir4.Patient | fhir4.RelatedPerson, role: string): Person270 {
  const name = r.name?.find((n) => n.use === 'official') ?? r.name?.[0];
  if (!name?.family) throw missing(`The ${role} has no family name, which the payer needs to find the member`);
  return {
    lastName: name.family,
    firstName: name.given?.[0],
    middleName: name.given?.[1],
    birthDate: r.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(r.birthDate) ? r.birthDate : undefined,
    gender: r.gender ? (GENDER[r.gender] ?? 'U') : undefined,
  };
}

export function toInquiry(parts: InquiryParts, o: InquiryOptions): Eligibility270Input {
  const { patient, coverage, payer } = parts;
  const memberId = memberIdOf(coverage);
  if (!memberId) throw missing('The coverage has no member id (Coverage.subscriberId)', { coverageId: coverage.id });
  const payerId = payerIdOf(payer);
  if (!payerId) throw missing('The payer organization has no payer id', { organizationId: payer.id });
  const self = patientIsSubscriber(coverage, patient.id ?? '');
  if (!self && !parts.subscriber)
    throw missing('The patient is a dependent but the coverage names no readable subscriber', {
      coverageId: coverage.id,
    });
  const patientPerson = personOf(patient, 'patient');
  return {
    interchange: { senderId: o.senderId, receiverId: o.receiverId, controlNumber: o.controlNumber },
    at: o.at,
    referenceId: o.traceNumber,
    traceNumber: o.traceNumber,
    payer: { name: payer.name ?? 'PAYER', id: payerId },
    provider: parts.provider,
    subscriber: { ...(self ? patientPerson : personOf(parts.subscriber!, 'subscriber')), memberId },
    dependent: self ? undefined : patientPerson,
    serviceDate: o.serviceDate,
    serviceTypes: o.serviceTypes,
  };
}

/** The person asking: the signed-in practitioner when they have an NPI, else the organization from config. */
export function providerOf(
  practitioner: fhir4.Practitioner | undefined,
  fallback: { npi: string; name: string },
): InquiryProvider {
  const npi = practitioner?.identifier?.find((i) => i.system === NPI_SYSTEM)?.value;
  const name = practitioner?.name?.[0];
  if (npi && name?.family) return { npi, lastName: name.family, firstName: name.given?.[0] };
  return { npi: fallback.npi, organizationName: fallback.name };
}
