import { NCI_CODE } from './codes';
import type {
  FieldIssue,
  MedicationInfo,
  PatientInfo,
  PersonName,
  PharmacyInfo,
  PostalAddress,
  PrescriberInfo,
  PrescriptionContent,
  ScriptHeader,
} from './types';

/**
 * Checks a prescription message before it is sent: required elements and SCRIPT field lengths/formats. Pure.
 * Every issue names the element path as it appears in the message, e.g.
 * `NewRx.Prescriber.NonVeterinarian.Identification.NPI`. Lengths are the 2017071 "an..n" sizes as published in
 * public implementation guides (SigText 1000, DrugDescription 105, names 35, AddressLine 40); not verified
 * against the licensed XSD.
 */
export const LIMITS = {
  name: 35,
  addressLine: 40,
  city: 35,
  businessName: 70,
  drugDescription: 105,
  sigText: 1000,
  messageId: 35,
  note: 210,
} as const;

/** NPI check digit: Luhn over the 9 digits prefixed by 80840 (CMS NPI standard). */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  const digits = `80840${npi.slice(0, 9)}`.split('').map(Number);
  let sum = 0;
  for (let i = digits.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let d = digits[i]!;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

/** DEA registration number: 2 letters + 7 digits, last digit = (d1+d3+d5 + 2*(d2+d4+d6)) mod 10. */
export function isValidDea(dea: string): boolean {
  const m = /^[A-Z][A-Z9](\d{7})$/.exec(dea);
  if (!m) return false;
  const d = m[1]!.split('').map(Number);
  return (d[0]! + d[2]! + d[4]! + 2 * (d[1]! + d[3]! + d[5]!)) % 10 === d[6];
}

class Checker {
  readonly issues: FieldIssue[] = [];
  req(path: string, v: string | undefined, max?: number, re?: RegExp, what?: string) {
    if (v === undefined || v.trim() === '') {
      this.issues.push({ field: path, message: 'is required' });
      return;
    }
    this.opt(path, v, max, re, what);
  }
  opt(path: string, v: string | undefined, max?: number, re?: RegExp, what?: string) {
    if (v === undefined) return;
    if (max !== undefined && v.length > max)
      this.issues.push({ field: path, message: `is longer than ${max} characters` });
    else if (re && !re.test(v)) this.issues.push({ field: path, message: `must be ${what ?? re.source}` });
  }
  add(field: string, message: string) {
    this.issues.push({ field, message });
  }
}

function checkName(c: Checker, path: string, n: PersonName | undefined, firstRequired: boolean) {
  c.req(`${path}.LastName`, n?.last, LIMITS.name);
  (firstRequired ? c.req : c.opt).call(c, `${path}.FirstName`, n?.first, LIMITS.name);
  c.opt(`${path}.MiddleName`, n?.middle, LIMITS.name);
}
function checkAddress(c: Checker, path: string, a: PostalAddress | undefined, required: boolean) {
  if (!a) {
    if (required) c.add(path, 'is required');
    return;
  }
  c.req(`${path}.AddressLine1`, a.line1, LIMITS.addressLine);
  c.opt(`${path}.AddressLine2`, a.line2, LIMITS.addressLine);
  c.req(`${path}.City`, a.city, LIMITS.city);
  c.req(`${path}.StateProvince`, a.state, 2, /^[A-Z]{2}$/, 'a 2-letter state code');
  c.req(`${path}.PostalCode`, a.postalCode, 9, /^\d{5}(\d{4})?$/, '5 or 9 digits');
}
const PHONE = /^\d{10}$/;

export function checkPatient(c: Checker, path: string, p: PatientInfo | undefined) {
  if (!p) {
    c.add(path, 'is required');
    return;
  }
  const h = `${path}.HumanPatient`;
  checkName(c, `${h}.Name`, p.name, true);
  c.req(`${h}.Gender`, p.gender, 1, /^[MFU]$/, 'M, F or U');
  c.req(`${h}.DateOfBirth.Date`, p.dateOfBirth, 10, /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
  checkAddress(c, `${h}.Address`, p.address, true);
  c.opt(`${h}.CommunicationNumbers.PrimaryTelephone.Number`, p.phone, 10, PHONE, '10 digits');
}
function checkPharmacy(c: Checker, path: string, p: PharmacyInfo | undefined) {
  if (!p) {
    c.add(path, 'is required');
    return;
  }
  c.req(`${path}.Identification.NCPDPID`, p.ncpdpId, 7, /^\d{7}$/, '7 digits');
  c.opt(`${path}.Identification.NPI`, p.npi, 10, /^\d{10}$/, '10 digits');
  c.req(`${path}.BusinessName`, p.businessName, LIMITS.businessName);
  checkAddress(c, `${path}.Address`, p.address, false);
  c.opt(`${path}.CommunicationNumbers.PrimaryTelephone.Number`, p.phone, 10, PHONE, '10 digits');
}
function checkPrescriber(c: Checker, path: string, p: PrescriberInfo | undefined, controlled: boolean) {
  if (!p) {
    c.add(path, 'is required');
    return;
  }
  const nv = `${path}.NonVeterinarian`;
  c.req(`${nv}.Identification.NPI`, p.npi, 10);
  if (p.npi && !isValidNpi(p.npi)) c.add(`${nv}.Identification.NPI`, 'is not a valid NPI (10 digits with check digit)');
  if (controlled) c.req(`${nv}.Identification.DEANumber`, p.deaNumber);
  if (p.deaNumber && !isValidDea(p.deaNumber)) c.add(`${nv}.Identification.DEANumber`, 'is not a valid DEA number');
  checkName(c, `${nv}.Name`, p.name, true);
  checkAddress(c, `${nv}.Address`, p.address, true);
  c.req(`${nv}.CommunicationNumbers.PrimaryTelephone.Number`, p.phone, 10, PHONE, '10 digits');
}
export function checkMedication(c: Checker, path: string, m: MedicationInfo | undefined) {
  if (!m) {
    c.add(path, 'is required');
    return;
  }
  c.req(`${path}.DrugDescription`, m.description, LIMITS.drugDescription);
  c.opt(`${path}.DrugCoded.ProductCode.Code`, m.ndc, 11, /^\d{11}$/, '11 digits (NDC 5-4-2 without dashes)');
  if (m.rxnorm) c.req(`${path}.DrugCoded.DrugDBCode.Code`, m.rxnorm.code, 15, /^\d+$/, 'digits');
  c.req(`${path}.Quantity.Value`, m.quantity?.value, 11, /^\d{1,8}(\.\d{1,3})?$/, 'a positive decimal');
  if (m.quantity?.value && Number(m.quantity.value) <= 0) c.add(`${path}.Quantity.Value`, 'must be greater than 0');
  if (m.quantity?.value)
    c.req(`${path}.Quantity.QuantityUnitOfMeasure.Code`, m.quantity?.unitCode, 8, NCI_CODE, 'an NCI code (C12345)');
  if (m.daysSupply !== undefined && !(Number.isInteger(m.daysSupply) && m.daysSupply >= 1 && m.daysSupply <= 999))
    c.add(`${path}.DaysSupply`, 'must be an integer 1-999');
  c.req(`${path}.WrittenDate`, m.writtenDate, 30, /^\d{4}-\d{2}-\d{2}(T.+)?$/, 'a date or date-time');
  if (!Number.isInteger(m.refills) || m.refills < 0 || m.refills > 99)
    c.add(`${path}.NumberOfRefills`, 'must be an integer 0-99');
  // 21 CFR 1306.12: no refills on schedule II.
  if (m.deaSchedule === 'II' && m.refills > 0)
    c.add(`${path}.NumberOfRefills`, 'must be 0 for a schedule II substance');
  if (m.deaSchedule && m.deaSchedule !== 'II' && m.refills > 5)
    c.add(`${path}.NumberOfRefills`, 'must be at most 5 for schedule III-V');
  c.req(`${path}.Sig.SigText`, m.sig, LIMITS.sigText);
  c.opt(`${path}.Note`, m.note, LIMITS.note);
}

export function checkHeader(c: Checker, h: ScriptHeader) {
  c.req('Header.To', h.to?.id, 35);
  c.req('Header.From', h.from?.id, 35);
  c.req('Header.MessageID', h.messageId, LIMITS.messageId);
  c.req('Header.SentTime', h.sentTime, 30, /^\d{4}-\d{2}-\d{2}T/, 'a date-time');
}

/** Issues of a prescription-bearing message (NewRx, CancelRx, Rx*Response ...); [] when it may be sent. */
export function validatePrescription(type: string, content: PrescriptionContent, header?: ScriptHeader): FieldIssue[] {
  const c = new Checker();
  if (header) checkHeader(c, header);
  checkPatient(c, `${type}.Patient`, content.patient);
  checkPharmacy(c, `${type}.Pharmacy`, content.pharmacy);
  checkPrescriber(c, `${type}.Prescriber`, content.prescriber, Boolean(content.medication?.deaSchedule));
  checkMedication(c, `${type}.MedicationPrescribed`, content.medication);
  return c.issues;
}
