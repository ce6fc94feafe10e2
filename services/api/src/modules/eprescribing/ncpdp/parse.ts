import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DEA_SCHEDULE_NCI } from './codes';
import type { DeaSchedule } from '../../drug-safety/types';
import {
  SCRIPT_MESSAGE_TYPES,
  type MedicationInfo,
  type PartyQualifier,
  type PatientInfo,
  type PersonName,
  type PharmacyInfo,
  type PostalAddress,
  type PrescriberInfo,
  type PrescriptionContent,
  type ResponseDecision,
  type ScriptHeader,
  type ScriptMessage,
  type ScriptMessageType,
  type StatusLike,
} from './types';

/**
 * Parses SCRIPT 2017071 XML into the typed messages of types.ts. Pure. Refuses (ScriptParseError) anything that is
 * not well-formed, is not a <Message> with Header and exactly one known Body element, or lacks the header ids;
 * business-level completeness is validate.ts's job. Namespace prefixes are ignored (senders differ).
 */
export class ScriptParseError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type X = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: true,
  processEntities: true,
  isArray: (tag) => tag === 'MedicationRequested' || tag === 'MedicationDispensed',
});

/** The text of an element (string, or {#text} when it carries attributes). */
export function txt(n: unknown): string | undefined {
  if (n === undefined || n === null) return undefined;
  if (typeof n === 'string') return n === '' ? undefined : n;
  if (typeof n === 'number' || typeof n === 'boolean') return String(n);
  if (typeof n === 'object' && '#text' in (n as X)) return txt((n as X)['#text']);
  return undefined;
}
const obj = (n: unknown): X => (n && typeof n === 'object' ? (n as X) : {});
const at = (n: unknown, ...path: string[]): unknown => path.reduce<unknown>((cur, k) => obj(cur)[k], n);

function name(n: unknown): PersonName {
  return { last: txt(at(n, 'LastName')) ?? '', first: txt(at(n, 'FirstName')), middle: txt(at(n, 'MiddleName')) };
}
function address(n: unknown): PostalAddress | undefined {
  if (!n || typeof n !== 'object') return undefined;
  return {
    line1: txt(at(n, 'AddressLine1')) ?? '',
    line2: txt(at(n, 'AddressLine2')),
    city: txt(at(n, 'City')) ?? '',
    state: txt(at(n, 'StateProvince')) ?? '',
    postalCode: txt(at(n, 'PostalCode')) ?? '',
    country: txt(at(n, 'CountryCode')),
  };
}
const phone = (n: unknown) => txt(at(n, 'CommunicationNumbers', 'PrimaryTelephone', 'Number'));

export function readPatient(n: unknown): PatientInfo {
  const h = at(n, 'HumanPatient') ?? n;
  const g = txt(at(h, 'Gender'));
  return {
    name: name(at(h, 'Name')),
    gender: g === 'M' || g === 'F' ? g : 'U',
    dateOfBirth: txt(at(h, 'DateOfBirth', 'Date')) ?? '',
    address: address(at(h, 'Address')),
    phone: phone(h),
  };
}
export function readPharmacy(n: unknown): PharmacyInfo {
  return {
    ncpdpId: txt(at(n, 'Identification', 'NCPDPID')) ?? '',
    npi: txt(at(n, 'Identification', 'NPI')),
    businessName: txt(at(n, 'BusinessName')) ?? '',
    address: address(at(n, 'Address')),
    phone: phone(n),
  };
}
export function readPrescriber(n: unknown): PrescriberInfo {
  const p = at(n, 'NonVeterinarian') ?? n;
  return {
    npi: txt(at(p, 'Identification', 'NPI')) ?? '',
    deaNumber: txt(at(p, 'Identification', 'DEANumber')),
    name: name(at(p, 'Name')),
    address: address(at(p, 'Address')),
    phone: phone(p),
  };
}
const SCHEDULE_BY_NCI = new Map(Object.entries(DEA_SCHEDULE_NCI).map(([s, c]) => [c, s]));
export function readMedication(n: unknown): MedicationInfo {
  const coded = at(n, 'DrugCoded');
  const rxCode = txt(at(coded, 'DrugDBCode', 'Code'));
  const sched = SCHEDULE_BY_NCI.get(txt(at(coded, 'DEASchedule', 'Code')) ?? '');
  const written = txt(at(n, 'WrittenDate', 'DateTime')) ?? txt(at(n, 'WrittenDate', 'Date')) ?? '';
  const days = txt(at(n, 'DaysSupply'));
  return {
    description: txt(at(n, 'DrugDescription')) ?? '',
    ndc: txt(at(coded, 'ProductCode', 'Code')),
    rxnorm: rxCode ? { code: rxCode, qualifier: txt(at(coded, 'DrugDBCode', 'Qualifier')) ?? '' } : undefined,
    deaSchedule: sched && sched !== 'I' ? (sched as DeaSchedule) : undefined,
    quantity: {
      value: txt(at(n, 'Quantity', 'Value')) ?? '',
      unitCode: txt(at(n, 'Quantity', 'QuantityUnitOfMeasure', 'Code')) ?? '',
    },
    daysSupply: days !== undefined ? Number(days) : undefined,
    writtenDate: written,
    substitutionsAllowed: (txt(at(n, 'Substitutions')) ?? '0') === '0',
    refills: Number(txt(at(n, 'NumberOfRefills')) ?? '0'),
    sig: txt(at(n, 'Sig', 'SigText')) ?? '',
    note: txt(at(n, 'Note')),
  };
}
function prescription(b: unknown): PrescriptionContent {
  return {
    patient: readPatient(at(b, 'Patient')),
    pharmacy: readPharmacy(at(b, 'Pharmacy')),
    prescriber: readPrescriber(at(b, 'Prescriber')),
    medication: readMedication(at(b, 'MedicationPrescribed')),
  };
}
function decision(r: unknown): ResponseDecision {
  const o = obj(r);
  if ('Approved' in o || 'ApprovedWithChanges' in o)
    return { kind: 'Approved', note: txt(at(o.Approved ?? o.ApprovedWithChanges, 'Note')) };
  if ('Denied' in o)
    return {
      kind: 'Denied',
      reasonCode: txt(at(o.Denied, 'ReasonCode')) ?? '',
      note: txt(at(o.Denied, 'DenialReason')),
    };
  throw new ScriptParseError('Response has neither Approved nor Denied', 'Response');
}
const statusOf = (n: unknown): StatusLike => ({
  code: txt(at(n, 'Code')) ?? '',
  descriptionCode: txt(at(n, 'DescriptionCode')),
  description: txt(at(n, 'Description')),
});

function party(n: unknown, field: string): { qualifier: PartyQualifier; id: string } {
  const id = txt(n);
  if (!id) throw new ScriptParseError(`Header.${field} is missing`, `Header.${field}`);
  const q = (obj(n)['@_Qualifier'] as string | undefined) ?? '';
  if (!['P', 'C', 'D', 'M'].includes(q))
    throw new ScriptParseError(`Header.${field} has no valid Qualifier`, `Header.${field}.Qualifier`);
  return { qualifier: q as PartyQualifier, id };
}

export function parseScriptXml(xml: string): ScriptMessage {
  if (typeof xml !== 'string' || !xml.trim()) throw new ScriptParseError('Empty message');
  // No DTDs: entity expansion is an attack surface and SCRIPT never needs one.
  if (/<!DOCTYPE/i.test(xml)) throw new ScriptParseError('DOCTYPE is not allowed');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new ScriptParseError(`Not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as X;
  const msg = doc.Message;
  if (!msg || typeof msg !== 'object') throw new ScriptParseError('Root element is not <Message>', 'Message');
  const h = at(msg, 'Header');
  if (!h || typeof h !== 'object') throw new ScriptParseError('Header is missing', 'Header');
  const messageId = txt(at(h, 'MessageID'));
  if (!messageId) throw new ScriptParseError('Header.MessageID is missing', 'Header.MessageID');
  const sw = at(h, 'SenderSoftware');
  const header: ScriptHeader = {
    to: party(at(h, 'To'), 'To'),
    from: party(at(h, 'From'), 'From'),
    messageId,
    relatesToMessageId: txt(at(h, 'RelatesToMessageID')),
    sentTime: txt(at(h, 'SentTime')) ?? '',
    software: sw
      ? {
          developer: txt(at(sw, 'SenderSoftwareDeveloper')) ?? '',
          product: txt(at(sw, 'SenderSoftwareProduct')) ?? '',
          version: txt(at(sw, 'SenderSoftwareVersionRelease')) ?? '',
        }
      : undefined,
    rxReferenceNumber: txt(at(h, 'RxReferenceNumber')),
    prescriberOrderNumber: txt(at(h, 'PrescriberOrderNumber')),
    digitalSignature: at(h, 'DigitalSignature')
      ? {
          version: (obj(at(h, 'DigitalSignature'))['@_Version'] as string | undefined) ?? '',
          digestValue: txt(at(h, 'DigitalSignature', 'DigestValue')) ?? '',
          signatureValue: txt(at(h, 'DigitalSignature', 'SignatureValue')) ?? '',
        }
      : undefined,
  };
  const body = obj(at(msg, 'Body'));
  const kinds = Object.keys(body).filter((k) => !k.startsWith('@_'));
  if (kinds.length !== 1) throw new ScriptParseError('Body must hold exactly one message', 'Body');
  const type = kinds[0] as ScriptMessageType;
  if (!SCRIPT_MESSAGE_TYPES.includes(type)) throw new ScriptParseError(`Unsupported message type ${kinds[0]}`, 'Body');
  const b = body[type];
  switch (type) {
    case 'NewRx':
    case 'CancelRx':
    case 'RxRenewalRequest':
      return { type, header, content: prescription(b) };
    case 'RxRenewalResponse':
      return { type, header, content: prescription(b), response: decision(at(b, 'Response')) };
    case 'RxChangeRequest':
      return {
        type,
        header,
        content: prescription(b),
        changeCode: txt(at(b, 'MessageRequestCode')) ?? '',
        requested: ((at(b, 'MedicationRequested') as unknown[] | undefined) ?? []).map(readMedication),
      };
    case 'RxChangeResponse':
      return {
        type,
        header,
        content: prescription(b),
        changeCode: txt(at(b, 'MessageRequestCode')) ?? '',
        response: decision(at(b, 'Response')),
      };
    case 'Status':
    case 'Error':
      return { type, header, status: statusOf(b) } as ScriptMessage;
    case 'Verify':
      return { type, header, status: statusOf(at(b, 'VerifyStatus')) };
    case 'RxHistoryRequest':
      return {
        type,
        header,
        patient: readPatient(at(b, 'Patient')),
        prescriber: at(b, 'Prescriber') ? readPrescriber(at(b, 'Prescriber')) : undefined,
      };
    case 'RxHistoryResponse':
      return {
        type,
        header,
        patient: readPatient(at(b, 'Patient')),
        dispensed: ((at(b, 'MedicationDispensed') as unknown[] | undefined) ?? []).map((d) => ({
          ...readMedication(d),
          lastFillDate: txt(at(d, 'LastFillDate', 'Date')),
          pharmacyName: txt(at(d, 'Pharmacy', 'BusinessName')),
        })),
      };
  }
}
