/**
 * The FHIR R4 Patient CompartmentDefinition (http://hl7.org/fhir/R4/compartmentdefinition-patient.html) as
 * data: for each resource type, the element paths behind its compartment search parameters.
 *
 * `primary` paths name the resource's subject (subject/patient/beneficiary...). Hardening beyond the spec:
 * when a resource has a primary patient reference, that reference decides membership on its own, so an
 * Observation about patient B that lists patient A as performer is NOT shown to A. Only when no primary patient
 * reference exists do the `other` paths (performer, author, recipient...) count.
 */
import { FHIR_ID_PATTERN } from '../../core/fhir/fhir-kit';
export interface CompartmentEntry {
  primary: readonly string[];
  other: readonly string[];
}

const e = (primary: string[], other: string[] = []): CompartmentEntry => ({ primary, other });

export const PATIENT_COMPARTMENT: Readonly<Record<string, CompartmentEntry>> = {
  Account: e(['subject']),
  AdverseEvent: e(['subject']),
  AllergyIntolerance: e(['patient'], ['recorder', 'asserter']),
  Appointment: e([], ['participant.actor']),
  AppointmentResponse: e([], ['actor']),
  AuditEvent: e([], ['agent.who', 'entity.what']),
  Basic: e(['subject'], ['author']),
  BodyStructure: e(['patient']),
  CarePlan: e(['subject'], ['activity.detail.performer']),
  CareTeam: e(['subject'], ['participant.member']),
  ChargeItem: e(['subject']),
  Claim: e(['patient'], ['payee.party']),
  ClaimResponse: e(['patient']),
  ClinicalImpression: e(['subject']),
  Communication: e(['subject'], ['sender', 'recipient']),
  CommunicationRequest: e(['subject'], ['sender', 'recipient', 'requester']),
  Composition: e(['subject'], ['author', 'attester.party']),
  Condition: e(['subject'], ['asserter']),
  Consent: e(['patient']),
  Coverage: e(['beneficiary'], ['policyHolder', 'subscriber', 'payor']),
  CoverageEligibilityRequest: e(['patient']),
  CoverageEligibilityResponse: e(['patient']),
  DetectedIssue: e(['patient']),
  Device: e(['patient']),
  DeviceRequest: e(['subject'], ['performer']),
  DeviceUseStatement: e(['subject']),
  DiagnosticReport: e(['subject']),
  DocumentManifest: e(['subject'], ['author', 'recipient']),
  DocumentReference: e(['subject'], ['author']),
  Encounter: e(['subject']),
  EnrollmentRequest: e(['candidate']),
  EpisodeOfCare: e(['patient']),
  ExplanationOfBenefit: e(['patient'], ['payee.party']),
  FamilyMemberHistory: e(['patient']),
  Flag: e(['subject']),
  Goal: e(['subject']),
  Group: e([], ['member.entity']),
  ImagingStudy: e(['subject']),
  Immunization: e(['patient']),
  ImmunizationEvaluation: e(['patient']),
  ImmunizationRecommendation: e(['patient']),
  Invoice: e(['subject'], ['recipient']),
  List: e(['subject'], ['source']),
  MeasureReport: e(['subject']),
  Media: e(['subject']),
  MedicationAdministration: e(['subject'], ['performer.actor']),
  MedicationDispense: e(['subject'], ['receiver']),
  MedicationRequest: e(['subject']),
  MedicationStatement: e(['subject']),
  MolecularSequence: e(['patient']),
  NutritionOrder: e(['patient']),
  Observation: e(['subject'], ['performer']),
  Person: e([], ['link.target']),
  Procedure: e(['subject'], ['performer.actor']),
  Provenance: e([], ['target']),
  QuestionnaireResponse: e(['subject'], ['author']),
  RelatedPerson: e(['patient']),
  RequestGroup: e(['subject'], ['action.participant']),
  ResearchSubject: e(['individual']),
  RiskAssessment: e(['subject']),
  Schedule: e([], ['actor']),
  ServiceRequest: e(['subject'], ['performer']),
  Specimen: e(['subject']),
  SupplyDelivery: e(['patient']),
  SupplyRequest: e([], ['requester']),
  VisionPrescription: e(['patient']),
};

/**
 * Types that carry no patient's data (directories and catalogues). A patient-scoped token may read them when its
 * scopes name the type; they are never in any patient's compartment and never reach one through a search.
 */
export const REFERENCE_DATA_TYPES: ReadonlySet<string> = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Medication',
  'Substance',
]);

export const isCompartmentType = (type: string) => type === 'Patient' || type in PATIENT_COMPARTMENT;

const PATIENT_REF = new RegExp(`^Patient/(${FHIR_ID_PATTERN})(?:/_history/${FHIR_ID_PATTERN})?$`);

/** The patient id of a relative `Patient/<id>` reference (absolute, contained and urn: references never count). */
export function patientIdOfReference(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  return PATIENT_REF.exec(ref)?.[1];
}

/** Values at a dotted element path, flattening arrays on the way. */
function valuesAt(node: unknown, path: readonly string[]): unknown[] {
  if (node === undefined || node === null) return [];
  if (Array.isArray(node)) return node.flatMap((n) => valuesAt(n, path));
  if (path.length === 0) return [node];
  if (typeof node !== 'object') return [];
  return valuesAt((node as Record<string, unknown>)[path[0]!], path.slice(1));
}

/** Every string `reference` found at these paths (a Reference or an array of them). */
function referencesAt(resource: object, paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    for (const v of valuesAt(resource, p.split('.'))) {
      const ref = (v as { reference?: unknown } | null)?.reference;
      if (typeof ref === 'string') out.push(ref);
    }
  }
  return out;
}

function patientIdsAt(resource: object, paths: readonly string[]): string[] {
  return referencesAt(resource, paths)
    .map(patientIdOfReference)
    .filter((x): x is string => !!x);
}

/**
 * The patients whose compartment a resource is in (after the primary-subject hardening above): the Patient
 * itself, the patient(s) of its primary paths, or otherwise of its other paths. Empty for other types.
 */
export function compartmentPatients(resource: { resourceType?: string; id?: string } | undefined): string[] {
  if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') return [];
  if (resource.resourceType === 'Patient') return typeof resource.id === 'string' ? [resource.id] : [];
  const entry = PATIENT_COMPARTMENT[resource.resourceType];
  if (!entry) return [];
  const primary = patientIdsAt(resource, entry.primary);
  if (primary.length) return [...new Set(primary)];
  return [...new Set(patientIdsAt(resource, entry.other))];
}

/** Every patient named through any compartment path, primary or other (writes must be allowed for all). */
export function allPatientRefs(resource: { resourceType?: string; id?: string } | undefined): string[] {
  if (!resource || typeof resource.resourceType !== 'string') return [];
  if (resource.resourceType === 'Patient') return typeof resource.id === 'string' ? [resource.id] : [];
  const entry = PATIENT_COMPARTMENT[resource.resourceType];
  if (!entry) return [];
  return [...new Set(patientIdsAt(resource, [...entry.primary, ...entry.other]))];
}

/** Does any compartment reference of this resource (primary or other) name a patient other than `patientId`? */
export function referencesOtherPatient(resource: { resourceType?: string } | undefined, patientId: string): boolean {
  if (!resource || typeof resource.resourceType !== 'string') return false;
  if (resource.resourceType === 'Patient') return (resource as { id?: string }).id !== patientId;
  const entry = PATIENT_COMPARTMENT[resource.resourceType];
  if (!entry) return false;
  return patientIdsAt(resource, [...entry.primary, ...entry.other]).some((id) => id !== patientId);
}

/**
 * Is this resource in the patient's compartment? A Patient only when it is that patient; other compartment types
 * through their reference params (see the header); every contained resource must not point at another patient and
 * contained Patients are refused (their identity cannot be checked). Types outside the compartment: false.
 */
export function inPatientCompartment(
  resource: { resourceType?: string; id?: string; contained?: unknown } | undefined,
  patientId: string,
): boolean {
  if (!resource || typeof resource !== 'object') return false;
  const patients = compartmentPatients(resource);
  if (patients.length === 0 || patients.some((p) => p !== patientId)) return false;
  return containedAreSafe(resource, patientId);
}

/** Contained resources inside an otherwise allowed resource: no Patient, no reference to another patient. */
export function containedAreSafe(resource: { contained?: unknown }, patientId: string): boolean {
  const contained = resource.contained;
  if (contained === undefined) return true;
  if (!Array.isArray(contained)) return false;
  return contained.every(
    (c: { resourceType?: string }) =>
      c && typeof c === 'object' && c.resourceType !== 'Patient' && !referencesOtherPatient(c, patientId),
  );
}

/** Every reference string at the type's primary compartment paths (subject, patient, beneficiary...). */
export function primaryReferences(resource: { resourceType?: string }): string[] {
  const entry = typeof resource?.resourceType === 'string' ? PATIENT_COMPARTMENT[resource.resourceType] : undefined;
  return entry ? referencesAt(resource, entry.primary) : [];
}

/** The primary compartment paths of a type (what a write must set to the patient in context). */
export function primaryPaths(type: string): readonly string[] {
  return PATIENT_COMPARTMENT[type]?.primary ?? [];
}
