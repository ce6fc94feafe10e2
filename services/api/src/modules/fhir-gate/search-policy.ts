/**
 * What a patient-scoped token may put in a search, as data, and the rewrite that forces the patient in
 * context into every query. Anything not listed here is refused (403), never passed through to HAPI.
 *
 * - `params`: plain search parameters that cannot widen the result beyond the forced patient (they are ANDed
 *   with it); `refParams` are reference parameters that may point at a Patient: their values must name the
 *   patient in context, or a non-Patient resource (`performer=Practitioner/1`).
 * - `force`: the parameter that pins the compartment (`patient=<ctx>`, `_id=<ctx>` on Patient). Reference-data
 *   types (Practitioner, Medication...) have none: they hold no patient's data.
 * - `includes` / `revincludes`: the only `_include` / `_revinclude` values accepted; whatever they bring is still
 *   checked resource by resource on the way out.
 */
import { isCompartmentType, PATIENT_COMPARTMENT, REFERENCE_DATA_TYPES } from './compartment';
import { FHIR_ID_PATTERN } from '../../core/fhir/fhir-kit';

export interface TypeSearchPolicy {
  params: readonly string[];
  /** Reference params that may point at a Patient; `patient` itself must always be the patient in context. */
  refParams: readonly string[];
  force?: 'patient' | 'subject' | '_id' | 'beneficiary';
  includes: readonly string[];
  revincludes: readonly string[];
}

const CLINICAL_COMMON = ['_id', '_lastUpdated', '_tag', '_profile'];
const p = (
  params: string[],
  refParams: string[],
  force: TypeSearchPolicy['force'],
  includes: string[] = [],
  revincludes: string[] = [],
): TypeSearchPolicy => ({ params: [...CLINICAL_COMMON, ...params], refParams, force, includes, revincludes });

export const SEARCH_POLICIES: Readonly<Record<string, TypeSearchPolicy>> = {
  Patient: p(
    [
      'identifier',
      'name',
      'family',
      'given',
      'birthdate',
      'gender',
      'active',
      'address',
      'address-city',
      'address-state',
      'address-postalcode',
      'telecom',
      'phone',
      'email',
      'general-practitioner',
      'organization',
    ],
    [],
    '_id',
    ['Patient:general-practitioner', 'Patient:organization'],
    ['Provenance:target'],
  ),
  Observation: p(
    [
      'category',
      'code',
      'date',
      'status',
      'value-quantity',
      'value-concept',
      'value-string',
      'combo-code',
      'component-code',
      'encounter',
      'based-on',
      'identifier',
    ],
    ['patient', 'subject', 'performer'],
    'patient',
    ['Observation:patient', 'Observation:subject', 'Observation:encounter', 'Observation:performer'],
    ['Provenance:target'],
  ),
  Condition: p(
    [
      'category',
      'clinical-status',
      'verification-status',
      'code',
      'onset-date',
      'abatement-date',
      'recorded-date',
      'encounter',
      'severity',
      'identifier',
    ],
    ['patient', 'subject', 'asserter'],
    'patient',
    ['Condition:patient', 'Condition:subject', 'Condition:encounter', 'Condition:asserter'],
    ['Provenance:target'],
  ),
  Encounter: p(
    [
      'class',
      'type',
      'status',
      'date',
      'identifier',
      'location',
      'participant',
      'practitioner',
      'service-provider',
      'reason-code',
      'period',
    ],
    ['patient', 'subject'],
    'patient',
    [
      'Encounter:patient',
      'Encounter:subject',
      'Encounter:participant',
      'Encounter:practitioner',
      'Encounter:location',
      'Encounter:service-provider',
    ],
    ['Provenance:target'],
  ),
  MedicationRequest: p(
    [
      'status',
      'intent',
      'authoredon',
      'code',
      'medication',
      'encounter',
      'requester',
      'category',
      'priority',
      'identifier',
    ],
    ['patient', 'subject'],
    'patient',
    [
      'MedicationRequest:medication',
      'MedicationRequest:requester',
      'MedicationRequest:encounter',
      'MedicationRequest:patient',
    ],
    ['Provenance:target'],
  ),
  MedicationStatement: p(
    ['status', 'code', 'medication', 'effective', 'category', 'identifier'],
    ['patient', 'subject'],
    'patient',
    ['MedicationStatement:medication'],
  ),
  MedicationAdministration: p(
    ['status', 'code', 'medication', 'effective-time', 'request', 'identifier'],
    ['patient', 'subject', 'performer'],
    'patient',
    ['MedicationAdministration:medication'],
  ),
  MedicationDispense: p(
    ['status', 'code', 'medication', 'whenhandedover', 'prescription', 'identifier'],
    ['patient', 'subject'],
    'patient',
    ['MedicationDispense:medication'],
  ),
  AllergyIntolerance: p(
    ['clinical-status', 'verification-status', 'type', 'category', 'criticality', 'code', 'date', 'identifier'],
    ['patient', 'recorder', 'asserter'],
    'patient',
  ),
  Procedure: p(
    ['status', 'code', 'date', 'encounter', 'category', 'identifier'],
    ['patient', 'subject', 'performer'],
    'patient',
    ['Procedure:encounter'],
  ),
  Immunization: p(['status', 'vaccine-code', 'date', 'identifier'], ['patient'], 'patient'),
  DiagnosticReport: p(
    ['category', 'code', 'date', 'status', 'encounter', 'result', 'issued', 'identifier'],
    ['patient', 'subject', 'performer'],
    'patient',
    ['DiagnosticReport:result', 'DiagnosticReport:encounter'],
  ),
  DocumentReference: p(
    ['category', 'type', 'date', 'period', 'status', 'encounter', 'identifier'],
    ['patient', 'subject', 'author'],
    'patient',
  ),
  CarePlan: p(['category', 'status', 'date', 'intent', 'encounter', 'identifier'], ['patient', 'subject'], 'patient'),
  CareTeam: p(
    ['status', 'category', 'date', 'encounter', 'identifier'],
    ['patient', 'subject', 'participant'],
    'patient',
  ),
  Goal: p(
    ['lifecycle-status', 'achievement-status', 'target-date', 'category', 'identifier'],
    ['patient', 'subject'],
    'patient',
  ),
  ServiceRequest: p(
    ['status', 'intent', 'category', 'code', 'authored', 'encounter', 'requester', 'priority', 'identifier'],
    ['patient', 'subject', 'performer'],
    'patient',
    ['ServiceRequest:requester'],
  ),
  Coverage: p(
    ['status', 'type', 'payor', 'identifier'],
    ['patient', 'beneficiary', 'subscriber', 'policy-holder'],
    'patient',
  ),
  Device: p(['type', 'status', 'udi-carrier', 'identifier'], ['patient'], 'patient'),
  // Reference data: no compartment to force; still no chains, _has or reverse includes.
  Practitioner: p(['identifier', 'name', 'family', 'given', 'active'], [], undefined),
  PractitionerRole: p(['practitioner', 'organization', 'role', 'specialty', 'active'], [], undefined, [
    'PractitionerRole:practitioner',
    'PractitionerRole:organization',
  ]),
  Organization: p(['identifier', 'name', 'type', 'active', 'address'], [], undefined),
  Location: p(['identifier', 'name', 'type', 'status', 'address', 'organization'], [], undefined),
  Medication: p(['code', 'status', 'form', 'identifier'], [], undefined),
};

/** Modifiers that only narrow a plain parameter (`:missing` is refused on reference params that can name a patient). */
const SAFE_MODIFIERS = new Set([
  'exact',
  'contains',
  'missing',
  'not',
  'text',
  'above',
  'below',
  'in',
  'not-in',
  'of-type',
]);
// An unencoded '+' in a query string reads as a space: 'application/fhir+json' arrives as 'application/fhir json'.
const FORMAT_JSON = new Set([
  'json',
  'application/json',
  'application/fhir+json',
  'application/json+fhir',
  'application/fhir json',
  'application/json fhir',
]);
const SUMMARY_OK = new Set(['true', 'false', 'data', 'count']);
const TOTAL_OK = new Set(['none', 'estimate', 'accurate']);
const ELEMENT = /^[a-z][A-Za-z0-9]*$/;
const TYPED_REF = new RegExp(`^([A-Z][A-Za-z]+)/(${FHIR_ID_PATTERN})$`);
export const MAX_COUNT = 1000;

export type SearchRewrite = { ok: true; params: Array<[string, string]> } | { ok: false; reason: string };

/** Result-shaping and format parameters every token may use (after validation). */
export function checkResultParam(name: string, value: string): string | undefined {
  switch (name) {
    case '_count':
    case '_offset':
      return /^\d{1,6}$/.test(value) && Number(value) <= (name === '_count' ? MAX_COUNT : 100_000)
        ? undefined
        : `${name} must be a number up to ${name === '_count' ? MAX_COUNT : 100_000}`;
    case '_format':
      return FORMAT_JSON.has(value) ? undefined : 'only JSON is served (_format must be json)';
    case '_pretty':
      return value === 'true' || value === 'false' ? undefined : '_pretty must be true or false';
    case '_summary':
      return SUMMARY_OK.has(value) ? undefined : '_summary must be true, false, data or count';
    case '_total':
      return TOTAL_OK.has(value) ? undefined : '_total must be none, estimate or accurate';
    case '_elements':
      return value.split(',').every((x) => ELEMENT.test(x)) ? undefined : '_elements must list top-level element names';
    default:
      return undefined;
  }
}

const RESULT_PARAMS = new Set([
  '_count',
  '_offset',
  '_format',
  '_pretty',
  '_summary',
  '_total',
  '_elements',
  '_sort',
  '_include',
  '_revinclude',
]);

/** Top-level element names the response check needs kept when a client asks for `_elements`. */
export function compartmentElements(type: string): string[] {
  const entry = PATIENT_COMPARTMENT[type];
  const paths = entry ? [...entry.primary, ...entry.other] : [];
  return [...new Set(['id', 'meta', 'contained', ...paths.map((x) => x.split('.')[0]!)])];
}

/**
 * Checks and rewrites a patient-scoped search. `elementsToKeep` are the top-level elements the response check
 * reads (added to any `_elements`). Returns the params to send to HAPI, with `_format` dropped and the patient
 * forced in.
 */
export function rewritePatientSearch(
  type: string,
  input: ReadonlyArray<[string, string]>,
  patientId: string,
  elementsToKeep: readonly string[],
): SearchRewrite {
  const policy = SEARCH_POLICIES[type];
  if (!policy) return { ok: false, reason: `searching ${type} is not supported for patient-scoped tokens` };
  if (!isCompartmentType(type) && !REFERENCE_DATA_TYPES.has(type))
    return { ok: false, reason: `${type} is outside the patient compartment` };
  const out: Array<[string, string]> = [];
  for (const [rawName, value] of input) {
    if (rawName.includes('.')) return { ok: false, reason: `chained parameter ${rawName} is not allowed` };
    const [name, modifier, ...more] = rawName.split(':');
    if (!name || more.length) return { ok: false, reason: `parameter ${rawName} is not understood` };
    if (name === '_has') return { ok: false, reason: '_has (reverse chaining) is not allowed' };
    if (RESULT_PARAMS.has(name)) {
      if (modifier !== undefined) return { ok: false, reason: `${rawName} is not allowed` };
      const bad = checkResultParam(name, value);
      if (bad) return { ok: false, reason: bad };
      if (name === '_format' || name === '_pretty') continue;
      if (name === '_include' && !policy.includes.includes(value))
        return { ok: false, reason: `_include=${value} is not allowed` };
      if (name === '_revinclude' && !policy.revincludes.includes(value))
        return { ok: false, reason: `_revinclude=${value} is not allowed` };
      if (name === '_sort') {
        const fields = value.split(',').map((f) => f.replace(/^-/, ''));
        if (!fields.every((f) => policy.params.includes(f)))
          return { ok: false, reason: `_sort=${value} is not allowed` };
      }
      if (name === '_elements') {
        out.push([name, [...new Set([...value.split(','), ...elementsToKeep])].join(',')]);
        continue;
      }
      out.push([name, value]);
      continue;
    }
    if (name === 'patient' || policy.refParams.includes(name)) {
      const bad = checkPatientRefParam(name, modifier, value, patientId);
      if (bad) return { ok: false, reason: bad };
      out.push([rawName, value]);
      continue;
    }
    if (!policy.params.includes(name))
      return { ok: false, reason: `search parameter ${name} is not allowed on ${type}` };
    if (modifier !== undefined && !SAFE_MODIFIERS.has(modifier) && !/^[A-Z][A-Za-z]+$/.test(modifier))
      return { ok: false, reason: `modifier :${modifier} is not allowed` };
    if (modifier === 'Patient') return { ok: false, reason: `${rawName} is not allowed` };
    if (name === '_id' && type === 'Patient' && value.split(',').some((v) => v !== patientId))
      return { ok: false, reason: 'Patient _id must be the patient in context' };
    if (value.length > 2000) return { ok: false, reason: `${name} value is too long` };
    out.push([rawName, value]);
  }
  if (policy.force === '_id') out.push(['_id', patientId]);
  else if (policy.force === 'patient' || policy.force === 'subject' || policy.force === 'beneficiary')
    out.push([policy.force, `Patient/${patientId}`]);
  return { ok: true, params: out };
}

/** A reference param that may name a patient: only the patient in context, or a non-Patient typed reference. */
function checkPatientRefParam(
  name: string,
  modifier: string | undefined,
  value: string,
  patientId: string,
): string | undefined {
  if (modifier !== undefined && modifier !== 'Patient') return `modifier :${modifier} is not allowed on ${name}`;
  if (value.includes(',')) return `${name} must name one patient (the patient in context)`;
  if (value === patientId || value === `Patient/${patientId}`) return undefined;
  const typed = TYPED_REF.exec(value);
  if (name !== 'patient' && modifier === undefined && typed && typed[1] !== 'Patient') return undefined;
  return `${name} must be the patient in context`;
}
