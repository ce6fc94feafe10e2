/**
 * A patient's medication-safety context (active medications, allergies, age, sex, weight, renal function, potassium,
 * problem-list conditions) built from
 * FHIR resources. contextFromPrefetch is pure (the CDS Hooks services feed it prefetch bundles); loadPatientSafetyContext
 * fetches the same bundles from HAPI for the business API (check-interactions, prescribe).
 */
import { toQueryString, type FhirClient, type SearchParams } from '../../core/fhir/fhir-client';
import { conditionFlagsOf } from './condition-codes';
import type { AllergyCriticality, AllergyRef, AllergyVerification, Coding, MedRef, PatientContext } from './types';

export const LOINC = 'http://loinc.org';
export const WEIGHT_CODES = ['29463-7', '3141-9'] as const;
/** eGFR LOINC codes (CKD-EPI 2021 first, then older equations). */
export const EGFR_CODES = [
  '98979-8',
  '62238-1',
  '33914-3',
  '48642-3',
  '48643-1',
  '50044-7',
  '88293-6',
  '88294-4',
] as const;
export const CREATININE_CODES = ['2160-0', '38483-4'] as const;
/** Potassium in serum or plasma (2823-3) and in blood (6298-4). */
export const POTASSIUM_CODES = ['2823-3', '6298-4'] as const;
export const SAFETY_OBSERVATION_CODES = [...WEIGHT_CODES, ...EGFR_CODES, ...CREATININE_CODES, ...POTASSIUM_CODES];

/** FHIR search parameters for each part of the context; the CDS prefetch templates are built from the same lists. */
export const SAFETY_QUERIES = {
  medicationRequests: { status: 'active,on-hold', _include: 'MedicationRequest:medication', _count: 200 },
  medicationStatements: { status: 'active,intended', _include: 'MedicationStatement:medication', _count: 200 },
  allergies: { _count: 200 },
  observations: { code: SAFETY_OBSERVATION_CODES.map((c) => `${LOINC}|${c}`).join(','), _sort: '-date', _count: 50 },
  // No clinical-status filter: conditions recorded without a status still count (conditionFlagsOf filters).
  conditions: { _count: 200 },
} as const;

export interface SafetyBundles {
  patient?: fhir4.Patient | null;
  medicationRequests?: fhir4.Bundle | null;
  medicationStatements?: fhir4.Bundle | null;
  allergies?: fhir4.Bundle | null;
  observations?: fhir4.Bundle | null;
  /** Problem list (optional: without it no drug-condition rule fires). */
  conditions?: fhir4.Bundle | null;
}

export interface PatientSafetyContext {
  active: MedRef[];
  allergies: AllergyRef[];
  patient: PatientContext;
  /** Resource ids of the active list, for callers that need to exclude the order being changed. */
  activeIds: string[];
}

function resources<T extends fhir4.FhirResource>(
  bundle: fhir4.Bundle | null | undefined,
  type: T['resourceType'],
): T[] {
  const out: T[] = [];
  for (const e of bundle?.entry ?? []) if (e.resource?.resourceType === type) out.push(e.resource as T);
  return out;
}

function toCodings(cc: fhir4.CodeableConcept | undefined): Coding[] {
  return (cc?.coding ?? []).map((c) => ({
    ...(c.system ? { system: c.system } : {}),
    ...(c.code ? { code: c.code } : {}),
    ...(c.display ? { display: c.display } : {}),
  }));
}

/**
 * The MedRef of a MedicationRequest / MedicationStatement: its CodeableConcept, or the Medication it references
 * (contained, or included in the same bundle). Unresolvable references keep their display so the engine reports
 * them as "unable to screen" rather than dropping them.
 */
export function medRefOf(
  r: fhir4.MedicationRequest | fhir4.MedicationStatement,
  medications: ReadonlyMap<string, fhir4.Medication> = new Map(),
): MedRef {
  const id = r.id ? `${r.resourceType}/${r.id}` : undefined;
  let cc = r.medicationCodeableConcept;
  const ref = r.medicationReference?.reference;
  if (!cc && ref) {
    const med = ref.startsWith('#')
      ? (r.contained ?? []).find((c): c is fhir4.Medication => c.resourceType === 'Medication' && c.id === ref.slice(1))
      : medications.get(ref.replace(/^.*\/(Medication\/[^/]+)(\/_history\/.*)?$/, '$1'));
    cc = med?.code;
  }
  const display = cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? r.medicationReference?.display;
  return { ...(id ? { id } : {}), codings: toCodings(cc), ...(display ? { display } : {}) };
}

const CRITICALITY = new Set<AllergyCriticality>(['high', 'low', 'unable-to-assess']);
const VERIFICATION = new Set<AllergyVerification>([
  'confirmed',
  'unconfirmed',
  'presumed',
  'refuted',
  'entered-in-error',
]);

export function allergyRefOf(a: fhir4.AllergyIntolerance): AllergyRef {
  const ver = a.verificationStatus?.coding?.find((c) => c.code)?.code as AllergyVerification | undefined;
  const clin = a.clinicalStatus?.coding?.find((c) => c.code)?.code;
  return {
    ...(a.id ? { id: `AllergyIntolerance/${a.id}` } : {}),
    codings: toCodings(a.code),
    ...(a.code?.text ? { text: a.code.text } : {}),
    ...(a.criticality && CRITICALITY.has(a.criticality) ? { criticality: a.criticality } : {}),
    ...(ver && VERIFICATION.has(ver) ? { verificationStatus: ver } : {}),
    ...(clin === 'active' || clin === 'inactive' || clin === 'resolved' ? { clinicalStatus: clin } : {}),
  };
}

/** Whole years between birthDate (YYYY, YYYY-MM or YYYY-MM-DD) and now; undefined when unknown. */
export function ageInYears(birthDate: string | undefined, now: Date): number | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate ?? '');
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d)) age--;
  return age >= 0 && age < 150 ? age : undefined;
}

/** CKD-EPI 2021 (race-free) eGFR in mL/min/1.73m² from serum creatinine in mg/dL. */
export function ckdEpi2021(creatinineMgDl: number, ageYears: number, sex: 'male' | 'female'): number {
  const female = sex === 'female';
  const k = female ? 0.7 : 0.9;
  const a = female ? -0.241 : -0.302;
  const ratio = creatinineMgDl / k;
  const egfr = 142 * Math.min(ratio, 1) ** a * Math.max(ratio, 1) ** -1.2 * 0.9938 ** ageYears * (female ? 1.012 : 1);
  return Math.round(egfr);
}

function latest(observations: readonly fhir4.Observation[], codes: readonly string[]): fhir4.Observation | undefined {
  let best: fhir4.Observation | undefined;
  let bestAt = '';
  for (const o of observations) {
    if (o.status === 'entered-in-error' || o.status === 'cancelled' || typeof o.valueQuantity?.value !== 'number')
      continue;
    if (!o.code.coding?.some((c) => (!c.system || c.system === LOINC) && c.code && codes.includes(c.code))) continue;
    const at = o.effectiveDateTime ?? o.effectivePeriod?.end ?? o.effectivePeriod?.start ?? o.issued ?? '';
    if (!best || at > bestAt) {
      best = o;
      bestAt = at;
    }
  }
  return best;
}

/** Weight in kg from kg, g or [lb_av]. */
function weightKg(o: fhir4.Observation | undefined): number | undefined {
  const q = o?.valueQuantity;
  if (!q || typeof q.value !== 'number') return undefined;
  const unit = (q.code ?? q.unit ?? 'kg').toLowerCase();
  if (unit === 'kg') return q.value;
  if (unit === 'g') return q.value / 1000;
  if (unit === '[lb_av]' || unit === 'lb' || unit === 'lbs') return Math.round(q.value * 0.45359237 * 10) / 10;
  return undefined;
}

/** Potassium in mmol/L (mEq/L is the same for a monovalent ion); other units are not trusted. */
function potassiumMmol(o: fhir4.Observation | undefined): number | undefined {
  const q = o?.valueQuantity;
  if (!q || typeof q.value !== 'number') return undefined;
  const unit = (q.code ?? q.unit ?? 'mmol/L').toLowerCase();
  return unit === 'mmol/l' || unit === 'meq/l' || unit === 'm[eq]/l' ? q.value : undefined;
}

/** Creatinine in mg/dL from mg/dL or µmol/L. */
function creatinineMgDl(o: fhir4.Observation | undefined): number | undefined {
  const q = o?.valueQuantity;
  if (!q || typeof q.value !== 'number') return undefined;
  const unit = (q.code ?? q.unit ?? 'mg/dL').toLowerCase();
  if (unit === 'mg/dl') return q.value;
  if (unit === 'umol/l' || unit === 'µmol/l') return q.value / 88.42;
  return undefined;
}

/** Pure: the safety context from already-fetched bundles (prefetch, or loadPatientSafetyContext's searches). */
export function contextFromPrefetch(b: SafetyBundles, now: Date = new Date()): PatientSafetyContext {
  const medications = new Map<string, fhir4.Medication>();
  for (const bundle of [b.medicationRequests, b.medicationStatements]) {
    for (const m of resources<fhir4.Medication>(bundle, 'Medication'))
      if (m.id) medications.set(`Medication/${m.id}`, m);
  }
  const requests = resources<fhir4.MedicationRequest>(b.medicationRequests, 'MedicationRequest').filter(
    (r) => (r.status === 'active' || r.status === 'on-hold') && r.intent !== 'proposal' && r.intent !== 'plan',
  );
  const statements = resources<fhir4.MedicationStatement>(b.medicationStatements, 'MedicationStatement').filter(
    (s) => s.status === 'active' || s.status === 'intended',
  );
  const active = [...requests, ...statements].map((r) => medRefOf(r, medications));
  const allergies = resources<fhir4.AllergyIntolerance>(b.allergies, 'AllergyIntolerance')
    .filter((a) => !a.type || a.type === 'allergy' || a.type === 'intolerance')
    .filter((a) => !a.category || a.category.includes('medication'))
    .map(allergyRefOf);

  const p = b.patient ?? undefined;
  const ageYears = ageInYears(p?.birthDate, now);
  const sex = p?.gender;
  const obs = resources<fhir4.Observation>(b.observations, 'Observation');
  const weight = weightKg(latest(obs, WEIGHT_CODES));
  let egfr = latest(obs, EGFR_CODES)?.valueQuantity?.value;
  if (egfr === undefined) {
    const cr = creatinineMgDl(latest(obs, CREATININE_CODES));
    if (cr !== undefined && cr > 0 && ageYears !== undefined && ageYears >= 18 && (sex === 'male' || sex === 'female'))
      egfr = ckdEpi2021(cr, ageYears, sex);
  }
  const potassium = potassiumMmol(latest(obs, POTASSIUM_CODES));
  const conditions = conditionFlagsOf(resources<fhir4.Condition>(b.conditions, 'Condition'));
  const patient: PatientContext = {
    ...(ageYears !== undefined ? { ageYears } : {}),
    ...(sex ? { sex } : {}),
    ...(weight !== undefined ? { weightKg: weight } : {}),
    ...(egfr !== undefined ? { egfr } : {}),
    ...(potassium !== undefined ? { potassium } : {}),
    ...(conditions.length ? { conditions } : {}),
  };
  return { active, allergies, patient, activeIds: active.map((m) => m.id).filter((x): x is string => !!x) };
}

/** Fetches the patient's safety context from HAPI (six searches in parallel). HAPI errors propagate as AppErrors. */
export async function loadPatientSafetyContext(
  fhir: FhirClient,
  patientId: string,
  now: Date = new Date(),
): Promise<PatientSafetyContext> {
  // One batch request instead of six: scripts/benchmarks/safety-context.ts measures both.
  const q = (type: string, params: SearchParams) => `${type}${toQueryString({ patient: patientId, ...params })}`;
  const [patient, medicationRequests, medicationStatements, allergies, observations, conditions] = await fhir.batchGet(
    [
      `Patient/${encodeURIComponent(patientId)}`,
      q('MedicationRequest', SAFETY_QUERIES.medicationRequests),
      q('MedicationStatement', SAFETY_QUERIES.medicationStatements),
      q('AllergyIntolerance', SAFETY_QUERIES.allergies),
      q('Observation', SAFETY_QUERIES.observations),
      q('Condition', SAFETY_QUERIES.conditions),
    ],
    'batch safety context',
  );
  return contextFromPrefetch(
    {
      patient: patient as fhir4.Patient,
      medicationRequests: medicationRequests as fhir4.Bundle,
      medicationStatements: medicationStatements as fhir4.Bundle,
      allergies: allergies as fhir4.Bundle,
      observations: observations as fhir4.Bundle,
      conditions: conditions as fhir4.Bundle,
    },
    now,
  );
}
