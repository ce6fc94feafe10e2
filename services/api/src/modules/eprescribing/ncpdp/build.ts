import { create } from 'xmlbuilder2';
import { DEA_SCHEDULE_NCI, SCRIPT_NAMESPACE, SCRIPT_VERSION_ATTRIBUTES } from './codes';
import type {
  MedicationInfo,
  PatientInfo,
  PersonName,
  PharmacyInfo,
  PostalAddress,
  PrescriberInfo,
  PrescriptionContent,
  ResponseDecision,
  ScriptHeader,
  ScriptMessage,
  StatusLike,
} from './types';

/**
 * Builds NCPDP SCRIPT 2017071 XML from the typed messages in types.ts. Pure. Element names and order follow
 * public 2017071 samples (Patient/HumanPatient, Prescriber/NonVeterinarian, DrugCoded/ProductCode + DrugDBCode +
 * DEASchedule, Quantity/CodeListQualifier 38); the licensed XSD was not available, so ordering inside
 * Identification and Header beyond the samples is our best reading, not verified against the schema.
 */
type Node = { [k: string]: unknown };

/** Drops undefined / empty children so optional elements are simply absent. */
function clean(n: unknown): unknown {
  if (Array.isArray(n)) return n.map(clean);
  if (n && typeof n === 'object') {
    const out: Node = {};
    for (const [k, v] of Object.entries(n)) {
      if (v === undefined || v === null) continue;
      const c = clean(v);
      if (c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[k] = c;
    }
    return out;
  }
  return n;
}

const name = (n: PersonName) => ({ LastName: n.last, FirstName: n.first, MiddleName: n.middle });
const address = (a?: PostalAddress) =>
  a && {
    AddressLine1: a.line1,
    AddressLine2: a.line2,
    City: a.city,
    StateProvince: a.state,
    PostalCode: a.postalCode,
    CountryCode: a.country,
  };
const phones = (p?: string) => (p ? { PrimaryTelephone: { Number: p } } : undefined);

export function patientNode(p: PatientInfo) {
  return {
    HumanPatient: {
      Name: name(p.name),
      Gender: p.gender,
      DateOfBirth: { Date: p.dateOfBirth },
      Address: address(p.address),
      CommunicationNumbers: phones(p.phone),
    },
  };
}
export function pharmacyNode(p: PharmacyInfo) {
  return {
    Identification: { NCPDPID: p.ncpdpId, NPI: p.npi },
    BusinessName: p.businessName,
    Address: address(p.address),
    CommunicationNumbers: phones(p.phone),
  };
}
export function prescriberNode(p: PrescriberInfo) {
  return {
    NonVeterinarian: {
      Identification: { DEANumber: p.deaNumber, NPI: p.npi },
      Name: name(p.name),
      Address: address(p.address),
      CommunicationNumbers: phones(p.phone),
    },
  };
}
export function medicationNode(m: MedicationInfo) {
  return {
    DrugDescription: m.description,
    DrugCoded: {
      ProductCode: m.ndc ? { Code: m.ndc, Qualifier: 'ND' } : undefined,
      DrugDBCode: m.rxnorm ? { Code: m.rxnorm.code, Qualifier: m.rxnorm.qualifier } : undefined,
      DEASchedule: m.deaSchedule ? { Code: DEA_SCHEDULE_NCI[m.deaSchedule] } : undefined,
    },
    Quantity: {
      Value: m.quantity.value,
      CodeListQualifier: '38',
      QuantityUnitOfMeasure: { Code: m.quantity.unitCode },
    },
    DaysSupply: m.daysSupply !== undefined ? String(m.daysSupply) : undefined,
    WrittenDate: m.writtenDate.length > 10 ? { DateTime: m.writtenDate } : { Date: m.writtenDate },
    Substitutions: m.substitutionsAllowed ? '0' : '1',
    NumberOfRefills: String(m.refills),
    Note: m.note,
    Sig: { SigText: m.sig },
  };
}

function prescription(c: PrescriptionContent) {
  return {
    Patient: patientNode(c.patient),
    Pharmacy: pharmacyNode(c.pharmacy),
    Prescriber: prescriberNode(c.prescriber),
    MedicationPrescribed: medicationNode(c.medication),
  };
}
function response(r: ResponseDecision) {
  return r.kind === 'Approved'
    ? { Approved: r.note ? { Note: r.note } : '' }
    : { Denied: { ReasonCode: r.reasonCode, DenialReason: r.note } };
}
const statusNode = (s: StatusLike) => ({
  Code: s.code,
  DescriptionCode: s.descriptionCode,
  Description: s.description,
});

function headerNode(h: ScriptHeader) {
  return {
    To: { '@Qualifier': h.to.qualifier, '#': h.to.id },
    From: { '@Qualifier': h.from.qualifier, '#': h.from.id },
    MessageID: h.messageId,
    RelatesToMessageID: h.relatesToMessageId,
    SentTime: h.sentTime,
    SenderSoftware: h.software && {
      SenderSoftwareDeveloper: h.software.developer,
      SenderSoftwareProduct: h.software.product,
      SenderSoftwareVersionRelease: h.software.version,
    },
    RxReferenceNumber: h.rxReferenceNumber,
    PrescriberOrderNumber: h.prescriberOrderNumber,
    DigitalSignature: h.digitalSignature && {
      '@Version': h.digitalSignature.version,
      DigestValue: h.digitalSignature.digestValue,
      SignatureValue: h.digitalSignature.signatureValue,
    },
  };
}

function bodyNode(m: ScriptMessage): unknown {
  switch (m.type) {
    case 'NewRx':
    case 'CancelRx':
    case 'RxRenewalRequest':
      return prescription(m.content);
    case 'RxRenewalResponse':
      return { Response: response(m.response), ...prescription(m.content) };
    case 'RxChangeRequest':
      return {
        MessageRequestCode: m.changeCode,
        ...prescription(m.content),
        MedicationRequested: m.requested.length ? m.requested.map(medicationNode) : undefined,
      };
    case 'RxChangeResponse':
      return { MessageRequestCode: m.changeCode, Response: response(m.response), ...prescription(m.content) };
    case 'Status':
    case 'Error':
      return statusNode(m.status);
    case 'Verify':
      return { VerifyStatus: statusNode(m.status) };
    case 'RxHistoryRequest':
      return { Patient: patientNode(m.patient), Prescriber: m.prescriber && prescriberNode(m.prescriber) };
    case 'RxHistoryResponse':
      return {
        Patient: patientNode(m.patient),
        MedicationDispensed: m.dispensed.map((d) => ({
          ...medicationNode(d),
          LastFillDate: d.lastFillDate && { Date: d.lastFillDate },
          Pharmacy: d.pharmacyName && { BusinessName: d.pharmacyName },
        })),
      };
  }
}

/** The whole message as an XML string (UTF-8, no pretty printing unless asked). */
export function buildScriptXml(m: ScriptMessage, opts: { pretty?: boolean } = {}): string {
  const attrs = Object.fromEntries(Object.entries(SCRIPT_VERSION_ATTRIBUTES).map(([k, v]) => [`@${k}`, v]));
  const doc = clean({
    Message: { '@xmlns': SCRIPT_NAMESPACE, ...attrs, Header: headerNode(m.header), Body: { [m.type]: bodyNode(m) } },
  }) as Node;
  return create({ version: '1.0', encoding: 'UTF-8' }, doc).end({ prettyPrint: opts.pretty ?? false });
}
