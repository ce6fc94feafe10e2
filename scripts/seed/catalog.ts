/**
 * Coded vocabularies for the demo-data generator.
 *
 * Every RxNorm code in MEDICATIONS is a clinical drug (TTY SCD) whose code and
 * display name were checked against RxNorm Current Prescribable Content
 * 2025-10-06 (/work/shared/data/rxnorm-prescribable-2025-10); generate.spec.ts
 * re-checks them when that folder is present. No drug whose ingredient starts
 * with "A" is used (A.json is missing from that release copy, so such codes
 * could not be verified).
 */

// ---------------------------------------------------------------------------
// Code systems and fixed identifier systems
// ---------------------------------------------------------------------------

export const SYS = {
  SNOMED: 'http://snomed.info/sct',
  ICD10CM: 'http://hl7.org/fhir/sid/icd-10-cm',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  LOINC: 'http://loinc.org',
  UCUM: 'http://unitsofmeasure.org',
  NPI: 'http://hl7.org/fhir/sid/us-npi',
  SSN: 'http://hl7.org/fhir/sid/us-ssn',
  DEA: 'https://www.deadiversion.usdoj.gov',
  NCPDP: 'http://terminology.hl7.org/NamingSystem/NCPDPProviderIdentificationNumber',
  MRN: 'urn:oid:2.16.840.1.113883.3.9999.1',
  DEMO: 'urn:wintehr:demo',
  /** Where the EHR reads a payer's clearinghouse id (services/api eligibility, X12_PAYER_ID_SYSTEM). */
  X12_PAYER_ID: 'http://wintehr.org/fhir/sid/x12-payer-id',
  V2_0203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  V2_0360: 'http://terminology.hl7.org/CodeSystem/v2-0360|2.7',
  V2_0074: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  V2_0276: 'http://terminology.hl7.org/CodeSystem/v2-0276',
  V3_ACTCODE: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  V3_PARTICIPATION: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  V3_INTERPRETATION: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  V3_GTS: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
  V3_DRUGFORM: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm',
  V3_ROLECODE: 'http://terminology.hl7.org/CodeSystem/v3-RoleCode',
  OBS_CATEGORY: 'http://terminology.hl7.org/CodeSystem/observation-category',
  COND_CATEGORY: 'http://terminology.hl7.org/CodeSystem/condition-category',
  COND_CLINICAL: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  COND_VERIFICATION: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  ALLERGY_CLINICAL: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  ALLERGY_VERIFICATION: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  ORG_TYPE: 'http://terminology.hl7.org/CodeSystem/organization-type',
  NUCC: 'http://nucc.org/provider-taxonomy',
  PRACTITIONER_ROLE: 'http://terminology.hl7.org/CodeSystem/practitioner-role',
  DOSE_RATE_TYPE: 'http://terminology.hl7.org/CodeSystem/dose-rate-type',
  SOPT: 'https://nahdo.org/sopt',
  COVERAGE_CLASS: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  SUBSCRIBER_RELATIONSHIP: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  BCP47: 'urn:ietf:bcp:47',
  /** Project-local role code (what a demo user "is"); handy for RBAC mapping. */
  WINTEHR_ROLE: 'urn:wintehr:role',
} as const;

export interface CodingDef {
  system: string;
  code: string;
  display: string;
}

// ---------------------------------------------------------------------------
// People and places
// ---------------------------------------------------------------------------

export const FEMALE_FIRST_NAMES = [
  'Maria',
  'Emily',
  'Aisha',
  'Mei',
  'Priya',
  'Sofia',
  'Olivia',
  'Fatima',
  'Ngozi',
  'Yuki',
  'Ana',
  'Grace',
  'Hannah',
  'Keisha',
  'Lakshmi',
  'Elena',
  'Chloe',
  'Amara',
  'Leila',
  'Rosa',
  'Jasmine',
  'Hye-jin',
  'Isabella',
  'Camila',
  'Zainab',
  'Ingrid',
  'Margaret',
  'Linda',
  'Patricia',
  'Deborah',
  'Thi Lan',
  'Anjali',
  'Esperanza',
  'Naomi',
  'Tamika',
  'Carmen',
  'Abigail',
  'Mariam',
  'Svetlana',
  'Kateri',
  'Lucia',
  'Nia',
  'Ruth',
  'Eleanor',
  'Guadalupe',
  'Xin',
  'Farah',
  'Beatriz',
  'Imani',
  'Catherine',
] as const;

export const MALE_FIRST_NAMES = [
  'John',
  'James',
  'Carlos',
  'Wei',
  'Raj',
  'Mohammed',
  'Kwame',
  'Hiroshi',
  'Diego',
  'Liam',
  'Noah',
  'Jamal',
  'Arjun',
  'Luis',
  'Omar',
  'Daniel',
  'Minh',
  'Andre',
  'Tomasz',
  'Samuel',
  'Jose',
  'Robert',
  'Michael',
  'David',
  'William',
  'Ahmed',
  'Chinedu',
  'Kenji',
  'Mateo',
  'Ethan',
  'Sanjay',
  'Dmitri',
  'Tyrone',
  'Francisco',
  'Hassan',
  'Jun',
  'Marcus',
  'Elijah',
  'Rafael',
  'Thomas',
  'Gabriel',
  'Yusuf',
  'Lars',
  'Vikram',
  'Malik',
  'Hector',
  'Joseph',
  'Richard',
  'Nam',
  'Kofi',
] as const;

export const LAST_NAMES = [
  'Garcia',
  'Smith',
  'Johnson',
  'Nguyen',
  'Patel',
  'Kim',
  'Rodriguez',
  'Williams',
  'Chen',
  'Okafor',
  'Hernandez',
  'Brown',
  'Lopez',
  'Singh',
  'Khan',
  'Tanaka',
  'Martinez',
  'Davis',
  'Wang',
  'Ali',
  'Gonzalez',
  'Jackson',
  'Kowalski',
  'Ivanov',
  'Mensah',
  'Yamamoto',
  'Rivera',
  'Thompson',
  'Le',
  'Shah',
  'Perez',
  'Harris',
  'Cohen',
  'Haddad',
  'Adeyemi',
  'Park',
  'Ramirez',
  'Walker',
  'Tran',
  'Gupta',
  'Flores',
  'Robinson',
  'Murphy',
  'Rossi',
  'Nakamura',
  'Torres',
  'Lewis',
  'Pham',
  'Reddy',
  'Osei',
  'Sanchez',
  'Young',
  'Schmidt',
  'Novak',
  'Abdullah',
  'Morales',
  'King',
  'Choi',
  'Iyer',
  'Eze',
  'Castillo',
  'Scott',
  'Olsen',
  'Dubois',
  'Hussein',
  'Ortiz',
  'Green',
  'Huang',
  'Mehta',
  'Boateng',
  'Reyes',
  'Baker',
  'Kelly',
  'Romano',
  'Sato',
  'Cruz',
  'Hall',
  'Liu',
  'Chaudhry',
  'Begay',
] as const;

export interface CityDef {
  city: string;
  state: string;
  zips: readonly string[];
  areaCode: string;
}

export const CITIES: readonly CityDef[] = [
  { city: 'Springfield', state: 'IL', zips: ['62701', '62702', '62704'], areaCode: '217' },
  { city: 'Boston', state: 'MA', zips: ['02108', '02115', '02130'], areaCode: '617' },
  { city: 'Houston', state: 'TX', zips: ['77002', '77006', '77019'], areaCode: '713' },
  { city: 'San Antonio', state: 'TX', zips: ['78205', '78207', '78212'], areaCode: '210' },
  { city: 'Phoenix', state: 'AZ', zips: ['85004', '85008', '85016'], areaCode: '602' },
  { city: 'Seattle', state: 'WA', zips: ['98101', '98103', '98122'], areaCode: '206' },
  { city: 'Atlanta', state: 'GA', zips: ['30303', '30308', '30314'], areaCode: '404' },
  { city: 'Chicago', state: 'IL', zips: ['60601', '60614', '60623'], areaCode: '312' },
  { city: 'Denver', state: 'CO', zips: ['80202', '80205', '80219'], areaCode: '303' },
  { city: 'Minneapolis', state: 'MN', zips: ['55401', '55405', '55407'], areaCode: '612' },
  { city: 'Miami', state: 'FL', zips: ['33125', '33130', '33137'], areaCode: '305' },
  { city: 'Oakland', state: 'CA', zips: ['94607', '94610', '94612'], areaCode: '510' },
  { city: 'Albuquerque', state: 'NM', zips: ['87102', '87106', '87110'], areaCode: '505' },
  { city: 'Nashville', state: 'TN', zips: ['37203', '37206', '37208'], areaCode: '615' },
  { city: 'Columbus', state: 'OH', zips: ['43201', '43205', '43215'], areaCode: '614' },
  { city: 'Baltimore', state: 'MD', zips: ['21201', '21218', '21224'], areaCode: '410' },
];

export const STREET_NAMES = [
  'Oak',
  'Maple',
  'Cedar',
  'Pine',
  'Elm',
  'Washington',
  'Lincoln',
  'Park',
  'Lake',
  'Hill',
  'Main',
  'Church',
  'River',
  'Sunset',
  'Highland',
  'Jefferson',
  'Franklin',
  'Madison',
  'Walnut',
  'Willow',
] as const;
export const STREET_SUFFIXES = ['St', 'Ave', 'Blvd', 'Dr', 'Ln', 'Rd', 'Ct', 'Way'] as const;

// ---------------------------------------------------------------------------
// Conditions (SNOMED CT + ICD-10-CM on the same Condition.code)
// ---------------------------------------------------------------------------

export interface ConditionDef {
  key: string;
  text: string;
  snomed: CodingDef;
  icd10: CodingDef;
  chronic: boolean;
}

function cond(
  key: string,
  text: string,
  sct: string,
  sctDisplay: string,
  icd: string,
  icdDisplay: string,
  chronic = true,
): ConditionDef {
  return {
    key,
    text,
    snomed: { system: SYS.SNOMED, code: sct, display: sctDisplay },
    icd10: { system: SYS.ICD10CM, code: icd, display: icdDisplay },
    chronic,
  };
}

export const CONDITIONS = {
  hypertension: cond(
    'hypertension',
    'Hypertension',
    '38341003',
    'Hypertensive disorder, systemic arterial (disorder)',
    'I10',
    'Essential (primary) hypertension',
  ),
  diabetes2: cond(
    'diabetes2',
    'Type 2 diabetes mellitus',
    '44054006',
    'Diabetes mellitus type 2 (disorder)',
    'E11.9',
    'Type 2 diabetes mellitus without complications',
  ),
  hyperlipidemia: cond(
    'hyperlipidemia',
    'Hyperlipidemia',
    '55822004',
    'Hyperlipidemia (disorder)',
    'E78.5',
    'Hyperlipidemia, unspecified',
  ),
  afib: cond(
    'afib',
    'Atrial fibrillation',
    '49436004',
    'Atrial fibrillation (disorder)',
    'I48.91',
    'Unspecified atrial fibrillation',
  ),
  ckd3: cond(
    'ckd3',
    'Chronic kidney disease stage 3',
    '433144002',
    'Chronic kidney disease stage 3 (disorder)',
    'N18.30',
    'Chronic kidney disease, stage 3 unspecified',
  ),
  asthma: cond('asthma', 'Asthma', '195967001', 'Asthma (disorder)', 'J45.909', 'Unspecified asthma, uncomplicated'),
  depression: cond(
    'depression',
    'Depression',
    '35489007',
    'Depressive disorder (disorder)',
    'F32.9',
    'Major depressive disorder, single episode, unspecified',
  ),
  migraine: cond(
    'migraine',
    'Migraine',
    '37796009',
    'Migraine (disorder)',
    'G43.909',
    'Migraine, unspecified, not intractable, without status migrainosus',
  ),
  gerd: cond(
    'gerd',
    'Gastroesophageal reflux disease',
    '235595009',
    'Gastroesophageal reflux disease (disorder)',
    'K21.9',
    'Gastro-esophageal reflux disease without esophagitis',
  ),
  hypothyroidism: cond(
    'hypothyroidism',
    'Hypothyroidism',
    '40930008',
    'Hypothyroidism (disorder)',
    'E03.9',
    'Hypothyroidism, unspecified',
  ),
  osteoarthritis: cond(
    'osteoarthritis',
    'Osteoarthritis',
    '396275006',
    'Osteoarthritis (disorder)',
    'M19.90',
    'Unspecified osteoarthritis, unspecified site',
  ),
  copd: cond(
    'copd',
    'COPD',
    '13645005',
    'Chronic obstructive lung disease (disorder)',
    'J44.9',
    'Chronic obstructive pulmonary disease, unspecified',
  ),
  heartFailure: cond(
    'heartFailure',
    'Heart failure',
    '84114007',
    'Heart failure (disorder)',
    'I50.9',
    'Heart failure, unspecified',
  ),
  anxiety: cond(
    'anxiety',
    'Anxiety disorder',
    '197480006',
    'Anxiety disorder (disorder)',
    'F41.9',
    'Anxiety disorder, unspecified',
  ),
  rheumatoidArthritis: cond(
    'rheumatoidArthritis',
    'Rheumatoid arthritis',
    '69896004',
    'Rheumatoid arthritis (disorder)',
    'M06.9',
    'Rheumatoid arthritis, unspecified',
  ),
  cad: cond(
    'cad',
    'Coronary artery disease',
    '53741008',
    'Coronary arteriosclerosis (disorder)',
    'I25.10',
    'Atherosclerotic heart disease of native coronary artery without angina pectoris',
  ),
  oldMi: cond(
    'oldMi',
    'History of myocardial infarction',
    '22298006',
    'Myocardial infarction (disorder)',
    'I25.2',
    'Old myocardial infarction',
  ),
  erectileDysfunction: cond(
    'erectileDysfunction',
    'Erectile dysfunction',
    '860914002',
    'Erectile dysfunction (disorder)',
    'N52.9',
    'Male erectile dysfunction, unspecified',
  ),
  chronicPain: cond(
    'chronicPain',
    'Chronic low back pain',
    '279039007',
    'Low back pain (finding)',
    'M54.50',
    'Low back pain, unspecified',
  ),
  uti: cond(
    'uti',
    'Urinary tract infection',
    '68566005',
    'Urinary tract infectious disease (disorder)',
    'N39.0',
    'Urinary tract infection, site not specified',
    false,
  ),
  pneumonia: cond(
    'pneumonia',
    'Community acquired pneumonia',
    '385093006',
    'Community acquired pneumonia (disorder)',
    'J18.9',
    'Pneumonia, unspecified organism',
    false,
  ),
} as const satisfies Record<string, ConditionDef>;

export type ConditionKey = keyof typeof CONDITIONS;

// ---------------------------------------------------------------------------
// Medications (RxNorm SCD) with structured sig defaults
// ---------------------------------------------------------------------------

export type DoseForm = 'TAB' | 'CAP' | 'PUFF' | 'INHCAP' | 'SLTAB';
export type RouteKey = 'oral' | 'inhalation' | 'sublingual';

export const ROUTES: Record<RouteKey, CodingDef> = {
  oral: { system: SYS.SNOMED, code: '26643006', display: 'Oral route (qualifier value)' },
  inhalation: { system: SYS.SNOMED, code: '447694001', display: 'Respiratory tract route (qualifier value)' },
  sublingual: { system: SYS.SNOMED, code: '37839007', display: 'Sublingual route (qualifier value)' },
};

export interface SigDef {
  /** Amount per administration, in `form` units. */
  dose: number;
  /** Administrations per period. */
  frequency: number;
  period: number;
  periodUnit: 'min' | 'h' | 'd' | 'wk';
  /** v3-GTSAbbreviation code where one fits (QD, BID, TID, QHS ...). */
  timingCode?: string;
  timingDisplay?: string;
  asNeeded?: boolean;
  text: string;
}

export interface MedicationDef {
  key: string;
  rxcui: string;
  /** Exact RxNorm SCD name (STR of the SCD atom). */
  display: string;
  /** Ingredient names (lower case) — used to keep allergies and drugs consistent. */
  ingredients: readonly string[];
  /** Drug classes used for allergy cross-checks (e.g. 'nsaid', 'sulfonamide', 'opioid'). */
  classes: readonly string[];
  form: DoseForm;
  route: RouteKey;
  sig: SigDef;
  /** Days supplied per fill and refills allowed. */
  supplyDays: number;
  repeats: number;
  /** Quantity per fill; computed from the sig when omitted. */
  quantity?: number;
  /** Short course (antibiotics): validity limited to the course. */
  acute?: boolean;
}

const QD = { frequency: 1, period: 1, periodUnit: 'd', timingCode: 'QD', timingDisplay: 'QD' } as const;
const BID = { frequency: 2, period: 1, periodUnit: 'd', timingCode: 'BID', timingDisplay: 'BID' } as const;
const TID = { frequency: 3, period: 1, periodUnit: 'd', timingCode: 'TID', timingDisplay: 'TID' } as const;
const QHS = { frequency: 1, period: 1, periodUnit: 'd', timingCode: 'QHS', timingDisplay: 'QHS' } as const;

function med(
  key: string,
  rxcui: string,
  display: string,
  ingredients: readonly string[],
  classes: readonly string[],
  form: DoseForm,
  route: RouteKey,
  sig: SigDef,
  supplyDays = 90,
  repeats = 3,
  extra: Partial<MedicationDef> = {},
): MedicationDef {
  return { key, rxcui, display, ingredients, classes, form, route, sig, supplyDays, repeats, ...extra };
}

export const MEDICATIONS = {
  // anticoagulants / antiplatelets
  warfarin5: med(
    'warfarin5',
    '855332',
    'warfarin sodium 5 MG Oral Tablet',
    ['warfarin'],
    ['anticoagulant', 'vitamin-k-antagonist'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet (5 mg) by mouth once daily in the evening. Dose adjusted to INR.' },
    30,
    2,
  ),
  rivaroxaban20: med(
    'rivaroxaban20',
    '1232086',
    'rivaroxaban 20 MG Oral Tablet',
    ['rivaroxaban'],
    ['anticoagulant', 'doac'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily with the evening meal.' },
  ),
  clopidogrel75: med(
    'clopidogrel75',
    '309362',
    'clopidogrel 75 MG Oral Tablet',
    ['clopidogrel'],
    ['antiplatelet'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  // NSAIDs / analgesics
  ibuprofen600: med(
    'ibuprofen600',
    '197806',
    'ibuprofen 600 MG Oral Tablet',
    ['ibuprofen'],
    ['nsaid'],
    'TAB',
    'oral',
    { dose: 1, ...TID, text: 'Take 1 tablet by mouth three times daily with food.' },
    30,
    1,
  ),
  naproxen500: med(
    'naproxen500',
    '198014',
    'naproxen 500 MG Oral Tablet',
    ['naproxen'],
    ['nsaid'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily with food.' },
    30,
    2,
  ),
  meloxicam15: med('meloxicam15', '152695', 'meloxicam 15 MG Oral Tablet', ['meloxicam'], ['nsaid'], 'TAB', 'oral', {
    dose: 1,
    ...QD,
    text: 'Take 1 tablet by mouth once daily with food.',
  }),
  tramadol50: med(
    'tramadol50',
    '835603',
    'tramadol hydrochloride 50 MG Oral Tablet',
    ['tramadol'],
    ['opioid', 'serotonergic'],
    'TAB',
    'oral',
    {
      dose: 1,
      frequency: 1,
      period: 6,
      periodUnit: 'h',
      asNeeded: true,
      text: 'Take 1 tablet by mouth every 6 hours as needed for pain. Max 4 tablets per day.',
    },
    30,
    0,
    { quantity: 60 },
  ),
  gabapentin300: med(
    'gabapentin300',
    '310431',
    'gabapentin 300 MG Oral Capsule',
    ['gabapentin'],
    ['gabapentinoid'],
    'CAP',
    'oral',
    { dose: 1, ...TID, text: 'Take 1 capsule by mouth three times daily.' },
  ),
  cyclobenzaprine10: med(
    'cyclobenzaprine10',
    '828348',
    'cyclobenzaprine hydrochloride 10 MG Oral Tablet',
    ['cyclobenzaprine'],
    ['muscle-relaxant'],
    'TAB',
    'oral',
    { dose: 1, ...QHS, text: 'Take 1 tablet by mouth at bedtime as needed for muscle spasm.' },
    30,
    1,
  ),
  // cardiovascular
  lisinopril10: med(
    'lisinopril10',
    '314076',
    'lisinopril 10 MG Oral Tablet',
    ['lisinopril'],
    ['ace-inhibitor'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  lisinopril20: med(
    'lisinopril20',
    '314077',
    'lisinopril 20 MG Oral Tablet',
    ['lisinopril'],
    ['ace-inhibitor'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  losartan50: med(
    'losartan50',
    '979492',
    'losartan potassium 50 MG Oral Tablet',
    ['losartan'],
    ['arb'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  hctz25: med(
    'hctz25',
    '310798',
    'hydrochlorothiazide 25 MG Oral Tablet',
    ['hydrochlorothiazide'],
    ['thiazide', 'sulfonamide-nonantibiotic'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily in the morning.' },
  ),
  spironolactone25: med(
    'spironolactone25',
    '313096',
    'spironolactone 25 MG Oral Tablet',
    ['spironolactone'],
    ['potassium-sparing-diuretic'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  furosemide40: med(
    'furosemide40',
    '313988',
    'furosemide 40 MG Oral Tablet',
    ['furosemide'],
    ['loop-diuretic', 'sulfonamide-nonantibiotic'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily in the morning.' },
  ),
  metoprololSucc50: med(
    'metoprololSucc50',
    '866436',
    '24 HR metoprolol succinate 50 MG Extended Release Oral Tablet',
    ['metoprolol'],
    ['beta-blocker'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily. Do not crush.' },
  ),
  carvedilol12: med(
    'carvedilol12',
    '200032',
    'carvedilol 12.5 MG Oral Tablet',
    ['carvedilol'],
    ['beta-blocker'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily with food.' },
  ),
  diltiazemEr120: med(
    'diltiazemEr120',
    '830874',
    '24 HR diltiazem hydrochloride 120 MG Extended Release Oral Tablet',
    ['diltiazem'],
    ['calcium-channel-blocker'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily. Do not crush.' },
  ),
  isosorbideMn30: med(
    'isosorbideMn30',
    '317110',
    '24 HR isosorbide mononitrate 30 MG Extended Release Oral Tablet',
    ['isosorbide mononitrate'],
    ['nitrate'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily in the morning.' },
  ),
  nitroglycerinSl: med(
    'nitroglycerinSl',
    '198039',
    'nitroglycerin 0.4 MG Sublingual Tablet',
    ['nitroglycerin'],
    ['nitrate'],
    'SLTAB',
    'sublingual',
    {
      dose: 1,
      frequency: 1,
      period: 5,
      periodUnit: 'min',
      asNeeded: true,
      text: 'Dissolve 1 tablet under the tongue every 5 minutes as needed for chest pain, up to 3 doses.',
    },
    30,
    1,
    { quantity: 25 },
  ),
  // lipids
  simvastatin20: med(
    'simvastatin20',
    '312961',
    'simvastatin 20 MG Oral Tablet',
    ['simvastatin'],
    ['statin'],
    'TAB',
    'oral',
    { dose: 1, ...QHS, text: 'Take 1 tablet by mouth at bedtime.' },
  ),
  simvastatin40: med(
    'simvastatin40',
    '198211',
    'simvastatin 40 MG Oral Tablet',
    ['simvastatin'],
    ['statin'],
    'TAB',
    'oral',
    { dose: 1, ...QHS, text: 'Take 1 tablet by mouth at bedtime.' },
  ),
  rosuvastatin20: med(
    'rosuvastatin20',
    '859751',
    'rosuvastatin calcium 20 MG Oral Tablet',
    ['rosuvastatin'],
    ['statin'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  pravastatin40: med(
    'pravastatin40',
    '904475',
    'pravastatin sodium 40 MG Oral Tablet',
    ['pravastatin'],
    ['statin'],
    'TAB',
    'oral',
    { dose: 1, ...QHS, text: 'Take 1 tablet by mouth at bedtime.' },
  ),
  ezetimibe10: med(
    'ezetimibe10',
    '349556',
    'ezetimibe 10 MG Oral Tablet',
    ['ezetimibe'],
    ['lipid-lowering'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  // diabetes
  metformin500: med(
    'metformin500',
    '861007',
    'metformin hydrochloride 500 MG Oral Tablet',
    ['metformin'],
    ['biguanide'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily with meals.' },
  ),
  metformin1000: med(
    'metformin1000',
    '861004',
    'metformin hydrochloride 1000 MG Oral Tablet',
    ['metformin'],
    ['biguanide'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily with meals.' },
  ),
  glipizide5: med(
    'glipizide5',
    '310490',
    'glipizide 5 MG Oral Tablet',
    ['glipizide'],
    ['sulfonylurea'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily 30 minutes before breakfast.' },
  ),
  empagliflozin10: med(
    'empagliflozin10',
    '1545658',
    'empagliflozin 10 MG Oral Tablet',
    ['empagliflozin'],
    ['sglt2-inhibitor'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily in the morning.' },
  ),
  sitagliptin100: med(
    'sitagliptin100',
    '665033',
    'sitagliptin 100 MG Oral Tablet',
    ['sitagliptin'],
    ['dpp4-inhibitor'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  // psychiatric
  sertraline50: med(
    'sertraline50',
    '312941',
    'sertraline 50 MG Oral Tablet',
    ['sertraline'],
    ['ssri', 'serotonergic'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  escitalopram10: med(
    'escitalopram10',
    '349332',
    'escitalopram 10 MG Oral Tablet',
    ['escitalopram'],
    ['ssri', 'serotonergic'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily.' },
  ),
  fluoxetine20: med(
    'fluoxetine20',
    '310385',
    'fluoxetine 20 MG Oral Capsule',
    ['fluoxetine'],
    ['ssri', 'serotonergic'],
    'CAP',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 capsule by mouth once daily in the morning.' },
  ),
  bupropionXl150: med(
    'bupropionXl150',
    '993541',
    '24 HR bupropion hydrochloride 150 MG Extended Release Oral Tablet',
    ['bupropion'],
    ['antidepressant'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily in the morning.' },
  ),
  buspirone10: med(
    'buspirone10',
    '866083',
    'buspirone hydrochloride 10 MG Oral Tablet',
    ['buspirone'],
    ['anxiolytic'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily.' },
  ),
  trazodone50: med(
    'trazodone50',
    '856377',
    'trazodone hydrochloride 50 MG Oral Tablet',
    ['trazodone'],
    ['serotonergic'],
    'TAB',
    'oral',
    { dose: 1, ...QHS, text: 'Take 1 tablet by mouth at bedtime as needed for sleep.' },
  ),
  // GI
  omeprazole20: med(
    'omeprazole20',
    '198051',
    'omeprazole 20 MG Delayed Release Oral Capsule',
    ['omeprazole'],
    ['ppi'],
    'CAP',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 capsule by mouth once daily 30 minutes before breakfast.' },
  ),
  pantoprazole40: med(
    'pantoprazole40',
    '314200',
    'pantoprazole 40 MG Delayed Release Oral Tablet',
    ['pantoprazole'],
    ['ppi'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily before breakfast.' },
  ),
  famotidine20: med(
    'famotidine20',
    '310273',
    'famotidine 20 MG Oral Tablet',
    ['famotidine'],
    ['h2-blocker'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily.' },
  ),
  // endocrine
  levothyroxine50: med(
    'levothyroxine50',
    '966221',
    'levothyroxine sodium 0.05 MG Oral Tablet',
    ['levothyroxine'],
    ['thyroid'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily on an empty stomach.' },
  ),
  levothyroxine75: med(
    'levothyroxine75',
    '966222',
    'levothyroxine sodium 0.075 MG Oral Tablet',
    ['levothyroxine'],
    ['thyroid'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily on an empty stomach.' },
  ),
  levothyroxine100: med(
    'levothyroxine100',
    '892246',
    'levothyroxine sodium 0.1 MG Oral Tablet',
    ['levothyroxine'],
    ['thyroid'],
    'TAB',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 tablet by mouth once daily on an empty stomach.' },
  ),
  // respiratory
  fluticasoneMdi110: med(
    'fluticasoneMdi110',
    '895999',
    '120 ACTUAT fluticasone propionate 0.11 MG/ACTUAT Metered Dose Inhaler',
    ['fluticasone'],
    ['inhaled-corticosteroid'],
    'PUFF',
    'inhalation',
    { dose: 2, ...BID, text: 'Inhale 2 puffs by mouth twice daily. Rinse mouth after use.' },
    30,
    5,
    { quantity: 1 },
  ),
  levalbuterolMdi: med(
    'levalbuterolMdi',
    '745791',
    '200 ACTUAT levalbuterol 0.045 MG/ACTUAT Metered Dose Inhaler',
    ['levalbuterol'],
    ['saba'],
    'PUFF',
    'inhalation',
    {
      dose: 2,
      frequency: 1,
      period: 4,
      periodUnit: 'h',
      asNeeded: true,
      text: 'Inhale 2 puffs by mouth every 4 to 6 hours as needed for wheezing or shortness of breath.',
    },
    30,
    2,
    { quantity: 1 },
  ),
  budesonideFormoterol: med(
    'budesonideFormoterol',
    '1246304',
    '120 ACTUAT budesonide 0.16 MG/ACTUAT / formoterol fumarate 0.0045 MG/ACTUAT Metered Dose Inhaler',
    ['budesonide', 'formoterol'],
    ['inhaled-corticosteroid', 'laba'],
    'PUFF',
    'inhalation',
    { dose: 2, ...BID, text: 'Inhale 2 puffs by mouth twice daily. Rinse mouth after use.' },
    30,
    5,
    { quantity: 1 },
  ),
  tiotropium18: med(
    'tiotropium18',
    '485032',
    'tiotropium 0.018 MG Inhalation Powder',
    ['tiotropium'],
    ['lama'],
    'INHCAP',
    'inhalation',
    { dose: 1, ...QD, text: 'Inhale the contents of 1 capsule once daily using the inhalation device.' },
  ),
  montelukast10: med(
    'montelukast10',
    '200224',
    'montelukast 10 MG Oral Tablet',
    ['montelukast'],
    ['leukotriene-antagonist'],
    'TAB',
    'oral',
    { dose: 1, ...QHS, text: 'Take 1 tablet by mouth once daily in the evening.' },
  ),
  // neuro
  sumatriptan50: med(
    'sumatriptan50',
    '313161',
    'sumatriptan 50 MG Oral Tablet',
    ['sumatriptan'],
    ['triptan', 'serotonergic'],
    'TAB',
    'oral',
    {
      dose: 1,
      frequency: 1,
      period: 2,
      periodUnit: 'h',
      asNeeded: true,
      text: 'Take 1 tablet by mouth at migraine onset; may repeat once after 2 hours. Max 200 mg per day.',
    },
    30,
    2,
    { quantity: 9 },
  ),
  topiramate25: med(
    'topiramate25',
    '199888',
    'topiramate 25 MG Oral Tablet',
    ['topiramate'],
    ['anticonvulsant'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily.' },
  ),
  propranolol20: med(
    'propranolol20',
    '856457',
    'propranolol hydrochloride 20 MG Oral Tablet',
    ['propranolol'],
    ['beta-blocker'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily.' },
  ),
  // rheum
  methotrexate25: med(
    'methotrexate25',
    '105585',
    'methotrexate 2.5 MG Oral Tablet',
    ['methotrexate'],
    ['antimetabolite', 'dmard'],
    'TAB',
    'oral',
    {
      dose: 6,
      frequency: 1,
      period: 1,
      periodUnit: 'wk',
      text: 'Take 6 tablets (15 mg) by mouth ONCE WEEKLY on the same day each week.',
    },
    28,
    2,
    { quantity: 24 },
  ),
  folicAcid1: med('folicAcid1', '310410', 'folic acid 1 MG Oral Tablet', ['folic acid'], ['vitamin'], 'TAB', 'oral', {
    dose: 1,
    ...QD,
    text: 'Take 1 tablet by mouth once daily.',
  }),
  hydroxychloroquine200: med(
    'hydroxychloroquine200',
    '979092',
    'hydroxychloroquine sulfate 200 MG Oral Tablet',
    ['hydroxychloroquine'],
    ['dmard'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily with food.' },
  ),
  // urology
  sildenafil50: med(
    'sildenafil50',
    '312950',
    'sildenafil 50 MG Oral Tablet',
    ['sildenafil'],
    ['pde5-inhibitor'],
    'TAB',
    'oral',
    {
      dose: 1,
      frequency: 1,
      period: 1,
      periodUnit: 'd',
      asNeeded: true,
      text: 'Take 1 tablet by mouth about 1 hour before sexual activity. No more than once daily.',
    },
    30,
    3,
    { quantity: 10 },
  ),
  tamsulosin04: med(
    'tamsulosin04',
    '863669',
    'tamsulosin hydrochloride 0.4 MG Oral Capsule',
    ['tamsulosin'],
    ['alpha-blocker'],
    'CAP',
    'oral',
    { dose: 1, ...QD, text: 'Take 1 capsule by mouth once daily 30 minutes after the same meal.' },
  ),
  // anti-infectives (short courses)
  clarithromycin500: med(
    'clarithromycin500',
    '197517',
    'clarithromycin 500 MG Oral Tablet',
    ['clarithromycin'],
    ['macrolide', 'cyp3a4-inhibitor'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth every 12 hours for 7 days.' },
    7,
    0,
    { quantity: 14, acute: true },
  ),
  smxTmpDs: med(
    'smxTmpDs',
    '198335',
    'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet',
    ['sulfamethoxazole', 'trimethoprim'],
    ['sulfonamide', 'antifolate'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth every 12 hours for 3 days.' },
    3,
    0,
    { quantity: 6, acute: true },
  ),
  nitrofurantoin100: med(
    'nitrofurantoin100',
    '1648759',
    'nitrofurantoin, macrocrystals 100 MG Oral Capsule',
    ['nitrofurantoin'],
    ['antibiotic'],
    'CAP',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 capsule by mouth twice daily with food for 5 days.' },
    5,
    0,
    { quantity: 10, acute: true },
  ),
  cephalexin500: med(
    'cephalexin500',
    '309114',
    'cephalexin 500 MG Oral Capsule',
    ['cephalexin'],
    ['cephalosporin'],
    'CAP',
    'oral',
    {
      dose: 1,
      frequency: 4,
      period: 1,
      periodUnit: 'd',
      timingCode: 'QID',
      timingDisplay: 'QID',
      text: 'Take 1 capsule by mouth four times daily for 7 days.',
    },
    7,
    0,
    { quantity: 28, acute: true },
  ),
  doxycycline100: med(
    'doxycycline100',
    '1650143',
    'doxycycline hyclate 100 MG Oral Tablet',
    ['doxycycline'],
    ['tetracycline'],
    'TAB',
    'oral',
    { dose: 1, ...BID, text: 'Take 1 tablet by mouth twice daily with a full glass of water for 7 days.' },
    7,
    0,
    { quantity: 14, acute: true },
  ),
} as const satisfies Record<string, MedicationDef>;

export type MedicationKey = keyof typeof MEDICATIONS;

/** The RxNorm SCD codes the generator may emit (used by tests). */
export const ALLOWED_RXNORM: ReadonlyMap<string, string> = new Map(
  Object.values(MEDICATIONS).map((m) => [m.rxcui, m.display] as const),
);

/**
 * Interacting pairs the generator deliberately creates for some patients.
 * Severity is informational (for docs / tests), not emitted into FHIR.
 */
export interface InteractionScenario {
  key: string;
  description: string;
  meds: readonly [MedicationKey, MedicationKey];
  conditions: readonly ConditionKey[];
  /** Which condition each med treats (index-aligned with meds). */
  reasons: readonly [ConditionKey, ConditionKey];
  /** Extra background meds (reason = first condition). */
  background?: ReadonlyArray<readonly [MedicationKey, ConditionKey]>;
  sex?: 'male' | 'female';
  minAge?: number;
}

export const INTERACTION_SCENARIOS: readonly InteractionScenario[] = [
  {
    key: 'warfarin-nsaid',
    description: 'warfarin + naproxen: additive bleeding risk',
    meds: ['warfarin5', 'naproxen500'],
    conditions: ['afib', 'osteoarthritis', 'hypertension'],
    reasons: ['afib', 'osteoarthritis'],
    background: [['metoprololSucc50', 'afib']],
    minAge: 60,
  },
  {
    key: 'simvastatin-clarithromycin',
    description: 'simvastatin 40 mg + clarithromycin: CYP3A4 inhibition, myopathy/rhabdomyolysis',
    meds: ['simvastatin40', 'clarithromycin500'],
    conditions: ['hyperlipidemia', 'pneumonia'],
    reasons: ['hyperlipidemia', 'pneumonia'],
    minAge: 45,
  },
  {
    key: 'lisinopril-spironolactone',
    description: 'lisinopril + spironolactone: hyperkalemia',
    meds: ['lisinopril20', 'spironolactone25'],
    conditions: ['hypertension', 'heartFailure'],
    reasons: ['hypertension', 'heartFailure'],
    background: [
      ['carvedilol12', 'heartFailure'],
      ['furosemide40', 'heartFailure'],
    ],
    minAge: 55,
  },
  {
    key: 'sertraline-tramadol',
    description: 'sertraline + tramadol: serotonin syndrome, lowered seizure threshold',
    meds: ['sertraline50', 'tramadol50'],
    conditions: ['depression', 'chronicPain'],
    reasons: ['depression', 'chronicPain'],
    minAge: 30,
  },
  {
    key: 'clopidogrel-omeprazole',
    description: 'clopidogrel + omeprazole: CYP2C19 inhibition reduces clopidogrel activation',
    meds: ['clopidogrel75', 'omeprazole20'],
    conditions: ['cad', 'gerd', 'hyperlipidemia'],
    reasons: ['cad', 'gerd'],
    background: [['rosuvastatin20', 'hyperlipidemia']],
    minAge: 50,
  },
  {
    key: 'sildenafil-nitrate',
    description: 'sildenafil + isosorbide mononitrate: severe hypotension (contraindicated)',
    meds: ['sildenafil50', 'isosorbideMn30'],
    conditions: ['erectileDysfunction', 'oldMi', 'cad'],
    reasons: ['erectileDysfunction', 'oldMi'],
    background: [
      ['clopidogrel75', 'oldMi'],
      ['metoprololSucc50', 'oldMi'],
      ['rosuvastatin20', 'cad'],
    ],
    sex: 'male',
    minAge: 50,
  },
  {
    key: 'methotrexate-smx-tmp',
    description: 'methotrexate + sulfamethoxazole/trimethoprim: bone-marrow suppression',
    meds: ['methotrexate25', 'smxTmpDs'],
    conditions: ['rheumatoidArthritis', 'uti'],
    reasons: ['rheumatoidArthritis', 'uti'],
    background: [['folicAcid1', 'rheumatoidArthritis']],
    minAge: 35,
  },
];

// ---------------------------------------------------------------------------
// Allergies
// ---------------------------------------------------------------------------

export interface AllergyDef {
  key: string;
  text: string;
  codings: readonly CodingDef[];
  category: 'medication' | 'food' | 'environment';
  type: 'allergy' | 'intolerance';
  /** Drug classes / ingredients this allergy conflicts with (never prescribed together). */
  conflicts: readonly string[];
  reactions: readonly CodingDef[];
}

export const REACTIONS = {
  anaphylaxis: { system: SYS.SNOMED, code: '39579001', display: 'Anaphylaxis (disorder)' },
  urticaria: { system: SYS.SNOMED, code: '126485001', display: 'Urticaria (disorder)' },
  rash: { system: SYS.SNOMED, code: '271807003', display: 'Eruption of skin (disorder)' },
  angioedema: { system: SYS.SNOMED, code: '41291007', display: 'Angioedema (disorder)' },
  dyspnea: { system: SYS.SNOMED, code: '267036007', display: 'Dyspnea (finding)' },
  nausea: { system: SYS.SNOMED, code: '422587007', display: 'Nausea (finding)' },
  itching: { system: SYS.SNOMED, code: '418290006', display: 'Itching (finding)' },
  sneezing: { system: SYS.SNOMED, code: '76067001', display: 'Sneezing (finding)' },
  wheal: { system: SYS.SNOMED, code: '247472004', display: 'Wheal (finding)' },
} as const satisfies Record<string, CodingDef>;

export const ALLERGIES = {
  penicillin: {
    key: 'penicillin',
    text: 'Penicillin',
    codings: [
      { system: SYS.SNOMED, code: '764146007', display: 'Penicillin (substance)' },
      { system: SYS.RXNORM, code: '70618', display: 'penicillin' },
    ],
    category: 'medication',
    type: 'allergy',
    conflicts: ['penicillin', 'cephalosporin'],
    reactions: [REACTIONS.urticaria, REACTIONS.anaphylaxis, REACTIONS.rash],
  },
  sulfonamide: {
    key: 'sulfonamide',
    text: 'Sulfonamide antibiotics',
    codings: [{ system: SYS.SNOMED, code: '387406002', display: 'Sulfonamide (substance)' }],
    category: 'medication',
    type: 'allergy',
    conflicts: ['sulfonamide'],
    reactions: [REACTIONS.rash, REACTIONS.urticaria],
  },
  nsaid: {
    key: 'nsaid',
    text: 'NSAIDs (non-steroidal anti-inflammatory drugs)',
    codings: [{ system: SYS.SNOMED, code: '372665008', display: 'Non-steroidal anti-inflammatory agent (substance)' }],
    category: 'medication',
    type: 'allergy',
    conflicts: ['nsaid', 'aspirin'],
    reactions: [REACTIONS.angioedema, REACTIONS.urticaria, REACTIONS.dyspnea],
  },
  aspirin: {
    key: 'aspirin',
    text: 'Aspirin',
    codings: [
      { system: SYS.RXNORM, code: '1191', display: 'aspirin' },
      { system: SYS.SNOMED, code: '387458008', display: 'Aspirin (substance)' },
    ],
    category: 'medication',
    type: 'allergy',
    conflicts: ['aspirin', 'nsaid'],
    reactions: [REACTIONS.urticaria, REACTIONS.dyspnea],
  },
  codeine: {
    key: 'codeine',
    text: 'Codeine',
    codings: [
      { system: SYS.RXNORM, code: '2670', display: 'codeine' },
      { system: SYS.SNOMED, code: '387494007', display: 'Codeine (substance)' },
    ],
    category: 'medication',
    type: 'intolerance',
    conflicts: ['opioid'],
    reactions: [REACTIONS.nausea, REACTIONS.itching],
  },
  morphine: {
    key: 'morphine',
    text: 'Morphine',
    codings: [
      { system: SYS.RXNORM, code: '7052', display: 'morphine' },
      { system: SYS.SNOMED, code: '373529000', display: 'Morphine (substance)' },
    ],
    category: 'medication',
    type: 'intolerance',
    conflicts: ['opioid'],
    reactions: [REACTIONS.itching, REACTIONS.nausea],
  },
  peanut: {
    key: 'peanut',
    text: 'Peanut',
    codings: [
      { system: SYS.SNOMED, code: '256349002', display: 'Peanut - dietary (substance)' },
      { system: SYS.SNOMED, code: '762952008', display: 'Peanut (substance)' },
    ],
    category: 'food',
    type: 'allergy',
    conflicts: [],
    reactions: [REACTIONS.anaphylaxis, REACTIONS.angioedema, REACTIONS.urticaria],
  },
  shellfish: {
    key: 'shellfish',
    text: 'Shellfish',
    codings: [{ system: SYS.SNOMED, code: '735029006', display: 'Shellfish (substance)' }],
    category: 'food',
    type: 'allergy',
    conflicts: [],
    reactions: [REACTIONS.urticaria, REACTIONS.anaphylaxis],
  },
  latex: {
    key: 'latex',
    text: 'Latex',
    codings: [{ system: SYS.SNOMED, code: '111088007', display: 'Latex (substance)' }],
    category: 'environment',
    type: 'allergy',
    conflicts: [],
    reactions: [REACTIONS.wheal, REACTIONS.itching, REACTIONS.urticaria],
  },
  dustMite: {
    key: 'dustMite',
    text: 'House dust mite',
    codings: [{ system: SYS.SNOMED, code: '260147004', display: 'House dust mite (organism)' }],
    category: 'environment',
    type: 'allergy',
    conflicts: [],
    reactions: [REACTIONS.sneezing, REACTIONS.itching],
  },
  grassPollen: {
    key: 'grassPollen',
    text: 'Grass pollen',
    codings: [{ system: SYS.SNOMED, code: '256277009', display: 'Grass pollen (substance)' }],
    category: 'environment',
    type: 'allergy',
    conflicts: [],
    reactions: [REACTIONS.sneezing, REACTIONS.itching],
  },
  animalDander: {
    key: 'animalDander',
    text: 'Animal dander',
    codings: [{ system: SYS.SNOMED, code: '264287008', display: 'Animal dander (substance)' }],
    category: 'environment',
    type: 'allergy',
    conflicts: [],
    reactions: [REACTIONS.sneezing, REACTIONS.dyspnea],
  },
} as const satisfies Record<string, AllergyDef>;

export type AllergyKey = keyof typeof ALLERGIES;

export const ALLERGY_WEIGHTS: ReadonlyArray<readonly [AllergyKey, number]> = [
  ['penicillin', 10],
  ['sulfonamide', 6],
  ['codeine', 4],
  ['nsaid', 3],
  ['aspirin', 2],
  ['morphine', 2],
  ['peanut', 3],
  ['shellfish', 4],
  ['latex', 2],
  ['dustMite', 4],
  ['grassPollen', 4],
  ['animalDander', 3],
];

// ---------------------------------------------------------------------------
// Laboratory tests (LOINC + UCUM) and panels
// ---------------------------------------------------------------------------

export interface RangeDef {
  low?: number;
  high?: number;
  text?: string;
}

export interface LabDef {
  key: string;
  loinc: string;
  display: string;
  /** UCUM code; `unit` is the human-readable unit. */
  ucum: string;
  unit: string;
  decimals: number;
  range: { female: RangeDef; male: RangeDef };
  /** Critical limits: values strictly beyond them are LL / HH. */
  criticalLow?: number;
  criticalHigh?: number;
}

function lab(
  key: string,
  loinc: string,
  display: string,
  ucum: string,
  unit: string,
  decimals: number,
  female: RangeDef,
  male: RangeDef = female,
  critical: { low?: number; high?: number } = {},
): LabDef {
  const def: LabDef = { key, loinc, display, ucum, unit, decimals, range: { female, male } };
  if (critical.low !== undefined) def.criticalLow = critical.low;
  if (critical.high !== undefined) def.criticalHigh = critical.high;
  return def;
}

export const LABS = {
  hemoglobin: lab(
    'hemoglobin',
    '718-7',
    'Hemoglobin [Mass/volume] in Blood',
    'g/dL',
    'g/dL',
    1,
    { low: 12.0, high: 15.5 },
    { low: 13.5, high: 17.5 },
    { low: 7.0, high: 20.0 },
  ),
  hematocrit: lab(
    'hematocrit',
    '4544-3',
    'Hematocrit [Volume Fraction] of Blood by Automated count',
    '%',
    '%',
    1,
    { low: 36.0, high: 46.0 },
    { low: 41.0, high: 53.0 },
    { low: 20.0, high: 60.0 },
  ),
  wbc: lab(
    'wbc',
    '6690-2',
    'Leukocytes [#/volume] in Blood by Automated count',
    '10*3/uL',
    '10*3/uL',
    1,
    { low: 4.5, high: 11.0 },
    { low: 4.5, high: 11.0 },
    { low: 2.0, high: 30.0 },
  ),
  platelets: lab(
    'platelets',
    '777-3',
    'Platelets [#/volume] in Blood by Automated count',
    '10*3/uL',
    '10*3/uL',
    0,
    { low: 150, high: 400 },
    { low: 150, high: 400 },
    { low: 50, high: 1000 },
  ),
  glucose: lab(
    'glucose',
    '2345-7',
    'Glucose [Mass/volume] in Serum or Plasma',
    'mg/dL',
    'mg/dL',
    0,
    { low: 70, high: 99 },
    { low: 70, high: 99 },
    { low: 50, high: 400 },
  ),
  sodium: lab(
    'sodium',
    '2951-2',
    'Sodium [Moles/volume] in Serum or Plasma',
    'mmol/L',
    'mmol/L',
    0,
    { low: 136, high: 145 },
    { low: 136, high: 145 },
    { low: 120, high: 160 },
  ),
  potassium: lab(
    'potassium',
    '2823-3',
    'Potassium [Moles/volume] in Serum or Plasma',
    'mmol/L',
    'mmol/L',
    1,
    { low: 3.5, high: 5.1 },
    { low: 3.5, high: 5.1 },
    { low: 2.8, high: 6.2 },
  ),
  chloride: lab(
    'chloride',
    '2075-0',
    'Chloride [Moles/volume] in Serum or Plasma',
    'mmol/L',
    'mmol/L',
    0,
    { low: 98, high: 107 },
    { low: 98, high: 107 },
    { low: 80, high: 120 },
  ),
  co2: lab(
    'co2',
    '2028-9',
    'Carbon dioxide, total [Moles/volume] in Serum or Plasma',
    'mmol/L',
    'mmol/L',
    0,
    { low: 22, high: 29 },
    { low: 22, high: 29 },
    { low: 10, high: 40 },
  ),
  bun: lab(
    'bun',
    '3094-0',
    'Urea nitrogen [Mass/volume] in Serum or Plasma',
    'mg/dL',
    'mg/dL',
    0,
    { low: 7, high: 20 },
    { low: 7, high: 20 },
    { high: 100 },
  ),
  creatinine: lab(
    'creatinine',
    '2160-0',
    'Creatinine [Mass/volume] in Serum or Plasma',
    'mg/dL',
    'mg/dL',
    2,
    { low: 0.59, high: 1.04 },
    { low: 0.74, high: 1.35 },
    { high: 10.0 },
  ),
  calcium: lab(
    'calcium',
    '17861-6',
    'Calcium [Mass/volume] in Serum or Plasma',
    'mg/dL',
    'mg/dL',
    1,
    { low: 8.6, high: 10.3 },
    { low: 8.6, high: 10.3 },
    { low: 6.5, high: 13.0 },
  ),
  egfr: lab(
    'egfr',
    '98979-8',
    'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)',
    'mL/min/{1.73_m2}',
    'mL/min/1.73m2',
    0,
    { low: 60, text: '>=60 mL/min/1.73m2' },
  ),
  hba1c: lab('hba1c', '4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', '%', 1, { low: 4.0, high: 5.6 }),
  cholesterol: lab('cholesterol', '2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 0, {
    high: 199,
    text: '<200 mg/dL',
  }),
  triglycerides: lab('triglycerides', '2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 0, {
    high: 149,
    text: '<150 mg/dL',
  }),
  hdl: lab('hdl', '2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 0, {
    low: 40,
    text: '>=40 mg/dL',
  }),
  ldl: lab(
    'ldl',
    '18262-6',
    'Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay',
    'mg/dL',
    'mg/dL',
    0,
    { high: 99, text: '<100 mg/dL' },
  ),
  tsh: lab(
    'tsh',
    '3016-3',
    'Thyrotropin [Units/volume] in Serum or Plasma',
    'm[IU]/L',
    'mIU/L',
    2,
    { low: 0.4, high: 4.0 },
    { low: 0.4, high: 4.0 },
    { high: 100 },
  ),
  inr: lab(
    'inr',
    '6301-6',
    'INR in Platelet poor plasma by Coagulation assay',
    '{INR}',
    'INR',
    1,
    { low: 0.8, high: 1.1 },
    { low: 0.8, high: 1.1 },
    { high: 4.5 },
  ),
} as const satisfies Record<string, LabDef>;

export type LabKey = keyof typeof LABS;

export interface PanelDef {
  key: string;
  loinc: string;
  display: string;
  members: readonly LabKey[];
}

export const PANELS = {
  cbc: {
    key: 'cbc',
    loinc: '58410-2',
    display: 'CBC panel - Blood by Automated count',
    members: ['hemoglobin', 'hematocrit', 'wbc', 'platelets'],
  },
  bmp: {
    key: 'bmp',
    loinc: '51990-0',
    display: 'Basic metabolic panel - Blood',
    members: ['glucose', 'bun', 'creatinine', 'egfr', 'sodium', 'potassium', 'chloride', 'co2', 'calcium'],
  },
  lipid: {
    key: 'lipid',
    loinc: '57698-3',
    display: 'Lipid panel with direct LDL - Serum or Plasma',
    members: ['cholesterol', 'triglycerides', 'hdl', 'ldl'],
  },
  hba1c: { key: 'hba1c', loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', members: ['hba1c'] },
  tsh: { key: 'tsh', loinc: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', members: ['tsh'] },
  inr: { key: 'inr', loinc: '6301-6', display: 'INR in Platelet poor plasma by Coagulation assay', members: ['inr'] },
} as const satisfies Record<string, PanelDef>;

export type PanelKey = keyof typeof PANELS;

/** Therapeutic INR range shown as a second referenceRange for warfarin patients. */
export const INR_THERAPEUTIC: RangeDef = { low: 2.0, high: 3.0, text: 'Therapeutic range on warfarin 2.0-3.0' };

// ---------------------------------------------------------------------------
// Vital signs (FHIR R4 vital signs profile)
// ---------------------------------------------------------------------------

export interface VitalDef {
  key: string;
  loinc: string;
  display: string;
  /** Additional codings (e.g. SpO2 59408-5 + 2708-6). */
  extraCodings?: readonly CodingDef[];
  ucum: string;
  unit: string;
  decimals: number;
  /** Absent for height / weight (no meaningful normal range). */
  range?: RangeDef;
  criticalLow?: number;
  criticalHigh?: number;
}

export const VITALS = {
  bpPanel: {
    key: 'bpPanel',
    loinc: '85354-9',
    display: 'Blood pressure panel with all children optional',
    ucum: 'mm[Hg]',
    unit: 'mmHg',
    decimals: 0,
  },
  systolic: {
    key: 'systolic',
    loinc: '8480-6',
    display: 'Systolic blood pressure',
    ucum: 'mm[Hg]',
    unit: 'mmHg',
    decimals: 0,
    range: { low: 90, high: 129 },
    criticalLow: 70,
    criticalHigh: 180,
  },
  diastolic: {
    key: 'diastolic',
    loinc: '8462-4',
    display: 'Diastolic blood pressure',
    ucum: 'mm[Hg]',
    unit: 'mmHg',
    decimals: 0,
    range: { low: 60, high: 80 },
    criticalLow: 40,
    criticalHigh: 120,
  },
  heartRate: {
    key: 'heartRate',
    loinc: '8867-4',
    display: 'Heart rate',
    ucum: '/min',
    unit: 'beats/minute',
    decimals: 0,
    range: { low: 60, high: 100 },
    criticalLow: 40,
    criticalHigh: 130,
  },
  respRate: {
    key: 'respRate',
    loinc: '9279-1',
    display: 'Respiratory rate',
    ucum: '/min',
    unit: 'breaths/minute',
    decimals: 0,
    range: { low: 12, high: 20 },
    criticalLow: 8,
    criticalHigh: 30,
  },
  temperature: {
    key: 'temperature',
    loinc: '8310-5',
    display: 'Body temperature',
    ucum: 'Cel',
    unit: 'C',
    decimals: 1,
    range: { low: 36.1, high: 37.8 },
    criticalLow: 35.0,
    criticalHigh: 40.0,
  },
  height: { key: 'height', loinc: '8302-2', display: 'Body height', ucum: 'cm', unit: 'cm', decimals: 1 },
  weight: { key: 'weight', loinc: '29463-7', display: 'Body weight', ucum: 'kg', unit: 'kg', decimals: 1 },
  bmi: {
    key: 'bmi',
    loinc: '39156-5',
    display: 'Body mass index (BMI) [Ratio]',
    ucum: 'kg/m2',
    unit: 'kg/m2',
    decimals: 1,
    range: { low: 18.5, high: 24.9 },
  },
  spo2: {
    key: 'spo2',
    loinc: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    extraCodings: [{ system: SYS.LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' }],
    ucum: '%',
    unit: '%',
    decimals: 0,
    range: { low: 95, high: 100 },
    criticalLow: 88,
  },
} as const satisfies Record<string, VitalDef>;

export type VitalKey = keyof typeof VITALS;

export const INTERPRETATIONS = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
} as const;
export type InterpretationCode = keyof typeof INTERPRETATIONS;

/**
 * Interpretation of a value against a normal range and optional critical limits.
 * Normal means low <= value <= high (missing bounds are open).
 */
export function interpret(
  value: number,
  range: RangeDef,
  criticalLow?: number,
  criticalHigh?: number,
): InterpretationCode {
  if (criticalLow !== undefined && value < criticalLow) return 'LL';
  if (criticalHigh !== undefined && value > criticalHigh) return 'HH';
  if (range.low !== undefined && value < range.low) return 'L';
  if (range.high !== undefined && value > range.high) return 'H';
  return 'N';
}

// ---------------------------------------------------------------------------
// Encounter and appointment types
// ---------------------------------------------------------------------------

export const ENCOUNTER_TYPES = {
  checkup: { system: SYS.SNOMED, code: '185349003', display: 'Encounter for check up (procedure)' },
  followUp: { system: SYS.SNOMED, code: '390906007', display: 'Follow-up encounter (procedure)' },
  symptom: { system: SYS.SNOMED, code: '185345009', display: 'Encounter for symptom (procedure)' },
} as const satisfies Record<string, CodingDef>;

export const APPOINTMENT_TYPES = {
  ROUTINE: { system: SYS.V2_0276, code: 'ROUTINE', display: 'Routine appointment - default if not valued' },
  FOLLOWUP: { system: SYS.V2_0276, code: 'FOLLOWUP', display: 'A follow up visit from a previous appointment' },
  CHECKUP: { system: SYS.V2_0276, code: 'CHECKUP', display: 'A routine check-up, such as an annual physical' },
} as const satisfies Record<string, CodingDef>;

// ---------------------------------------------------------------------------
// Directory (organization, staff, pharmacies, payers) — hand-written, stable
// ---------------------------------------------------------------------------

export type StaffRole = 'physician' | 'nurse' | 'pharmacist' | 'lab-tech';

export interface StaffDef {
  /** Stable key: identifier value is `practitioner-<key>` in system urn:wintehr:demo. */
  key: string;
  role: StaffRole;
  prefix?: string;
  given: readonly string[];
  family: string;
  suffix?: string;
  gender: 'male' | 'female';
  /** 9-digit base; the 10th (Luhn) digit is computed. */
  npiBase: string;
  /** Six digits; DEA check digit is computed (physicians only). */
  deaDigits?: string;
  qualification: CodingDef;
  qualificationText: string;
  specialty: CodingDef;
  phoneExt: string;
}

const Q_MD: CodingDef = { system: SYS.V2_0360, code: 'MD', display: 'Doctor of Medicine' };
const Q_RN: CodingDef = { system: SYS.V2_0360, code: 'RN', display: 'Registered Nurse' };
const Q_PHARMD: CodingDef = { system: SYS.V2_0360, code: 'PharmD', display: 'Doctor of Pharmacy' };
const Q_MT: CodingDef = { system: SYS.V2_0360, code: 'MT', display: 'Medical Technician' };

const SPEC = {
  familyPractice: { system: SYS.SNOMED, code: '419772000', display: 'Family practice (qualifier value)' },
  generalPractice: { system: SYS.SNOMED, code: '408443003', display: 'General medical practice (qualifier value)' },
  cardiology: { system: SYS.SNOMED, code: '394579002', display: 'Cardiology (qualifier value)' },
  endocrinology: { system: SYS.SNOMED, code: '394583002', display: 'Endocrinology (qualifier value)' },
  nephrology: { system: SYS.SNOMED, code: '394589003', display: 'Nephrology (qualifier value)' },
  pharmacy: { system: SYS.NUCC, code: '183500000X', display: 'Pharmacist' },
  nursing: { system: SYS.NUCC, code: '163W00000X', display: 'Registered Nurse' },
  lab: { system: SYS.NUCC, code: '246Q00000X', display: 'Specialist/Technologist, Pathology' },
} as const satisfies Record<string, CodingDef>;

export const STAFF: readonly StaffDef[] = [
  {
    key: 'wilson',
    role: 'physician',
    prefix: 'Dr.',
    given: ['James'],
    family: 'Wilson',
    suffix: 'MD',
    gender: 'male',
    npiBase: '199900001',
    deaDigits: '314159',
    qualification: Q_MD,
    qualificationText: 'Doctor of Medicine',
    specialty: SPEC.familyPractice,
    phoneExt: '0101',
  },
  {
    key: 'chen',
    role: 'physician',
    prefix: 'Dr.',
    given: ['Sarah'],
    family: 'Chen',
    suffix: 'MD',
    gender: 'female',
    npiBase: '199900002',
    deaDigits: '271828',
    qualification: Q_MD,
    qualificationText: 'Doctor of Medicine',
    specialty: SPEC.endocrinology,
    phoneExt: '0102',
  },
  {
    key: 'patel',
    role: 'physician',
    prefix: 'Dr.',
    given: ['Raj'],
    family: 'Patel',
    suffix: 'MD',
    gender: 'male',
    npiBase: '199900003',
    deaDigits: '161803',
    qualification: Q_MD,
    qualificationText: 'Doctor of Medicine',
    specialty: SPEC.cardiology,
    phoneExt: '0103',
  },
  {
    key: 'okafor',
    role: 'physician',
    prefix: 'Dr.',
    given: ['Amara'],
    family: 'Okafor',
    suffix: 'MD',
    gender: 'female',
    npiBase: '199900004',
    deaDigits: '141421',
    qualification: Q_MD,
    qualificationText: 'Doctor of Medicine',
    specialty: SPEC.generalPractice,
    phoneExt: '0104',
  },
  {
    key: 'rodriguez',
    role: 'physician',
    prefix: 'Dr.',
    given: ['Elena'],
    family: 'Rodriguez',
    suffix: 'MD',
    gender: 'female',
    npiBase: '199900005',
    deaDigits: '173205',
    qualification: Q_MD,
    qualificationText: 'Doctor of Medicine',
    specialty: SPEC.nephrology,
    phoneExt: '0105',
  },
  {
    key: 'nurse-joy',
    role: 'nurse',
    given: ['Joy'],
    family: 'Tanaka',
    suffix: 'RN',
    gender: 'female',
    npiBase: '199900006',
    qualification: Q_RN,
    qualificationText: 'Registered Nurse',
    specialty: SPEC.nursing,
    phoneExt: '0106',
  },
  {
    key: 'nurse-marcus',
    role: 'nurse',
    given: ['Marcus'],
    family: 'Bell',
    suffix: 'RN',
    gender: 'male',
    npiBase: '199900007',
    qualification: Q_RN,
    qualificationText: 'Registered Nurse',
    specialty: SPEC.nursing,
    phoneExt: '0107',
  },
  {
    key: 'pharm-lee',
    role: 'pharmacist',
    given: ['David'],
    family: 'Lee',
    suffix: 'PharmD',
    gender: 'male',
    npiBase: '199900008',
    qualification: Q_PHARMD,
    qualificationText: 'Doctor of Pharmacy',
    specialty: SPEC.pharmacy,
    phoneExt: '0108',
  },
  {
    key: 'lab-kim',
    role: 'lab-tech',
    given: ['Grace'],
    family: 'Kim',
    suffix: 'MLS(ASCP)',
    gender: 'female',
    npiBase: '199900009',
    qualification: Q_MT,
    qualificationText: 'Medical Laboratory Scientist',
    specialty: SPEC.lab,
    phoneExt: '0109',
  },
];

/** practitioner-role codes (HL7) and the project-local role code. */
export const ROLE_CODES: Record<StaffRole, { hl7?: CodingDef; local: CodingDef }> = {
  physician: {
    hl7: { system: SYS.PRACTITIONER_ROLE, code: 'doctor', display: 'Doctor' },
    local: { system: SYS.WINTEHR_ROLE, code: 'physician', display: 'Physician' },
  },
  nurse: {
    hl7: { system: SYS.PRACTITIONER_ROLE, code: 'nurse', display: 'Nurse' },
    local: { system: SYS.WINTEHR_ROLE, code: 'nurse', display: 'Nurse' },
  },
  pharmacist: {
    hl7: { system: SYS.PRACTITIONER_ROLE, code: 'pharmacist', display: 'Pharmacist' },
    local: { system: SYS.WINTEHR_ROLE, code: 'pharmacist', display: 'Pharmacist' },
  },
  'lab-tech': {
    local: { system: SYS.WINTEHR_ROLE, code: 'lab-tech', display: 'Laboratory technician' },
  },
};

export interface PharmacyDef {
  key: string;
  name: string;
  inHouse: boolean;
  ncpdp: string;
  npiBase: string;
  line: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
}

export const PHARMACIES: readonly PharmacyDef[] = [
  {
    key: 'wintehr-outpatient',
    name: 'WintEHR Outpatient Pharmacy',
    inHouse: true,
    ncpdp: '1499901',
    npiBase: '199910001',
    line: '100 Medical Center Dr, Suite 110',
    city: 'Springfield',
    state: 'IL',
    zip: '62701',
    phone: '(217) 555-0120',
  },
  {
    key: 'maple-avenue',
    name: 'Maple Avenue Pharmacy',
    inHouse: false,
    ncpdp: '1499902',
    npiBase: '199910002',
    line: '455 Maple Ave',
    city: 'Springfield',
    state: 'IL',
    zip: '62704',
    phone: '(217) 555-0131',
  },
  {
    key: 'riverside-community',
    name: 'Riverside Community Pharmacy',
    inHouse: false,
    ncpdp: '1499903',
    npiBase: '199910003',
    line: '12 River Rd',
    city: 'Springfield',
    state: 'IL',
    zip: '62702',
    phone: '(217) 555-0142',
  },
  {
    key: 'harbor-family',
    name: 'Harbor Family Drug',
    inHouse: false,
    ncpdp: '1499904',
    npiBase: '199910004',
    line: '890 Harbor Blvd',
    city: 'Chatham',
    state: 'IL',
    zip: '62629',
    phone: '(217) 555-0153',
  },
  {
    key: 'sunrise-24',
    name: 'Sunrise 24-Hour Pharmacy',
    inHouse: false,
    ncpdp: '1499905',
    npiBase: '199910005',
    line: '3100 Sunset Dr',
    city: 'Springfield',
    state: 'IL',
    zip: '62711',
    phone: '(217) 555-0164',
  },
  {
    key: 'quickcare-4412',
    name: 'QuickCare Pharmacy #4412',
    inHouse: false,
    ncpdp: '1499906',
    npiBase: '199910006',
    line: '77 Lincoln Sq',
    city: 'Rochester',
    state: 'IL',
    zip: '62563',
    phone: '(217) 555-0175',
  },
];

export interface PayerDef {
  key: string;
  name: string;
  sopt: CodingDef;
  planName: string;
  phone: string;
  /**
   * DEMO: a clearinghouse payer id (NM109 of the 270's NM1*PR) in the published format, taken from commonly
   * published payer lists for a payer of the same kind; the payers themselves are fictional. Check the real id with
   * your clearinghouse before sending a 270 anywhere but the simulator.
   */
  x12PayerId: string;
}

export const PAYERS: readonly PayerDef[] = [
  {
    key: 'medicare',
    name: 'Medicare',
    sopt: { system: SYS.SOPT, code: '1', display: 'MEDICARE' },
    planName: 'Medicare Part B',
    phone: '(800) 555-0101',
    x12PayerId: '06102', // demo: as published for Medicare Part B, Illinois (NGS J6)
  },
  {
    key: 'medicaid',
    name: 'Illinois Medicaid',
    sopt: { system: SYS.SOPT, code: '2', display: 'MEDICAID' },
    planName: 'Medicaid Managed Care',
    phone: '(800) 555-0102',
    x12PayerId: 'IL621', // demo: as published for Illinois Medicaid (HFS)
  },
  {
    key: 'prairie-bluecross',
    name: 'Prairie BlueCross Health Plan',
    sopt: { system: SYS.SOPT, code: '512', display: 'Commercial Managed Care - PPO' },
    planName: 'Prairie PPO Gold',
    phone: '(800) 555-0103',
    x12PayerId: '00621', // demo: as published for Blue Cross Blue Shield of Illinois
  },
  {
    key: 'lakeshore-health',
    name: 'Lakeshore Health Insurance',
    sopt: { system: SYS.SOPT, code: '511', display: 'Commercial Managed Care - HMO' },
    planName: 'Lakeshore HMO Select',
    phone: '(800) 555-0104',
    x12PayerId: '60054', // demo: as published for Aetna
  },
  {
    key: 'heartland-mutual',
    name: 'Heartland Mutual Insurance',
    sopt: { system: SYS.SOPT, code: '5', display: 'PRIVATE HEALTH INSURANCE' },
    planName: 'Heartland Choice',
    phone: '(800) 555-0105',
    x12PayerId: '87726', // demo: as published for UnitedHealthcare
  },
];

export const MEDICAL_CENTER = {
  key: 'org-wintehr-medical-center',
  name: 'WintEHR Medical Center',
  npiBase: '199920001',
  line: '100 Medical Center Dr',
  city: 'Springfield',
  state: 'IL',
  zip: '62701',
  phone: '(217) 555-0100',
  locationKey: 'location-main-campus',
  locationName: 'WintEHR Medical Center - Main Campus Clinic',
} as const;
