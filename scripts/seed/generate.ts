/**
 * Pure, deterministic generators of FHIR R4 transaction bundles for demo data.
 *
 *   generateDirectory(seed)                         -> Bundle (organization, location, staff, pharmacies, payers)
 *   generatePatient(seed, index, directoryRefs, o?) -> Bundle (one patient and everything about them)
 *
 * Every entry is a conditional create (`ifNoneExist: identifier=urn:wintehr:demo|<value>`), and every
 * resource carries that identifier, so posting the same bundle twice creates nothing new.
 * `fullUrl`s are `urn:uuid:` values derived from the same identifier value.
 *
 * Determinism: the output depends only on (seed, index, directoryRefs, options.anchor). Nothing reads
 * the clock or Math.random. Patients 0 and 1 are fixed, hand-written demo patients (Maria Garcia,
 * John Smith) and do not depend on the seed at all.
 */

import {
  ALLERGIES,
  ALLERGY_WEIGHTS,
  APPOINTMENT_TYPES,
  CITIES,
  CONDITIONS,
  ENCOUNTER_TYPES,
  FEMALE_FIRST_NAMES,
  INR_THERAPEUTIC,
  INTERACTION_SCENARIOS,
  INTERPRETATIONS,
  LABS,
  LAST_NAMES,
  MALE_FIRST_NAMES,
  MEDICAL_CENTER,
  MEDICATIONS,
  PANELS,
  PAYERS,
  PHARMACIES,
  REACTIONS,
  ROLE_CODES,
  ROUTES,
  STAFF,
  STREET_NAMES,
  STREET_SUFFIXES,
  SYS,
  VITALS,
  interpret,
  type AllergyDef,
  type AllergyKey,
  type CodingDef,
  type ConditionKey,
  type InteractionScenario,
  type LabDef,
  type LabKey,
  type MedicationDef,
  type MedicationKey,
  type PanelKey,
  type RangeDef,
  type StaffDef,
  type VitalDef,
} from './catalog';
import { Rng, round, stableUuid } from './prng';

// ---------------------------------------------------------------------------
// Public constants and types
// ---------------------------------------------------------------------------

export const DEFAULT_SEED = 42;
/** Default "today" for the pure generator; the CLI passes the real current date. */
export const DEFAULT_ANCHOR = '2026-01-15';
/** Number of fixed, hand-written demo patients at the start of every run. */
export const FIXED_PATIENT_COUNT = 2;

export interface GenerateOptions {
  /** "Today" as YYYY-MM-DD: encounters are before it, appointments after it. */
  anchor?: string;
}

/**
 * Directory references keyed by the directory resource's `urn:wintehr:demo` identifier value
 * (e.g. `practitioner-wilson` -> `Practitioner/123` or a `urn:uuid:` fullUrl).
 */
export type DirectoryRefs = Readonly<Record<string, string>>;

/** Stable identifier values that other parts of WintEHR may rely on. */
export const DEMO_IDS = {
  medicalCenter: MEDICAL_CENTER.key,
  location: MEDICAL_CENTER.locationKey,
  practitioner: (staffKey: string) => `practitioner-${staffKey}`,
  practitionerRole: (staffKey: string) => `practitionerrole-${staffKey}`,
  pharmacy: (key: string) => `pharmacy-${key}`,
  payer: (key: string) => `payer-${key}`,
} as const;

export const FIXED_PATIENTS = [
  { index: 0, name: 'Maria Garcia', mrn: 'MRN-000001', demoIdentifier: 'fixed-0-patient' },
  { index: 1, name: 'John Smith', mrn: 'MRN-000002', demoIdentifier: 'fixed-1-patient' },
] as const;

/** The `urn:wintehr:demo` identifier value of patient `index`'s Patient resource. */
export function patientDemoIdentifier(seed: number, index: number): string {
  return index < FIXED_PATIENT_COUNT ? `fixed-${index}-patient` : `s${seed}-p${index}-patient`;
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

const DAY_MS = 86_400_000;

function parseDay(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`invalid date ${day} (expected YYYY-MM-DD)`);
  return ms;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoInstant(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function ageAt(birthDate: string, atMs: number): number {
  const b = new Date(parseDay(birthDate));
  const a = new Date(atMs);
  let age = a.getUTCFullYear() - b.getUTCFullYear();
  if (a.getUTCMonth() < b.getUTCMonth() || (a.getUTCMonth() === b.getUTCMonth() && a.getUTCDate() < b.getUTCDate()))
    age--;
  return age;
}

function coding(c: CodingDef): fhir4.Coding {
  return { system: c.system, code: c.code, display: c.display };
}

function concept(codings: readonly CodingDef[], text?: string): fhir4.CodeableConcept {
  const cc: fhir4.CodeableConcept = { coding: codings.map(coding) };
  if (text !== undefined) cc.text = text;
  return cc;
}

function demoIdentifier(value: string): fhir4.Identifier {
  return { use: 'secondary', system: SYS.DEMO, value };
}

/** Luhn check digit for an NPI (computed over the "80840" prefix + 9 digits). */
export function npiWithCheckDigit(base9: string): string {
  if (!/^\d{9}$/.test(base9)) throw new RangeError(`NPI base must be 9 digits: ${base9}`);
  const payload = `80840${base9}`;
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // rightmost payload digit is doubled (the check digit will be appended to its right)
    let d = Number(payload[payload.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return base9 + String((10 - (sum % 10)) % 10);
}

export function isValidNpi(npi: string): boolean {
  return /^\d{10}$/.test(npi) && npiWithCheckDigit(npi.slice(0, 9)) === npi;
}

/** DEA registration number: 2 letters + 6 digits + check digit. */
export function deaNumber(lastName: string, digits6: string, registrant = 'F'): string {
  if (!/^\d{6}$/.test(digits6)) throw new RangeError('DEA digits must be 6 digits');
  const d = digits6.split('').map(Number) as [number, number, number, number, number, number];
  const check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10;
  return `${registrant}${lastName.charAt(0).toUpperCase()}${digits6}${check}`;
}

/** Collects transaction entries; every entry is a conditional create on its demo identifier. */
class TransactionBuilder {
  readonly entries: fhir4.BundleEntry[] = [];
  private readonly seen = new Set<string>();

  static fullUrlFor(identifierValue: string): string {
    return `urn:uuid:${stableUuid(identifierValue)}`;
  }

  add<T extends fhir4.FhirResource & { identifier?: fhir4.Identifier[] }>(
    resource: T,
    identifierValue: string,
  ): string {
    if (this.seen.has(identifierValue)) throw new Error(`duplicate demo identifier ${identifierValue}`);
    this.seen.add(identifierValue);
    resource.identifier = [...(resource.identifier ?? []), demoIdentifier(identifierValue)];
    const fullUrl = TransactionBuilder.fullUrlFor(identifierValue);
    this.entries.push({
      fullUrl,
      resource,
      request: {
        method: 'POST',
        url: resource.resourceType,
        ifNoneExist: `identifier=${SYS.DEMO}|${identifierValue}`,
      },
    });
    return fullUrl;
  }

  bundle(): fhir4.Bundle {
    return { resourceType: 'Bundle', type: 'transaction', entry: this.entries };
  }
}

function staffByKey(key: string): StaffDef {
  const s = STAFF.find((x) => x.key === key);
  if (!s) throw new Error(`unknown staff key ${key}`);
  return s;
}

export function staffDisplayName(s: StaffDef): string {
  const name = `${s.given.join(' ')} ${s.family}`;
  return s.role === 'physician' ? `Dr. ${name}` : `${name}, ${s.suffix ?? ''}`.replace(/, $/, '');
}

// ---------------------------------------------------------------------------
// Directory
// ---------------------------------------------------------------------------

/**
 * The shared directory: WintEHR Medical Center, its main location, staff (Practitioner +
 * PractitionerRole), pharmacies and payers. It is hand-written and the same for every seed
 * (the `seed` parameter is accepted for symmetry and future use).
 */
export function generateDirectory(_seed: number = DEFAULT_SEED): fhir4.Bundle {
  const tx = new TransactionBuilder();
  const mc = MEDICAL_CENTER;

  const orgUrl = tx.add<fhir4.Organization>(
    {
      resourceType: 'Organization',
      identifier: [{ use: 'official', system: SYS.NPI, value: npiWithCheckDigit(mc.npiBase) }],
      active: true,
      type: [concept([{ system: SYS.ORG_TYPE, code: 'prov', display: 'Healthcare Provider' }], 'Healthcare Provider')],
      name: mc.name,
      alias: ['WintEHR'],
      telecom: [
        { system: 'phone', value: mc.phone, use: 'work' },
        { system: 'url', value: 'https://wintehr.example.org', use: 'work' },
      ],
      address: [
        {
          use: 'work',
          type: 'both',
          line: [mc.line],
          city: mc.city,
          state: mc.state,
          postalCode: mc.zip,
          country: 'US',
        },
      ],
    },
    mc.key,
  );

  const locUrl = tx.add<fhir4.Location>(
    {
      resourceType: 'Location',
      status: 'active',
      name: mc.locationName,
      mode: 'instance',
      type: [concept([{ system: SYS.V3_ROLECODE, code: 'OF', display: 'Outpatient facility' }])],
      telecom: [{ system: 'phone', value: mc.phone, use: 'work' }],
      address: { use: 'work', line: [mc.line], city: mc.city, state: mc.state, postalCode: mc.zip, country: 'US' },
      physicalType: concept([
        { system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bu', display: 'Building' },
      ]),
      managingOrganization: { reference: orgUrl, display: mc.name },
    },
    mc.locationKey,
  );

  const pharmacyUrls = new Map<string, string>();
  for (const ph of PHARMACIES) {
    const org: fhir4.Organization = {
      resourceType: 'Organization',
      identifier: [
        { use: 'official', system: SYS.NCPDP, value: ph.ncpdp },
        { use: 'official', system: SYS.NPI, value: npiWithCheckDigit(ph.npiBase) },
      ],
      active: true,
      type: [
        concept(
          [
            { system: SYS.ORG_TYPE, code: 'prov', display: 'Healthcare Provider' },
            { system: SYS.NUCC, code: '3336C0003X', display: 'Community/Retail Pharmacy' },
          ],
          'Pharmacy',
        ),
      ],
      name: ph.name,
      telecom: [
        { system: 'phone', value: ph.phone, use: 'work' },
        { system: 'fax', value: `${ph.phone.slice(0, -2)}9${ph.phone.slice(-1)}`, use: 'work' },
      ],
      address: [
        {
          use: 'work',
          type: 'both',
          line: [ph.line],
          city: ph.city,
          state: ph.state,
          postalCode: ph.zip,
          country: 'US',
        },
      ],
    };
    if (ph.inHouse) org.partOf = { reference: orgUrl, display: mc.name };
    pharmacyUrls.set(ph.key, tx.add(org, DEMO_IDS.pharmacy(ph.key)));
  }

  for (const s of STAFF) {
    const identifiers: fhir4.Identifier[] = [
      {
        use: 'official',
        type: concept([{ system: SYS.V2_0203, code: 'NPI', display: 'National provider identifier' }]),
        system: SYS.NPI,
        value: npiWithCheckDigit(s.npiBase),
      },
    ];
    if (s.deaDigits) {
      identifiers.push({
        use: 'official',
        type: concept([
          { system: SYS.V2_0203, code: 'DEA', display: 'Drug Enforcement Administration registration number' },
        ]),
        system: SYS.DEA,
        value: deaNumber(s.family, s.deaDigits),
      });
    }
    const name: fhir4.HumanName = { use: 'official', text: staffDisplayName(s), family: s.family, given: [...s.given] };
    if (s.prefix) name.prefix = [s.prefix];
    if (s.suffix) name.suffix = [s.suffix];
    const emailLocal = `${s.given[0]!.toLowerCase()}.${s.family.toLowerCase()}`;
    const practUrl = tx.add<fhir4.Practitioner>(
      {
        resourceType: 'Practitioner',
        identifier: identifiers,
        active: true,
        name: [name],
        telecom: [
          { system: 'phone', value: `(217) 555-${s.phoneExt}`, use: 'work' },
          { system: 'email', value: `${emailLocal}@wintehr.example.org`, use: 'work' },
        ],
        gender: s.gender,
        qualification: [
          {
            code: concept([s.qualification], s.qualificationText),
            issuer: { display: 'Illinois Department of Financial and Professional Regulation' },
          },
        ],
        communication: [concept([{ system: SYS.BCP47, code: 'en-US', display: 'English (United States)' }])],
      },
      DEMO_IDS.practitioner(s.key),
    );

    const roles = ROLE_CODES[s.role];
    const orgForRole = s.role === 'pharmacist' ? pharmacyUrls.get('wintehr-outpatient')! : orgUrl;
    tx.add<fhir4.PractitionerRole>(
      {
        resourceType: 'PractitionerRole',
        active: true,
        practitioner: { reference: practUrl, display: staffDisplayName(s) },
        organization: {
          reference: orgForRole,
          display: s.role === 'pharmacist' ? 'WintEHR Outpatient Pharmacy' : mc.name,
        },
        code: [concept([...(roles.hl7 ? [roles.hl7] : []), roles.local], roles.local.display)],
        specialty: [concept([s.specialty])],
        location: [{ reference: locUrl, display: mc.locationName }],
        telecom: [{ system: 'phone', value: `(217) 555-${s.phoneExt}`, use: 'work' }],
      },
      DEMO_IDS.practitionerRole(s.key),
    );
  }

  for (const p of PAYERS) {
    tx.add<fhir4.Organization>(
      {
        resourceType: 'Organization',
        active: true,
        type: [concept([{ system: SYS.ORG_TYPE, code: 'pay', display: 'Payer' }], 'Payer')],
        name: p.name,
        identifier: [{ system: SYS.X12_PAYER_ID, value: p.x12PayerId }],
        telecom: [{ system: 'phone', value: p.phone, use: 'work' }],
      },
      DEMO_IDS.payer(p.key),
    );
  }

  return tx.bundle();
}

function demoValueOf(resource: fhir4.FhirResource | undefined): string | undefined {
  const ids = (resource as { identifier?: fhir4.Identifier[] } | undefined)?.identifier;
  return ids?.find((i) => i.system === SYS.DEMO)?.value;
}

/** Offline refs: identifier value -> the directory bundle's urn:uuid fullUrl (for tests / dry runs). */
export function directoryRefsFromBundle(directory: fhir4.Bundle): DirectoryRefs {
  const refs: Record<string, string> = {};
  for (const e of directory.entry ?? []) {
    const v = demoValueOf(e.resource);
    if (v && e.fullUrl) refs[v] = e.fullUrl;
  }
  return refs;
}

/**
 * Server refs: identifier value -> `Type/id`, from the transaction-response Bundle of the directory
 * (entries of a transaction response are in request order; conditional creates that matched an
 * existing resource report its location too).
 */
export function directoryRefsFromResponse(request: fhir4.Bundle, response: fhir4.Bundle): DirectoryRefs {
  const refs: Record<string, string> = {};
  const reqEntries = request.entry ?? [];
  const resEntries = response.entry ?? [];
  if (reqEntries.length !== resEntries.length) {
    throw new Error(`transaction response has ${resEntries.length} entries, request had ${reqEntries.length}`);
  }
  reqEntries.forEach((e, i) => {
    const v = demoValueOf(e.resource);
    const loc = resEntries[i]?.response?.location;
    if (!v || !loc) throw new Error(`no location for directory entry ${v ?? i}`);
    refs[v] = parseLocation(loc);
  });
  return refs;
}

/** `Patient/123` from `Patient/123/_history/1` or `http://host/fhir/Patient/123/_history/1`. */
export function parseLocation(location: string): string {
  const parts = location
    .split('?')[0]!
    .split('/')
    .filter((x) => x.length > 0);
  const h = parts.indexOf('_history');
  const end = h >= 0 ? h : parts.length;
  const type = parts[end - 2];
  const id = parts[end - 1];
  if (!type || !id || !/^[A-Z][A-Za-z]+$/.test(type)) throw new Error(`cannot parse location ${location}`);
  return `${type}/${id}`;
}

/** Refs as conditional references (`Practitioner?identifier=...`), resolved by the server at transaction time. */
export function directoryConditionalRefs(directory: fhir4.Bundle = generateDirectory()): DirectoryRefs {
  const refs: Record<string, string> = {};
  for (const e of directory.entry ?? []) {
    const v = demoValueOf(e.resource);
    if (v && e.resource) refs[v] = `${e.resource.resourceType}?identifier=${SYS.DEMO}|${v}`;
  }
  return refs;
}

// ---------------------------------------------------------------------------
// Patient profile (what we decide about a patient before emitting FHIR)
// ---------------------------------------------------------------------------

type Gender = 'male' | 'female';

interface ConditionPlan {
  key: ConditionKey;
  onsetDay: string;
  /** Acute problems are diagnosed at the last encounter. */
  acute: boolean;
}

interface MedPlan {
  key: MedicationKey;
  reason: ConditionKey;
}

interface AllergyPlan {
  key: AllergyKey;
  criticality: 'low' | 'high' | 'unable-to-assess';
  verification: 'confirmed' | 'unconfirmed';
  reaction: CodingDef;
  severity: 'mild' | 'moderate' | 'severe';
  onsetYear: number;
}

interface AppointmentPlan {
  daysAhead: number;
  hour: number;
  minute: number;
  practitioner: string;
  type: keyof typeof APPOINTMENT_TYPES;
  description: string;
  reason?: ConditionKey;
}

type LabOverrides = Record<number, Partial<Record<LabKey, number>>>;

interface PatientProfile {
  index: number;
  /** Prefix of every demo identifier of this patient. */
  base: string;
  given: string[];
  family: string;
  gender: Gender;
  birthDate: string;
  address: { line: string[]; city: string; state: string; postalCode: string };
  phone: string;
  email: string;
  mrn: string;
  ssn: string;
  gp: string;
  nurse: string;
  specialists: string[];
  pharmacy: string;
  payer: string;
  conditions: ConditionPlan[];
  meds: MedPlan[];
  allergies: AllergyPlan[];
  /** Days before the anchor, oldest first (strictly decreasing). */
  encounterDaysAgo: number[];
  /** Panels per encounter (same length as encounterDaysAgo). */
  labPlan: PanelKey[][];
  /** Exact lab values by encounter index (e.g. critical results). */
  labOverrides: LabOverrides;
  appointments: AppointmentPlan[];
  /** Per-patient physiology used to draw vitals and labs. */
  physiology: Physiology;
  /** Free-text clinical note on critical results (DiagnosticReport.conclusion). */
  criticalNotes: Partial<Record<LabKey, string>>;
}

interface Physiology {
  heightCm: number;
  bmi: number;
  weightTrendKgPerVisit: number;
  sbp: number;
  dbp: number;
  hr: number;
  spo2: number;
  tempFeverAtLast: boolean;
  labMeans: Partial<Record<LabKey, number>>;
  /** Per-visit change of a lab mean (e.g. HbA1c rising). */
  labTrends: Partial<Record<LabKey, number>>;
}

// Within-patient visit-to-visit SD for each lab.
const LAB_NOISE: Record<LabKey, number> = {
  hemoglobin: 0.4,
  hematocrit: 1.0,
  wbc: 0.8,
  platelets: 20,
  glucose: 10,
  sodium: 1.5,
  potassium: 0.2,
  chloride: 2,
  co2: 1.5,
  bun: 2.5,
  creatinine: 0.06,
  calcium: 0.25,
  egfr: 0,
  hba1c: 0.25,
  cholesterol: 12,
  triglycerides: 20,
  hdl: 4,
  ldl: 10,
  tsh: 0.4,
  inr: 0.3,
};

// Safe clamps for randomly drawn values: normal-ish variation, never accidentally critical.
const LAB_CLAMP: Record<LabKey, readonly [number, number]> = {
  hemoglobin: [8.5, 18.5],
  hematocrit: [26, 55],
  wbc: [3.0, 14.5],
  platelets: [105, 480],
  glucose: [66, 320],
  sodium: [131, 148],
  potassium: [3.2, 5.7],
  chloride: [94, 110],
  co2: [19, 31],
  bun: [5, 60],
  creatinine: [0.45, 3.5],
  calcium: [8.2, 10.8],
  egfr: [10, 130],
  hba1c: [4.4, 12.5],
  cholesterol: [110, 320],
  triglycerides: [45, 480],
  hdl: [25, 95],
  ldl: [40, 230],
  tsh: [0.3, 12],
  inr: [0.9, 4.2],
};

// ---------------------------------------------------------------------------
// Fixed demo patients
// ---------------------------------------------------------------------------

function mariaGarcia(): PatientProfile {
  return {
    index: 0,
    base: 'fixed-0',
    given: ['Maria', 'Elena'],
    family: 'Garcia',
    gender: 'female',
    birthDate: '1958-03-14',
    address: { line: ['1420 Alameda St'], city: 'Springfield', state: 'IL', postalCode: '62704' },
    phone: '(217) 555-0142',
    email: 'maria.garcia@example.com',
    mrn: 'MRN-000001',
    ssn: '999-01-0001',
    gp: 'wilson',
    nurse: 'nurse-joy',
    specialists: [],
    pharmacy: 'wintehr-outpatient',
    payer: 'medicare',
    conditions: [
      { key: 'hypertension', onsetDay: '2004-05-10', acute: false },
      { key: 'afib', onsetDay: '2016-09-22', acute: false },
      { key: 'ckd3', onsetDay: '2019-02-11', acute: false },
    ],
    meds: [
      { key: 'warfarin5', reason: 'afib' },
      { key: 'lisinopril20', reason: 'hypertension' },
      { key: 'spironolactone25', reason: 'hypertension' },
    ],
    allergies: [
      {
        key: 'penicillin',
        criticality: 'high',
        verification: 'confirmed',
        reaction: REACTIONS.anaphylaxis,
        severity: 'severe',
        onsetYear: 1979,
      },
    ],
    encounterDaysAgo: [330, 240, 150, 60, 2],
    labPlan: [
      ['cbc', 'bmp', 'lipid', 'inr', 'tsh'],
      ['bmp', 'inr'],
      ['bmp', 'inr'],
      ['cbc', 'bmp', 'inr'],
      ['bmp', 'inr'],
    ],
    labOverrides: {
      0: { potassium: 4.7, creatinine: 1.38, inr: 2.4 },
      1: { potassium: 5.0, creatinine: 1.45, inr: 2.7 },
      2: { potassium: 5.3, creatinine: 1.52, inr: 3.2 },
      3: { potassium: 5.6, creatinine: 1.61, inr: 2.6 },
      4: { potassium: 6.8, creatinine: 1.74, inr: 2.5, sodium: 137 },
    },
    appointments: [
      {
        daysAhead: 1,
        hour: 9,
        minute: 0,
        practitioner: 'wilson',
        type: 'FOLLOWUP',
        description: 'Urgent follow-up: hyperkalemia (K 6.8) on lisinopril + spironolactone; repeat BMP',
        reason: 'ckd3',
      },
      {
        daysAhead: 28,
        hour: 10,
        minute: 30,
        practitioner: 'wilson',
        type: 'FOLLOWUP',
        description: 'Anticoagulation and blood pressure follow-up',
        reason: 'afib',
      },
    ],
    physiology: {
      heightCm: 158,
      bmi: 29.4,
      weightTrendKgPerVisit: -0.3,
      sbp: 146,
      dbp: 86,
      hr: 84,
      spo2: 96,
      tempFeverAtLast: false,
      labMeans: {
        hemoglobin: 11.8,
        glucose: 104,
        bun: 31,
        hba1c: 5.8,
        cholesterol: 188,
        ldl: 104,
        hdl: 52,
        triglycerides: 158,
        tsh: 2.1,
      },
      labTrends: {},
    },
    criticalNotes: {
      potassium:
        'CRITICAL: potassium 6.8 mmol/L (HH). Specimen not hemolyzed. Read back and called to Dr. James Wilson.',
    },
  };
}

function johnSmith(): PatientProfile {
  return {
    index: 1,
    base: 'fixed-1',
    given: ['John', 'Michael'],
    family: 'Smith',
    gender: 'male',
    birthDate: '1975-07-02',
    address: { line: ['88 Lincoln Ave', 'Apt 3B'], city: 'Springfield', state: 'IL', postalCode: '62702' },
    phone: '(217) 555-0188',
    email: 'john.smith@example.com',
    mrn: 'MRN-000002',
    ssn: '999-01-0002',
    gp: 'wilson',
    nurse: 'nurse-joy',
    specialists: [],
    pharmacy: 'maple-avenue',
    payer: 'prairie-bluecross',
    conditions: [
      { key: 'diabetes2', onsetDay: '2015-04-20', acute: false },
      { key: 'hyperlipidemia', onsetDay: '2016-01-12', acute: false },
      { key: 'depression', onsetDay: '2020-10-05', acute: false },
    ],
    meds: [
      { key: 'metformin1000', reason: 'diabetes2' },
      { key: 'simvastatin40', reason: 'hyperlipidemia' },
      { key: 'sertraline50', reason: 'depression' },
    ],
    allergies: [
      {
        key: 'sulfonamide',
        criticality: 'low',
        verification: 'confirmed',
        reaction: REACTIONS.rash,
        severity: 'moderate',
        onsetYear: 1998,
      },
    ],
    encounterDaysAgo: [300, 200, 105, 9],
    labPlan: [
      ['cbc', 'bmp', 'lipid', 'hba1c'],
      ['hba1c', 'bmp'],
      ['hba1c', 'lipid'],
      ['hba1c', 'bmp', 'lipid'],
    ],
    labOverrides: {
      0: { hba1c: 8.1, glucose: 168 },
      1: { hba1c: 8.4, glucose: 181 },
      2: { hba1c: 8.9, ldl: 138 },
      3: { hba1c: 9.6, glucose: 212, ldl: 142 },
    },
    appointments: [
      {
        daysAhead: 12,
        hour: 14,
        minute: 0,
        practitioner: 'wilson',
        type: 'FOLLOWUP',
        description: 'Diabetes follow-up: HbA1c 9.6%, discuss treatment intensification',
        reason: 'diabetes2',
      },
    ],
    physiology: {
      heightCm: 179,
      bmi: 32.1,
      weightTrendKgPerVisit: 0.6,
      sbp: 128,
      dbp: 82,
      hr: 78,
      spo2: 98,
      tempFeverAtLast: false,
      labMeans: {
        hemoglobin: 14.6,
        creatinine: 0.98,
        potassium: 4.3,
        cholesterol: 224,
        triglycerides: 210,
        hdl: 38,
        ldl: 136,
        tsh: 1.8,
      },
      labTrends: {},
    },
    criticalNotes: {},
  };
}

// ---------------------------------------------------------------------------
// Random patients
// ---------------------------------------------------------------------------

const GP_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['wilson', 4],
  ['okafor', 3],
  ['chen', 2],
  ['patel', 2],
  ['rodriguez', 1],
];

/** Mutually exclusive therapeutic groups (a patient gets at most one drug per group). */
const EXCLUSIVE_GROUPS: Record<string, readonly string[]> = {
  statin: ['statin'],
  ssri: ['ssri'],
  raas: ['ace-inhibitor', 'arb'],
  betaBlocker: ['beta-blocker'],
  acid: ['ppi', 'h2-blocker'],
  anticoag: ['anticoagulant'],
  nsaid: ['nsaid'],
  thyroid: ['thyroid'],
  biguanide: ['biguanide'],
  ics: ['inhaled-corticosteroid'],
  saba: ['saba'],
};

function groupsOf(m: MedicationDef): string[] {
  const out: string[] = [];
  for (const [g, classes] of Object.entries(EXCLUSIVE_GROUPS)) {
    if (m.classes.some((c) => classes.includes(c))) out.push(g);
  }
  return out;
}

class MedList {
  readonly plans: MedPlan[] = [];
  private readonly groups = new Set<string>();
  private readonly ingredients = new Set<string>();

  has(key: MedicationKey): boolean {
    return this.plans.some((p) => p.key === key);
  }

  hasClass(cls: string): boolean {
    return this.plans.some((p) => (MEDICATIONS[p.key] as MedicationDef).classes.includes(cls));
  }

  /** Adds unless a same-ingredient or same-group drug is already there. Returns whether added. */
  add(key: MedicationKey, reason: ConditionKey, force = false): boolean {
    const m: MedicationDef = MEDICATIONS[key];
    if (this.has(key)) return false;
    if (!force) {
      if (m.ingredients.some((i) => this.ingredients.has(i))) return false;
      if (groupsOf(m).some((g) => this.groups.has(g))) return false;
    }
    this.plans.push({ key, reason });
    for (const i of m.ingredients) this.ingredients.add(i);
    for (const g of groupsOf(m)) this.groups.add(g);
    return true;
  }

  allClassesAndIngredients(): Set<string> {
    const s = new Set<string>();
    for (const p of this.plans) {
      const m: MedicationDef = MEDICATIONS[p.key];
      m.classes.forEach((c) => s.add(c));
      m.ingredients.forEach((i) => s.add(i));
    }
    return s;
  }
}

function drawAge(rng: Rng): number {
  const band = rng.weighted<readonly [number, number]>([
    [[18, 29], 14],
    [[30, 44], 20],
    [[45, 64], 34],
    [[65, 79], 24],
    [[80, 92], 8],
  ]);
  return rng.int(band[0], band[1]);
}

function prevalence(age: number, young: number, mid: number, old: number): number {
  return age < 40 ? young : age < 65 ? mid : old;
}

/** Which of the fixed-index scenarios / criticals patient `index` gets (indices 2..10 are curated). */
function scenarioFor(index: number, rng: Rng): InteractionScenario | undefined {
  const curated = index - FIXED_PATIENT_COUNT;
  if (curated >= 0 && curated < INTERACTION_SCENARIOS.length) return INTERACTION_SCENARIOS[curated];
  return rng.chance(0.1) ? rng.pick(INTERACTION_SCENARIOS) : undefined;
}

type CriticalKind = 'potassium' | 'glucose' | 'hemoglobin' | 'inr';

const CRITICAL_VALUES: Record<CriticalKind, { lab: LabKey; value: number; panel: PanelKey; note: string }> = {
  potassium: {
    lab: 'potassium',
    value: 6.8,
    panel: 'bmp',
    note: 'CRITICAL: potassium 6.8 mmol/L (HH). Read back and called to ordering provider.',
  },
  glucose: {
    lab: 'glucose',
    value: 38,
    panel: 'bmp',
    note: 'CRITICAL: glucose 38 mg/dL (LL). Read back and called to ordering provider.',
  },
  hemoglobin: {
    lab: 'hemoglobin',
    value: 6.2,
    panel: 'cbc',
    note: 'CRITICAL: hemoglobin 6.2 g/dL (LL). Read back and called to ordering provider.',
  },
  inr: {
    lab: 'inr',
    value: 5.2,
    panel: 'inr',
    note: 'CRITICAL: INR 5.2 (HH) on warfarin. Read back and called to ordering provider.',
  },
};

function randomPatient(seed: number, index: number, anchorMs: number): PatientProfile {
  const rng = new Rng(`${seed}:patient:${index}`);
  const base = `s${seed}-p${index}`;
  const scenario = scenarioFor(index, rng);

  // --- demographics -------------------------------------------------------
  const gender: Gender = scenario?.sex ?? (rng.chance(0.52) ? 'female' : 'male');
  let age = drawAge(rng);
  if (scenario?.minAge !== undefined && age < scenario.minAge) age = scenario.minAge + rng.int(0, 20);
  const birthMs = anchorMs - age * 365.25 * DAY_MS - rng.int(0, 364) * DAY_MS;
  const birthDate = isoDay(birthMs);
  const given = [rng.pick(gender === 'female' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES)];
  if (rng.chance(0.35)) given.push(rng.pick(gender === 'female' ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES));
  const family = rng.chance(0.06) ? `${rng.pick(LAST_NAMES)}-${rng.pick(LAST_NAMES)}` : rng.pick(LAST_NAMES);
  const city = rng.pick(CITIES);
  const line = [`${rng.int(10, 9899)} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_SUFFIXES)}`];
  if (rng.chance(0.2)) line.push(`Apt ${rng.int(1, 40)}${rng.pick(['A', 'B', 'C', 'D'])}`);
  const phone = `(${city.areaCode}) 555-01${pad(rng.int(0, 99), 2)}`;
  const emailLocal = `${given[0]}.${family}`.toLowerCase().replace(/[^a-z.]/g, '');
  const mrn = seed === DEFAULT_SEED ? `MRN-${pad(index + 1, 6)}` : `MRN-${seed}-${pad(index + 1, 6)}`;
  const ssnGroup = 10 + ((seed * 7 + Math.floor(index / 10000)) % 90);
  const ssn = `999-${pad(ssnGroup, 2)}-${pad(index % 10000, 4)}`;

  // --- conditions ---------------------------------------------------------
  const condKeys: ConditionKey[] = [];
  const addCond = (k: ConditionKey) => {
    if (!condKeys.includes(k)) condKeys.push(k);
  };
  for (const k of scenario?.conditions ?? []) addCond(k);
  const female = gender === 'female';
  const maybe = (k: ConditionKey, p: number) => {
    if (rng.chance(p)) addCond(k);
  };
  maybe('hypertension', prevalence(age, 0.08, 0.33, 0.58));
  maybe('hyperlipidemia', prevalence(age, 0.07, 0.3, 0.48));
  maybe('diabetes2', prevalence(age, 0.03, 0.14, 0.24));
  maybe('afib', prevalence(age, 0, 0.02, 0.1));
  maybe('ckd3', prevalence(age, 0, 0.04, 0.13));
  maybe('cad', prevalence(age, 0, 0.04, 0.12));
  maybe('heartFailure', prevalence(age, 0, 0.015, 0.06));
  maybe('copd', prevalence(age, 0, 0.04, 0.1));
  maybe('asthma', 0.08);
  maybe('depression', 0.12);
  maybe('anxiety', 0.11);
  if (age < 60) maybe('migraine', female ? 0.14 : 0.05);
  maybe('gerd', 0.14);
  maybe('hypothyroidism', female ? 0.1 : 0.03);
  maybe('osteoarthritis', prevalence(age, 0.02, 0.15, 0.35));
  maybe('rheumatoidArthritis', 0.01);
  maybe('chronicPain', 0.04);
  // curated critical patients (see criticalFor below)
  const critical = criticalFor(index, rng);
  if (critical === 'glucose') addCond('diabetes2');

  // at most one acute problem, diagnosed at the last visit
  const hasAcute = condKeys.some((k) => !CONDITIONS[k].chronic);
  if (!hasAcute && rng.chance(0.1)) addCond(rng.chance(0.6) ? 'uti' : 'pneumonia');

  // --- medications --------------------------------------------------------
  const meds = new MedList();
  if (scenario) {
    meds.add(scenario.meds[0], scenario.reasons[0], true);
    meds.add(scenario.meds[1], scenario.reasons[1], true);
    for (const [m, r] of scenario.background ?? []) meds.add(m, r);
  }
  const has = (k: ConditionKey) => condKeys.includes(k);
  /** Condition present and not yet treated by a scenario drug. */
  const needs = (k: ConditionKey) => has(k) && !meds.plans.some((mp) => mp.reason === k);
  const bleedingRisk = () =>
    meds.hasClass('anticoagulant') || meds.hasClass('antiplatelet') || meds.hasClass('antimetabolite');

  if (critical === 'glucose') meds.add('glipizide5', 'diabetes2');
  if (needs('afib')) {
    if (!meds.hasClass('anticoagulant')) meds.add(rng.chance(0.45) ? 'warfarin5' : 'rivaroxaban20', 'afib');
    if (!meds.hasClass('beta-blocker')) meds.add(rng.chance(0.6) ? 'metoprololSucc50' : 'diltiazemEr120', 'afib');
  }
  if (needs('heartFailure')) {
    meds.add('furosemide40', 'heartFailure');
    meds.add('carvedilol12', 'heartFailure');
    meds.add('lisinopril10', 'heartFailure');
  }
  if (needs('hypertension')) {
    meds.add(
      rng.weighted<MedicationKey>([
        ['lisinopril10', 3],
        ['lisinopril20', 1],
        ['losartan50', 3],
        ['hctz25', 2],
        ['metoprololSucc50', 1],
      ]),
      'hypertension',
    );
    if (rng.chance(0.35))
      meds.add(rng.pick<MedicationKey>(['hctz25', 'losartan50', 'metoprololSucc50']), 'hypertension');
  }
  if (needs('diabetes2')) {
    meds.add(has('ckd3') ? 'metformin500' : rng.pick<MedicationKey>(['metformin500', 'metformin1000']), 'diabetes2');
    if (rng.chance(0.35))
      meds.add(rng.pick<MedicationKey>(['glipizide5', 'empagliflozin10', 'sitagliptin100']), 'diabetes2');
  }
  if (needs('hyperlipidemia'))
    meds.add(
      rng.weighted<MedicationKey>([
        ['simvastatin20', 3],
        ['rosuvastatin20', 3],
        ['pravastatin40', 2],
      ]),
      'hyperlipidemia',
    );
  if (has('hyperlipidemia') && rng.chance(0.1)) meds.add('ezetimibe10', 'hyperlipidemia');
  if (needs('cad')) {
    if (!meds.hasClass('statin')) meds.add('rosuvastatin20', 'cad');
    meds.add('nitroglycerinSl', 'cad');
  }
  if (needs('asthma')) {
    meds.add('fluticasoneMdi110', 'asthma');
    meds.add('levalbuterolMdi', 'asthma');
    if (rng.chance(0.3)) meds.add('montelukast10', 'asthma');
  }
  if (needs('copd')) {
    meds.add('tiotropium18', 'copd');
    meds.add('levalbuterolMdi', 'copd');
    if (rng.chance(0.4)) meds.add('budesonideFormoterol', 'copd');
  }
  if (needs('depression'))
    meds.add(
      rng.pick<MedicationKey>(['sertraline50', 'escitalopram10', 'fluoxetine20', 'bupropionXl150']),
      'depression',
    );
  if (has('depression') && rng.chance(0.15)) meds.add('trazodone50', 'depression');
  if (needs('anxiety'))
    meds.add(meds.hasClass('ssri') || rng.chance(0.5) ? 'buspirone10' : 'escitalopram10', 'anxiety');
  if (needs('migraine')) {
    meds.add('sumatriptan50', 'migraine');
    if (rng.chance(0.3)) meds.add(rng.pick<MedicationKey>(['topiramate25', 'propranolol20']), 'migraine');
  }
  if (needs('gerd'))
    meds.add(
      rng.weighted<MedicationKey>([
        ['omeprazole20', 3],
        ['pantoprazole40', 2],
        ['famotidine20', 1],
      ]),
      'gerd',
    );
  if (needs('hypothyroidism'))
    meds.add(rng.pick<MedicationKey>(['levothyroxine50', 'levothyroxine75', 'levothyroxine100']), 'hypothyroidism');
  if (needs('osteoarthritis') && !bleedingRisk() && !has('ckd3') && !has('heartFailure') && rng.chance(0.5)) {
    meds.add(rng.pick<MedicationKey>(['meloxicam15', 'naproxen500', 'ibuprofen600']), 'osteoarthritis');
  }
  if (needs('chronicPain')) meds.add(rng.pick<MedicationKey>(['gabapentin300', 'cyclobenzaprine10']), 'chronicPain');
  if (needs('rheumatoidArthritis')) meds.add('hydroxychloroquine200', 'rheumatoidArthritis');
  if (needs('erectileDysfunction') && !meds.hasClass('nitrate')) meds.add('sildenafil50', 'erectileDysfunction');
  if (needs('uti')) meds.add(rng.chance(0.6) ? 'nitrofurantoin100' : 'cephalexin500', 'uti');
  if (needs('pneumonia')) meds.add('doxycycline100', 'pneumonia');

  // --- allergies (never conflicting with what is prescribed) -------------
  const inUse = meds.allClassesAndIngredients();
  const allergyCount = rng.weighted<number>([
    [0, 62],
    [1, 28],
    [2, 8],
    [3, 2],
  ]);
  const allergies: AllergyPlan[] = [];
  for (let tries = 0; allergies.length < allergyCount && tries < 20; tries++) {
    const key = rng.weighted(ALLERGY_WEIGHTS);
    if (allergies.some((a) => a.key === key)) continue;
    const def: AllergyDef = ALLERGIES[key];
    if (def.conflicts.some((c) => inUse.has(c))) continue;
    const reaction = rng.pick(def.reactions);
    const severe = reaction.code === REACTIONS.anaphylaxis.code || reaction.code === REACTIONS.angioedema.code;
    allergies.push({
      key,
      criticality: severe
        ? 'high'
        : rng.weighted([
            ['low', 7],
            ['high', 2],
            ['unable-to-assess', 1],
          ] as const),
      verification: rng.chance(0.78) ? 'confirmed' : 'unconfirmed',
      reaction,
      severity: severe ? 'severe' : rng.pick(['mild', 'moderate'] as const),
      onsetYear: Number(birthDate.slice(0, 4)) + rng.int(3, Math.max(4, age - 1)),
    });
  }

  // --- care team ------------------------------------------------------------
  const gp = rng.weighted(GP_WEIGHTS);
  const nurse = rng.chance(0.6) ? 'nurse-joy' : 'nurse-marcus';
  const specialists: string[] = [];
  const addSpecialist = (k: string) => {
    if (k !== gp && !specialists.includes(k)) specialists.push(k);
  };
  if (['afib', 'cad', 'heartFailure', 'oldMi'].some((k) => has(k as ConditionKey))) addSpecialist('patel');
  if (has('diabetes2') && rng.chance(0.5)) addSpecialist('chen');
  if (has('ckd3')) addSpecialist('rodriguez');

  const pharmacy = rng.weighted<string>([
    ['wintehr-outpatient', 8],
    ['maple-avenue', 3],
    ['riverside-community', 3],
    ['harbor-family', 2],
    ['sunrise-24', 2],
    ['quickcare-4412', 2],
  ]);
  const payer =
    age >= 65
      ? rng.weighted<string>([
          ['medicare', 85],
          ['prairie-bluecross', 10],
          ['heartland-mutual', 5],
        ])
      : rng.weighted<string>([
          ['medicaid', 18],
          ['prairie-bluecross', 35],
          ['lakeshore-health', 27],
          ['heartland-mutual', 20],
        ]);

  // --- encounters -------------------------------------------------------------
  const chronicCount = condKeys.filter((k) => CONDITIONS[k].chronic).length;
  const nEnc = Math.min(8, Math.max(2, 2 + Math.min(chronicCount, 4) + rng.int(-1, 2)));
  const daysAgo = new Set<number>([rng.int(1, 40)]);
  while (daysAgo.size < nEnc) {
    const d = rng.int(45, 1000);
    if ([...daysAgo].every((x) => Math.abs(x - d) >= 21)) daysAgo.add(d);
  }
  const encounterDaysAgo = [...daysAgo].sort((a, b) => b - a);

  const onWarfarin = meds.has('warfarin5');
  const onRaasPlusK = meds.hasClass('potassium-sparing-diuretic');
  const onMtx = meds.has('methotrexate25');
  const labPlan: PanelKey[][] = encounterDaysAgo.map((_, i) => {
    const panels = new Set<PanelKey>();
    const first = i === 0;
    if (first) {
      panels.add('cbc');
      panels.add('bmp');
      if (age >= 35 || has('hyperlipidemia')) panels.add('lipid');
      if (has('diabetes2') || (age >= 45 && rng.chance(0.5))) panels.add('hba1c');
      if (has('hypothyroidism') || rng.chance(0.25)) panels.add('tsh');
    } else {
      if (
        has('ckd3') ||
        has('heartFailure') ||
        onRaasPlusK ||
        ((has('hypertension') || has('diabetes2')) && rng.chance(0.6))
      )
        panels.add('bmp');
      if (has('diabetes2')) panels.add('hba1c');
      if (has('hyperlipidemia') && rng.chance(0.4)) panels.add('lipid');
      if (has('hypothyroidism') && rng.chance(0.5)) panels.add('tsh');
      if (onMtx || rng.chance(0.2)) panels.add('cbc');
    }
    if (onWarfarin) panels.add('inr');
    return PANEL_ORDER.filter((p) => panels.has(p));
  });

  // --- physiology -----------------------------------------------------------
  const htn = has('hypertension');
  const dm = has('diabetes2');
  const ckd = has('ckd3');
  const hld = has('hyperlipidemia');
  const labMeans: Partial<Record<LabKey, number>> = {
    hemoglobin: rng.normal(female ? 13.4 : 15.0, 0.9) - (ckd ? 1.2 : 0),
    wbc: rng.normal(7.0, 1.5),
    platelets: rng.normal(255, 50),
    glucose: dm ? rng.normal(150, 30) : rng.normal(92, 8),
    sodium: rng.normal(139.5, 1.8),
    potassium: rng.normal(4.3, 0.3) + (onRaasPlusK || ckd ? 0.35 : 0),
    chloride: rng.normal(102, 2),
    co2: rng.normal(25, 1.8) - (ckd ? 2 : 0),
    bun: ckd ? rng.normal(30, 5) : rng.normal(14, 3.5),
    creatinine: ckd ? rng.normal(female ? 1.5 : 1.85, 0.15) : rng.normal(female ? 0.78 : 0.98, 0.12),
    calcium: rng.normal(9.4, 0.3),
    hba1c: dm ? rng.normal(7.5, 0.9) : rng.normal(5.35, 0.28),
    ldl: hld ? rng.normal(128, 25) : rng.normal(102, 22),
    hdl: rng.normal(female ? 58 : 47, 10),
    triglycerides: hld || dm ? rng.normal(175, 45) : rng.normal(115, 35),
    tsh: has('hypothyroidism') ? rng.normal(3.0, 1.4) : rng.normal(1.9, 0.7),
    inr: onWarfarin ? rng.normal(2.5, 0.3) : 1.0,
  };
  const labTrends: Partial<Record<LabKey, number>> = dm ? { hba1c: rng.normal(0, 0.15) } : {};

  const physiology: Physiology = {
    heightCm: rng.clampedNormal(female ? 162 : 176, 7, 145, 200),
    bmi: rng.clampedNormal(27.5 + (dm ? 3 : 0), 5, 17.5, 48),
    weightTrendKgPerVisit: rng.normal(0, 0.6),
    sbp: rng.normal(114 + Math.max(0, age - 30) * 0.3 + (htn ? 14 : 0), 8),
    dbp: rng.normal(73 + (htn ? 8 : 0), 6),
    hr: has('afib') ? rng.normal(86, 10) : rng.normal(73, 8),
    spo2: has('copd') ? rng.normal(93, 1.2) : rng.normal(97.6, 0.8),
    tempFeverAtLast: has('pneumonia') || has('uti') ? rng.chance(0.7) : false,
    labMeans,
    labTrends,
  };

  // --- curated or rare critical results (always on the last encounter) -------
  const labOverrides: LabOverrides = {};
  const criticalNotes: Partial<Record<LabKey, string>> = {};
  let effectiveCritical = critical;
  if (effectiveCritical === 'inr' && !onWarfarin) effectiveCritical = 'potassium';
  if (effectiveCritical) {
    const c = CRITICAL_VALUES[effectiveCritical];
    const last = encounterDaysAgo.length - 1;
    const lastPanels = labPlan[last]!;
    if (!lastPanels.includes(c.panel)) {
      lastPanels.push(c.panel);
      lastPanels.sort((a, b) => PANEL_ORDER.indexOf(a) - PANEL_ORDER.indexOf(b));
    }
    labOverrides[last] = { [c.lab]: c.value };
    criticalNotes[c.lab] = c.note;
  }
  // methotrexate + SMX-TMP: the last CBC shows early marrow suppression (abnormal, not critical)
  if (onMtx && meds.has('smxTmpDs')) {
    const last = encounterDaysAgo.length - 1;
    if (!labPlan[last]!.includes('cbc')) labPlan[last]!.unshift('cbc');
    labOverrides[last] = { ...(labOverrides[last] ?? {}), wbc: 3.2, platelets: 118 };
  }

  // --- appointments -----------------------------------------------------------
  const nAppt = rng.weighted<number>([
    [0, 35],
    [1, 45],
    [2, 20],
  ]);
  const appointments: AppointmentPlan[] = [];
  for (let i = 0; i < nAppt; i++) {
    const specialist = specialists.length > 0 && rng.chance(0.35) ? rng.pick(specialists) : undefined;
    const chronic = condKeys.filter((k) => CONDITIONS[k].chronic);
    const reason = chronic.length > 0 ? rng.pick(chronic) : undefined;
    const plan: AppointmentPlan = {
      daysAhead: i === 0 ? rng.int(2, 45) : rng.int(46, 180),
      hour: rng.int(8, 16),
      minute: rng.pick([0, 15, 30, 45]),
      practitioner: specialist ?? gp,
      type: reason ? 'FOLLOWUP' : 'CHECKUP',
      description: reason ? `Follow-up: ${CONDITIONS[reason].text}` : 'Annual physical examination',
    };
    if (reason) plan.reason = reason;
    appointments.push(plan);
  }

  // --- condition onset ------------------------------------------------------
  const firstEncMs = anchorMs - encounterDaysAgo[0]! * DAY_MS;
  const lastEncMs = anchorMs - encounterDaysAgo[encounterDaysAgo.length - 1]! * DAY_MS;
  const adultMs = birthMs + 18 * 365.25 * DAY_MS;
  const conditions: ConditionPlan[] = condKeys.map((key) => {
    const acute = !CONDITIONS[key].chronic;
    if (acute) return { key, acute, onsetDay: isoDay(lastEncMs - rng.int(1, 5) * DAY_MS) };
    const earliest = Math.min(Math.max(adultMs, firstEncMs - 20 * 365 * DAY_MS), firstEncMs - 30 * DAY_MS);
    const onset = earliest + rng.next() * (firstEncMs - 30 * DAY_MS - earliest);
    return { key, acute, onsetDay: isoDay(onset) };
  });

  return {
    index,
    base,
    given,
    family,
    gender,
    birthDate,
    address: { line, city: city.city, state: city.state, postalCode: rng.pick(city.zips) },
    phone,
    email: `${emailLocal}${index}@example.com`,
    mrn,
    ssn,
    gp,
    nurse,
    specialists,
    pharmacy,
    payer,
    conditions,
    meds: meds.plans,
    allergies,
    encounterDaysAgo,
    labPlan,
    labOverrides,
    appointments,
    physiology,
    criticalNotes,
  };
}

const PANEL_ORDER: readonly PanelKey[] = ['cbc', 'bmp', 'lipid', 'hba1c', 'tsh', 'inr'];

/** Indices 2..8 carry the interaction scenarios; 9 and 10 carry critical glucose / hemoglobin; ~1% of others random. */
function criticalFor(index: number, rng: Rng): CriticalKind | undefined {
  if (index === FIXED_PATIENT_COUNT) return 'inr'; // the warfarin + naproxen patient
  if (index === FIXED_PATIENT_COUNT + INTERACTION_SCENARIOS.length) return 'glucose';
  if (index === FIXED_PATIENT_COUNT + INTERACTION_SCENARIOS.length + 1) return 'hemoglobin';
  if (index < FIXED_PATIENT_COUNT + INTERACTION_SCENARIOS.length + 2) return undefined;
  return rng.chance(0.01) ? rng.pick<CriticalKind>(['potassium', 'glucose', 'hemoglobin', 'inr']) : undefined;
}

// ---------------------------------------------------------------------------
// FHIR emission
// ---------------------------------------------------------------------------

function quantity(value: number, unit: string, code: string): fhir4.Quantity {
  return { value, unit, system: SYS.UCUM, code };
}

function referenceRange(
  range: RangeDef,
  unit: string,
  ucum: string,
  type: 'normal' | 'therapeutic' = 'normal',
): fhir4.ObservationReferenceRange {
  const rr: fhir4.ObservationReferenceRange = {};
  if (range.low !== undefined) rr.low = quantity(range.low, unit, ucum);
  if (range.high !== undefined) rr.high = quantity(range.high, unit, ucum);
  rr.type = concept([
    type === 'normal'
      ? {
          system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning',
          code: 'normal',
          display: 'Normal Range',
        }
      : {
          system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning',
          code: 'therapeutic',
          display: 'Therapeutic Desired Level',
        },
  ]);
  if (range.text) rr.text = range.text;
  return rr;
}

function interpretationConcept(code: keyof typeof INTERPRETATIONS): fhir4.CodeableConcept[] {
  return [
    { coding: [{ system: SYS.V3_INTERPRETATION, code, display: INTERPRETATIONS[code] }], text: INTERPRETATIONS[code] },
  ];
}

const CATEGORY_LAB: fhir4.CodeableConcept = concept(
  [{ system: SYS.OBS_CATEGORY, code: 'laboratory', display: 'Laboratory' }],
  'Laboratory',
);
const CATEGORY_VITALS: fhir4.CodeableConcept = concept(
  [{ system: SYS.OBS_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }],
  'Vital Signs',
);

/** CKD-EPI 2021 (race-free) eGFR. */
export function ckdEpi2021(creatinineMgDl: number, ageYears: number, female: boolean): number {
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const r = creatinineMgDl / kappa;
  return 142 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.2 * 0.9938 ** ageYears * (female ? 1.012 : 1);
}

function doseQuantity(m: MedicationDef): fhir4.Quantity {
  switch (m.form) {
    case 'TAB':
      return { value: m.sig.dose, unit: m.sig.dose === 1 ? 'tablet' : 'tablets', system: SYS.V3_DRUGFORM, code: 'TAB' };
    case 'SLTAB':
      return { value: m.sig.dose, unit: 'tablet', system: SYS.V3_DRUGFORM, code: 'SLTAB' };
    case 'CAP':
    case 'INHCAP':
      return {
        value: m.sig.dose,
        unit: m.sig.dose === 1 ? 'capsule' : 'capsules',
        system: SYS.V3_DRUGFORM,
        code: 'CAP',
      };
    case 'PUFF':
      return { value: m.sig.dose, unit: 'puff', system: SYS.UCUM, code: '{puff}' };
  }
}

function dispenseQuantity(m: MedicationDef): fhir4.Quantity {
  let value = m.quantity;
  if (value === undefined) {
    const perUnit =
      m.sig.periodUnit === 'd' ? 1 : m.sig.periodUnit === 'wk' ? 1 / 7 : m.sig.periodUnit === 'h' ? 24 : 24 * 60;
    value = Math.ceil(((m.sig.dose * m.sig.frequency) / m.sig.period) * perUnit * m.supplyDays);
  }
  switch (m.form) {
    case 'TAB':
    case 'SLTAB':
      return { value, unit: 'tablet', system: SYS.V3_DRUGFORM, code: m.form };
    case 'CAP':
    case 'INHCAP':
      return { value, unit: 'capsule', system: SYS.V3_DRUGFORM, code: 'CAP' };
    case 'PUFF':
      return { value, unit: value === 1 ? 'inhaler' : 'inhalers' };
  }
}

function buildPatientBundle(p: PatientProfile, refs: DirectoryRefs, anchorMs: number, rng: Rng): fhir4.Bundle {
  const tx = new TransactionBuilder();
  const id = (suffix: string) => `${p.base}-${suffix}`;
  const dir = (key: string): string => {
    const r = refs[key];
    if (!r) throw new Error(`directoryRefs has no entry for ${key}`);
    return r;
  };
  const staffRef = (key: string): fhir4.Reference => ({
    reference: dir(DEMO_IDS.practitioner(key)),
    display: staffDisplayName(staffByKey(key)),
  });
  const orgRef: fhir4.Reference = { reference: dir(MEDICAL_CENTER.key), display: MEDICAL_CENTER.name };
  const locRef: fhir4.Reference = { reference: dir(MEDICAL_CENTER.locationKey), display: MEDICAL_CENTER.locationName };
  const fullName = `${p.given[0]} ${p.family}`;
  const female = p.gender === 'female';

  // --- Patient ----------------------------------------------------------------
  const patientUrl = tx.add<fhir4.Patient>(
    {
      resourceType: 'Patient',
      identifier: [
        {
          use: 'usual',
          type: concept([{ system: SYS.V2_0203, code: 'MR', display: 'Medical record number' }], 'MRN'),
          system: SYS.MRN,
          value: p.mrn,
          assigner: { display: MEDICAL_CENTER.name },
        },
        {
          use: 'secondary',
          type: concept(
            [{ system: SYS.V2_0203, code: 'SS', display: 'Social Security number' }],
            'SSN (synthetic, invalid range)',
          ),
          system: SYS.SSN,
          value: p.ssn,
        },
      ],
      active: true,
      name: [{ use: 'official', text: `${p.given.join(' ')} ${p.family}`, family: p.family, given: [...p.given] }],
      telecom: [
        { system: 'phone', value: p.phone, use: 'home', rank: 1 },
        { system: 'email', value: p.email, use: 'home' },
      ],
      gender: p.gender,
      birthDate: p.birthDate,
      address: [
        {
          use: 'home',
          type: 'physical',
          line: [...p.address.line],
          city: p.address.city,
          state: p.address.state,
          postalCode: p.address.postalCode,
          country: 'US',
        },
      ],
      communication: [
        {
          language: concept([{ system: SYS.BCP47, code: 'en-US', display: 'English (United States)' }]),
          preferred: true,
        },
      ],
      generalPractitioner: [staffRef(p.gp)],
      managingOrganization: orgRef,
    },
    id('patient'),
  );
  const subject: fhir4.Reference = { reference: patientUrl, display: fullName };

  // --- CareTeam ---------------------------------------------------------------
  const careTeamStart = isoDay(anchorMs - p.encounterDaysAgo[0]! * DAY_MS);
  tx.add<fhir4.CareTeam>(
    {
      resourceType: 'CareTeam',
      status: 'active',
      category: [
        concept([
          { system: SYS.LOINC, code: 'LA28865-6', display: 'Longitudinal care-coordination focused care team' },
        ]),
      ],
      name: `Primary care team for ${fullName}`,
      subject,
      period: { start: careTeamStart },
      participant: [
        {
          role: [
            concept(
              [{ system: SYS.SNOMED, code: '446050000', display: 'Primary care physician (occupation)' }],
              'Primary care physician',
            ),
          ],
          member: staffRef(p.gp),
          onBehalfOf: orgRef,
        },
        {
          role: [
            concept(
              [{ system: SYS.SNOMED, code: '224535009', display: 'Registered nurse (occupation)' }],
              'Care team nurse',
            ),
          ],
          member: staffRef(p.nurse),
          onBehalfOf: orgRef,
        },
        ...p.specialists.map((s) => ({
          role: [
            concept(
              [{ system: SYS.SNOMED, code: '309343006', display: 'Physician (occupation)' }],
              `Consulting physician (${staffByKey(s).specialty.display.replace(' (qualifier value)', '')})`,
            ),
          ],
          member: staffRef(s),
          onBehalfOf: orgRef,
        })),
      ],
      managingOrganization: [orgRef],
    },
    id('careteam'),
  );

  // --- Coverage ---------------------------------------------------------------
  const payer = PAYERS.find((x) => x.key === p.payer)!;
  tx.add<fhir4.Coverage>(
    {
      resourceType: 'Coverage',
      status: 'active',
      type: concept([payer.sopt], payer.sopt.display),
      subscriber: subject,
      subscriberId: `${payer.key.slice(0, 3).toUpperCase()}${pad(p.index + 1, 9)}`,
      beneficiary: subject,
      relationship: concept([{ system: SYS.SUBSCRIBER_RELATIONSHIP, code: 'self', display: 'Self' }]),
      period: { start: `${Number(isoDay(anchorMs).slice(0, 4)) - 3}-01-01` },
      payor: [{ reference: dir(DEMO_IDS.payer(payer.key)), display: payer.name }],
      class: [
        {
          type: concept([{ system: SYS.COVERAGE_CLASS, code: 'group', display: 'Group' }]),
          value: `GRP-${payer.key.slice(0, 4).toUpperCase()}-01`,
          name: `${payer.name} group`,
        },
        {
          type: concept([{ system: SYS.COVERAGE_CLASS, code: 'plan', display: 'Plan' }]),
          value: `PLN-${payer.key.slice(0, 4).toUpperCase()}`,
          name: payer.planName,
        },
      ],
    },
    id('coverage'),
  );

  // --- Encounters -------------------------------------------------------------
  const nEnc = p.encounterDaysAgo.length;
  const encStartMs: number[] = [];
  const encUrls: string[] = [];
  const condUrlByKey = new Map<ConditionKey, string>();
  const conditionFullUrl = (k: ConditionKey) =>
    TransactionBuilder.fullUrlFor(id(`condition-${p.conditions.findIndex((c) => c.key === k)}`));
  const acuteKeys = p.conditions.filter((c) => c.acute).map((c) => c.key);
  const chronicKeys = p.conditions.filter((c) => !c.acute).map((c) => c.key);

  for (let i = 0; i < nEnc; i++) {
    const dayMs = anchorMs - p.encounterDaysAgo[i]! * DAY_MS;
    const start = dayMs + (rng.int(8, 16) * 60 + rng.pick([0, 15, 30, 45])) * 60_000;
    const end = start + rng.int(20, 45) * 60_000;
    encStartMs.push(start);
    const last = i === nEnc - 1;
    const type =
      i === 0
        ? ENCOUNTER_TYPES.checkup
        : last && acuteKeys.length > 0
          ? ENCOUNTER_TYPES.symptom
          : ENCOUNTER_TYPES.followUp;
    const reasons = last && acuteKeys.length > 0 ? acuteKeys : chronicKeys.slice(0, 3);
    const enc: fhir4.Encounter = {
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: SYS.V3_ACTCODE, code: 'AMB', display: 'ambulatory' },
      type: [concept([type], type.display.replace(' (procedure)', ''))],
      subject,
      participant: [
        {
          type: [concept([{ system: SYS.V3_PARTICIPATION, code: 'PPRF', display: 'primary performer' }])],
          period: { start: isoInstant(start), end: isoInstant(end) },
          individual: staffRef(p.gp),
        },
        {
          type: [concept([{ system: SYS.V3_PARTICIPATION, code: 'PART', display: 'Participation' }])],
          individual: staffRef(p.nurse),
        },
      ],
      period: { start: isoInstant(start), end: isoInstant(end) },
      location: [{ location: locRef, status: 'completed' }],
      serviceProvider: orgRef,
    };
    if (reasons.length > 0)
      enc.reasonReference = reasons.map((k) => ({ reference: conditionFullUrl(k), display: CONDITIONS[k].text }));
    encUrls.push(tx.add(enc, id(`encounter-${i}`)));
  }
  const encRef = (i: number): fhir4.Reference => ({ reference: encUrls[i]! });
  const lastEnc = nEnc - 1;

  // --- Conditions -------------------------------------------------------------
  p.conditions.forEach((c, i) => {
    const def = CONDITIONS[c.key];
    const encIdx = c.acute ? lastEnc : 0;
    const url = tx.add<fhir4.Condition>(
      {
        resourceType: 'Condition',
        clinicalStatus: concept([{ system: SYS.COND_CLINICAL, code: 'active', display: 'Active' }]),
        verificationStatus: concept([{ system: SYS.COND_VERIFICATION, code: 'confirmed', display: 'Confirmed' }]),
        category: [
          c.acute
            ? concept([{ system: SYS.COND_CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }])
            : concept([{ system: SYS.COND_CATEGORY, code: 'problem-list-item', display: 'Problem List Item' }]),
        ],
        code: concept([def.snomed, def.icd10], def.text),
        subject,
        encounter: encRef(encIdx),
        onsetDateTime: c.onsetDay,
        recordedDate: isoInstant(encStartMs[encIdx]!),
        recorder: staffRef(p.gp),
        asserter: staffRef(p.gp),
      },
      id(`condition-${i}`),
    );
    condUrlByKey.set(c.key, url);
  });

  // --- AllergyIntolerances ----------------------------------------------------
  p.allergies.forEach((a, i) => {
    const def: AllergyDef = ALLERGIES[a.key];
    tx.add<fhir4.AllergyIntolerance>(
      {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: concept([{ system: SYS.ALLERGY_CLINICAL, code: 'active', display: 'Active' }]),
        verificationStatus: concept([
          a.verification === 'confirmed'
            ? { system: SYS.ALLERGY_VERIFICATION, code: 'confirmed', display: 'Confirmed' }
            : { system: SYS.ALLERGY_VERIFICATION, code: 'unconfirmed', display: 'Unconfirmed' },
        ]),
        type: def.type,
        category: [def.category],
        criticality: a.criticality,
        code: concept(def.codings, def.text),
        patient: subject,
        encounter: encRef(0),
        onsetDateTime: String(a.onsetYear),
        recordedDate: isoInstant(encStartMs[0]!),
        recorder: staffRef(p.gp),
        reaction: [
          {
            manifestation: [concept([a.reaction], a.reaction.display.replace(/ \((disorder|finding)\)$/, ''))],
            severity: a.severity,
          },
        ],
      },
      id(`allergy-${i}`),
    );
  });

  // --- MedicationRequests -------------------------------------------------------
  const pharmacyDef = PHARMACIES.find((x) => x.key === p.pharmacy)!;
  p.meds.forEach((mp, i) => {
    const m: MedicationDef = MEDICATIONS[mp.key];
    const encIdx = m.acute || nEnc < 2 ? lastEnc : rng.chance(0.5) ? lastEnc : lastEnc - 1;
    const authored = encStartMs[encIdx]! + 25 * 60_000;
    const validityDays = m.acute ? m.supplyDays + 3 : 365;
    const timing: fhir4.Timing = {
      repeat: { frequency: m.sig.frequency, period: m.sig.period, periodUnit: m.sig.periodUnit },
    };
    if (m.sig.timingCode)
      timing.code = concept([
        { system: SYS.V3_GTS, code: m.sig.timingCode, display: m.sig.timingDisplay ?? m.sig.timingCode },
      ]);
    if (m.acute) timing.repeat!.boundsDuration = { value: m.supplyDays, unit: 'days', system: SYS.UCUM, code: 'd' };
    const dosage: fhir4.Dosage = {
      sequence: 1,
      text: m.sig.text,
      timing,
      route: concept([ROUTES[m.route]]),
      doseAndRate: [
        {
          type: concept([{ system: SYS.DOSE_RATE_TYPE, code: 'ordered', display: 'Ordered' }]),
          doseQuantity: doseQuantity(m),
        },
      ],
    };
    if (m.sig.asNeeded) dosage.asNeededBoolean = true;
    const condUrl = condUrlByKey.get(mp.reason);
    if (!condUrl)
      throw new Error(`medication ${mp.key} has reason ${mp.reason} that is not a condition of patient ${p.index}`);
    tx.add<fhir4.MedicationRequest>(
      {
        resourceType: 'MedicationRequest',
        status: 'active',
        intent: 'order',
        category: [
          concept([
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
              code: 'community',
              display: 'Community',
            },
          ]),
        ],
        medicationCodeableConcept: concept([{ system: SYS.RXNORM, code: m.rxcui, display: m.display }], m.display),
        subject,
        encounter: encRef(encIdx),
        authoredOn: isoInstant(authored),
        requester: staffRef(p.gp),
        reasonReference: [{ reference: condUrl, display: CONDITIONS[mp.reason].text }],
        courseOfTherapyType: concept([
          m.acute
            ? {
                system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
                code: 'acute',
                display: 'Short course (acute) therapy',
              }
            : {
                system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy',
                code: 'continuous',
                display: 'Continuous long term therapy',
              },
        ]),
        dosageInstruction: [dosage],
        dispenseRequest: {
          validityPeriod: { start: isoDay(authored), end: isoDay(authored + validityDays * DAY_MS) },
          numberOfRepeatsAllowed: m.repeats,
          quantity: dispenseQuantity(m),
          expectedSupplyDuration: { value: m.supplyDays, unit: 'days', system: SYS.UCUM, code: 'd' },
          performer: { reference: dir(DEMO_IDS.pharmacy(pharmacyDef.key)), display: pharmacyDef.name },
        },
        substitution: { allowedBoolean: true },
      },
      id(`medreq-${i}`),
    );
  });

  // --- Vital signs ---------------------------------------------------------------
  let obsCounter = 0;
  const ph = p.physiology;
  let lastHeightMs = -Infinity;
  for (let i = 0; i < nEnc; i++) {
    const t = encStartMs[i]! + 10 * 60_000;
    const effective = isoInstant(t);
    const vitalObs = (def: VitalDef, value: number, extra: Partial<fhir4.Observation> = {}): void => {
      const v = round(value, def.decimals);
      const obs: fhir4.Observation = {
        resourceType: 'Observation',
        status: 'final',
        category: [CATEGORY_VITALS],
        code: concept(
          [{ system: SYS.LOINC, code: def.loinc, display: def.display }, ...(def.extraCodings ?? [])],
          def.display,
        ),
        subject,
        encounter: encRef(i),
        effectiveDateTime: effective,
        issued: effective,
        performer: [staffRef(p.nurse)],
        valueQuantity: quantity(v, def.unit, def.ucum),
        ...extra,
      };
      if (def.range) {
        obs.interpretation = interpretationConcept(interpret(v, def.range, def.criticalLow, def.criticalHigh));
        obs.referenceRange = [referenceRange(def.range, def.unit, def.ucum)];
      }
      tx.add(obs, id(`obs-${obsCounter++}`));
    };

    // blood pressure panel (components carry values, ranges and interpretations)
    const sbp = round(Math.min(178, Math.max(92, ph.sbp - i * 1.2 + rng.normal(0, 7))), 0);
    const dbp = round(Math.min(112, Math.max(55, Math.min(sbp - 25, ph.dbp - i * 0.6 + rng.normal(0, 5)))), 0);
    const bpComponent = (def: VitalDef, v: number): fhir4.ObservationComponent => ({
      code: concept([{ system: SYS.LOINC, code: def.loinc, display: def.display }], def.display),
      valueQuantity: quantity(v, def.unit, def.ucum),
      interpretation: interpretationConcept(interpret(v, def.range!, def.criticalLow, def.criticalHigh)),
      referenceRange: [referenceRange(def.range!, def.unit, def.ucum)],
    });
    tx.add<fhir4.Observation>(
      {
        resourceType: 'Observation',
        status: 'final',
        category: [CATEGORY_VITALS],
        code: concept(
          [{ system: SYS.LOINC, code: VITALS.bpPanel.loinc, display: VITALS.bpPanel.display }],
          'Blood pressure',
        ),
        subject,
        encounter: encRef(i),
        effectiveDateTime: effective,
        issued: effective,
        performer: [staffRef(p.nurse)],
        component: [bpComponent(VITALS.systolic, sbp), bpComponent(VITALS.diastolic, dbp)],
      },
      id(`obs-${obsCounter++}`),
    );
    vitalObs(VITALS.heartRate, Math.min(124, Math.max(48, ph.hr + rng.normal(0, 5))));
    vitalObs(VITALS.respRate, Math.min(24, Math.max(12, rng.normal(15, 1.5))));
    const fever = ph.tempFeverAtLast && i === lastEnc;
    vitalObs(
      VITALS.temperature,
      fever ? rng.float(38.0, 38.9) : Math.min(37.6, Math.max(36.2, rng.normal(36.8, 0.22))),
    );
    vitalObs(VITALS.spo2, Math.min(100, Math.max(89, ph.spo2 + rng.normal(0, 0.8))));
    const heightCm = round(ph.heightCm, 1);
    if (t - lastHeightMs >= 330 * DAY_MS) {
      vitalObs(VITALS.height, heightCm);
      lastHeightMs = t;
    }
    const weightKg = round(
      Math.max(38, ph.bmi * (heightCm / 100) ** 2 + ph.weightTrendKgPerVisit * i + rng.normal(0, 0.5)),
      1,
    );
    vitalObs(VITALS.weight, weightKg);
    vitalObs(VITALS.bmi, weightKg / (heightCm / 100) ** 2);
  }

  // --- Laboratory results + DiagnosticReports --------------------------------------
  let reportCounter = 0;
  for (let i = 0; i < nEnc; i++) {
    const panels = p.labPlan[i] ?? [];
    if (panels.length === 0) continue;
    const collected = encStartMs[i]! + 30 * 60_000;
    const issued = collected + rng.int(2, 6) * 3_600_000;
    const age = ageAt(p.birthDate, collected);
    const overrides = p.labOverrides[i] ?? {};
    const values = new Map<LabKey, number>();

    const drawLab = (key: LabKey): number => {
      const cached = values.get(key);
      if (cached !== undefined) return cached;
      const def: LabDef = LABS[key];
      let v: number;
      const ov = overrides[key];
      if (ov !== undefined) {
        v = ov;
      } else if (key === 'egfr') {
        v = ckdEpi2021(drawLab('creatinine'), age, female);
      } else if (key === 'cholesterol') {
        v = drawLab('ldl') + drawLab('hdl') + drawLab('triglycerides') / 5 + rng.normal(0, 4);
      } else if (key === 'hematocrit') {
        v = drawLab('hemoglobin') * 3 + rng.normal(0, 0.8);
      } else {
        const mean = (ph.labMeans[key] ?? defaultMean(def, female)) + (ph.labTrends[key] ?? 0) * i;
        const [lo, hi] = LAB_CLAMP[key];
        v = Math.min(hi, Math.max(lo, rng.normal(mean, LAB_NOISE[key])));
      }
      v = round(v, def.decimals);
      values.set(key, v);
      return v;
    };

    for (const panelKey of panels) {
      const panel = PANELS[panelKey];
      const resultRefs: fhir4.Reference[] = [];
      const notes: string[] = [];
      for (const labKey of panel.members) {
        const def: LabDef = LABS[labKey];
        const v = drawLab(labKey);
        const range = female ? def.range.female : def.range.male;
        const interp = interpret(v, range, def.criticalLow, def.criticalHigh);
        const ranges = [referenceRange(range, def.unit, def.ucum)];
        if (labKey === 'inr' && p.meds.some((m) => m.key === 'warfarin5'))
          ranges.push(referenceRange(INR_THERAPEUTIC, def.unit, def.ucum, 'therapeutic'));
        const obs: fhir4.Observation = {
          resourceType: 'Observation',
          status: 'final',
          category: [CATEGORY_LAB],
          code: concept([{ system: SYS.LOINC, code: def.loinc, display: def.display }], def.display),
          subject,
          encounter: encRef(i),
          effectiveDateTime: isoInstant(collected),
          issued: isoInstant(issued),
          performer: [staffRef('lab-kim'), orgRef],
          valueQuantity: quantity(v, def.unit, def.ucum),
          interpretation: interpretationConcept(interp),
          referenceRange: ranges,
        };
        if (interp === 'HH' || interp === 'LL') {
          const note = p.criticalNotes[labKey] ?? `CRITICAL: ${def.display} ${v} ${def.unit} (${interp}).`;
          obs.note = [{ text: note }];
          notes.push(note);
        }
        resultRefs.push({ reference: tx.add(obs, id(`obs-${obsCounter++}`)), display: def.display });
      }
      const report: fhir4.DiagnosticReport = {
        resourceType: 'DiagnosticReport',
        status: 'final',
        category: [concept([{ system: SYS.V2_0074, code: 'LAB', display: 'Laboratory' }])],
        code: concept([{ system: SYS.LOINC, code: panel.loinc, display: panel.display }], panel.display),
        subject,
        encounter: encRef(i),
        effectiveDateTime: isoInstant(collected),
        issued: isoInstant(issued),
        performer: [orgRef],
        resultsInterpreter: [staffRef(p.gp)],
        result: resultRefs,
      };
      if (notes.length > 0) report.conclusion = notes.join(' ');
      tx.add(report, id(`report-${reportCounter++}`));
    }
  }

  // --- Appointments ------------------------------------------------------------------
  p.appointments.forEach((a, i) => {
    const start = anchorMs + a.daysAhead * DAY_MS + (a.hour * 60 + a.minute) * 60_000;
    const minutes = a.type === 'CHECKUP' ? 40 : 20;
    const appt: fhir4.Appointment = {
      resourceType: 'Appointment',
      status: 'booked',
      appointmentType: concept([APPOINTMENT_TYPES[a.type]]),
      serviceType: [{ text: staffByKey(a.practitioner).specialty.display.replace(' (qualifier value)', '') }],
      description: a.description,
      start: isoInstant(start),
      end: isoInstant(start + minutes * 60_000),
      minutesDuration: minutes,
      created: isoInstant(anchorMs - DAY_MS),
      participant: [
        { actor: subject, required: 'required', status: 'accepted' },
        { actor: staffRef(a.practitioner), required: 'required', status: 'accepted' },
        { actor: locRef, required: 'required', status: 'accepted' },
      ],
    };
    if (a.reason && condUrlByKey.has(a.reason))
      appt.reasonReference = [{ reference: condUrlByKey.get(a.reason)!, display: CONDITIONS[a.reason].text }];
    tx.add(appt, id(`appointment-${i}`));
  });

  return tx.bundle();
}

function defaultMean(def: LabDef, female: boolean): number {
  const r = female ? def.range.female : def.range.male;
  if (r.low !== undefined && r.high !== undefined) return (r.low + r.high) / 2;
  return r.low ?? r.high ?? 0;
}

/**
 * One transaction Bundle for patient `index` of `seed`.
 * `directoryRefs` maps directory identifier values (see DEMO_IDS) to references.
 */
export function generatePatient(
  seed: number,
  index: number,
  directoryRefs: DirectoryRefs,
  options: GenerateOptions = {},
): fhir4.Bundle {
  if (!Number.isInteger(index) || index < 0)
    throw new RangeError(`patient index must be a non-negative integer: ${index}`);
  const anchorMs = parseDay(options.anchor ?? DEFAULT_ANCHOR);
  let profile: PatientProfile;
  let rng: Rng;
  if (index === 0) {
    profile = mariaGarcia();
    rng = new Rng('fixed:0');
  } else if (index === 1) {
    profile = johnSmith();
    rng = new Rng('fixed:1');
  } else {
    profile = randomPatient(seed, index, anchorMs);
    rng = new Rng(`${seed}:emit:${index}`);
  }
  return buildPatientBundle(profile, directoryRefs, anchorMs, rng);
}

/** Counts entries by resourceType (for summaries and tests). */
export function countByType(bundle: fhir4.Bundle): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of bundle.entry ?? []) {
    const t = e.resource?.resourceType ?? 'unknown';
    out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}
