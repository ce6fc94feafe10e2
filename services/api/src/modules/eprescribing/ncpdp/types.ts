import type { DeaSchedule } from '../../drug-safety/types';

/** Header To/From qualifiers: P = pharmacy (NCPDPID), C = prescriber/clinic, D = EHR/system, M = network. */
export type PartyQualifier = 'P' | 'C' | 'D' | 'M';
export interface Party {
  qualifier: PartyQualifier;
  id: string;
}

export interface ScriptHeader {
  to: Party;
  from: Party;
  messageId: string;
  relatesToMessageId?: string;
  /** ISO-8601 UTC. */
  sentTime: string;
  software?: { developer: string; product: string; version: string };
  prescriberOrderNumber?: string;
  rxReferenceNumber?: string;
  /**
   * EPCS digital signature. 2017071 carries one for controlled substances; its exact element layout is in the
   * licensed schema we could not consult, so this Header/DigitalSignature (Version, DigestValue, SignatureValue)
   * is our reading of public descriptions, not a verified structure.
   */
  digitalSignature?: { version: string; digestValue: string; signatureValue: string };
}

export interface PersonName {
  last: string;
  first?: string;
  middle?: string;
}
export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country?: string;
}

export interface PatientInfo {
  name: PersonName;
  gender: 'M' | 'F' | 'U';
  /** YYYY-MM-DD */
  dateOfBirth: string;
  address?: PostalAddress;
  phone?: string;
}
export interface PharmacyInfo {
  ncpdpId: string;
  npi?: string;
  businessName: string;
  address?: PostalAddress;
  phone?: string;
}
export interface PrescriberInfo {
  npi: string;
  deaNumber?: string;
  name: PersonName;
  address?: PostalAddress;
  phone?: string;
}

export interface MedicationInfo {
  description: string;
  /** 11-digit NDC (ProductCode, qualifier ND). */
  ndc?: string;
  rxnorm?: { code: string; qualifier: string };
  /** Controlled substance schedule; absent = not controlled. */
  deaSchedule?: DeaSchedule;
  quantity: { value: string; unitCode: string };
  daysSupply?: number;
  /** ISO date or date-time. */
  writtenDate: string;
  /** true → Substitutions 0 (allowed); false → 1 (dispense as written). */
  substitutionsAllowed: boolean;
  refills: number;
  sig: string;
  note?: string;
}

export interface PrescriptionContent {
  patient: PatientInfo;
  pharmacy: PharmacyInfo;
  prescriber: PrescriberInfo;
  medication: MedicationInfo;
}

export type ResponseDecision =
  { kind: 'Approved'; note?: string; refills?: number } | { kind: 'Denied'; reasonCode: string; note?: string };

export interface StatusLike {
  code: string;
  descriptionCode?: string;
  description?: string;
}

export type ScriptMessage =
  | { type: 'NewRx'; header: ScriptHeader; content: PrescriptionContent }
  | { type: 'CancelRx'; header: ScriptHeader; content: PrescriptionContent }
  | { type: 'RxRenewalRequest'; header: ScriptHeader; content: PrescriptionContent }
  | { type: 'RxRenewalResponse'; header: ScriptHeader; content: PrescriptionContent; response: ResponseDecision }
  | {
      type: 'RxChangeRequest';
      header: ScriptHeader;
      content: PrescriptionContent;
      changeCode: string;
      requested: MedicationInfo[];
    }
  | {
      type: 'RxChangeResponse';
      header: ScriptHeader;
      content: PrescriptionContent;
      changeCode: string;
      response: ResponseDecision;
    }
  | { type: 'Status'; header: ScriptHeader; status: StatusLike }
  | { type: 'Verify'; header: ScriptHeader; status: StatusLike }
  | { type: 'Error'; header: ScriptHeader; status: StatusLike }
  | { type: 'RxHistoryRequest'; header: ScriptHeader; patient: PatientInfo; prescriber?: PrescriberInfo }
  | {
      type: 'RxHistoryResponse';
      header: ScriptHeader;
      patient: PatientInfo;
      dispensed: Array<MedicationInfo & { lastFillDate?: string; pharmacyName?: string }>;
    };

export type ScriptMessageType = ScriptMessage['type'];
export const SCRIPT_MESSAGE_TYPES: readonly ScriptMessageType[] = [
  'NewRx',
  'CancelRx',
  'RxRenewalRequest',
  'RxRenewalResponse',
  'RxChangeRequest',
  'RxChangeResponse',
  'Status',
  'Verify',
  'Error',
  'RxHistoryRequest',
  'RxHistoryResponse',
];

export interface FieldIssue {
  field: string;
  message: string;
}
