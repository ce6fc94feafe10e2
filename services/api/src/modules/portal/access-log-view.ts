import type { PortalAccessEntry } from '@wintehr/contracts';

/** One audit row about the patient, joined with the user's display name (no internal ids leave this file). */
export interface AccessRow {
  occurredAt: string;
  displayName: string | null;
  role: string | null;
  action: string;
  resourceType: string | null;
  purposeOfUse: string | null;
  /** The relationship of a proxy (parent, guardian, caregiver) when the access was made acting for the patient. */
  proxyRelationship?: string | null;
}

/**
 * Audit actions that are not someone opening or changing the chart: signing in to an app, a token exchange, or an
 * administrator reviewing the break-glass queue. Kept out in SQL so pages stay full.
 */
export const NOT_CHART_ACCESS = ['smart.authorize', 'smart.token', 'break-glass.review', 'audit.query'] as const;

const READ_VERB =
  /\.(read|vread|list|search|view|summary|everything|timeline|page|trend|flowsheet|critical-worklist|operation|history-instance|history-type|check-interactions|use)$/;

export function accessKind(action: string, purposeOfUse: string | null): PortalAccessEntry['kind'] {
  if (purposeOfUse === 'ETREAT' || action.startsWith('break-glass.')) return 'break-glass';
  return READ_VERB.test(action) ? 'read' : 'write';
}

const BY_RESOURCE: Record<string, string> = {
  Patient: 'Your chart',
  Observation: 'Results and vital signs',
  DiagnosticReport: 'Results',
  MedicationRequest: 'Medications',
  MedicationStatement: 'Medications',
  MedicationAdministration: 'Medications given',
  MedicationDispense: 'Medications dispensed',
  Condition: 'Problems',
  AllergyIntolerance: 'Allergies',
  Immunization: 'Immunizations',
  DocumentReference: 'Notes',
  Composition: 'Notes',
  Encounter: 'Visits',
  Appointment: 'Appointments',
  ServiceRequest: 'Orders',
  Communication: 'Messages',
  Coverage: 'Insurance',
  ImagingStudy: 'Imaging',
  Task: 'Tasks',
};
const BY_ACTION_PREFIX: Record<string, string> = {
  patient: 'Your chart',
  problem: 'Problems',
  allergy: 'Allergies',
  medication: 'Medications',
  'medication-statement': 'Medications',
  pharmacy: 'Prescriptions at the pharmacy',
  result: 'Results',
  vitals: 'Vital signs',
  immunization: 'Immunizations',
  note: 'Notes',
  order: 'Orders',
  imaging: 'Imaging',
  encounter: 'Visits',
  appointment: 'Appointments',
  mar: 'Medications given',
  eligibility: 'Insurance',
  coverage: 'Insurance',
  'break-glass': 'Your chart (emergency access)',
  inbasket: 'Messages and requests',
};

const ROLE_LABEL: Record<string, string> = {
  physician: 'Physician',
  nurse: 'Nurse',
  pharmacist: 'Pharmacist',
  lab_technician: 'Lab technician',
  radiologist: 'Radiologist',
  admin: 'Administrator',
  patient: 'Patient',
};

const PROXY_LABEL: Record<string, string> = {
  parent: 'parent/guardian',
  guardian: 'parent/guardian',
  caregiver: 'caregiver',
};

/** What a row says to the patient: who (name and role), when, what kind of access, and to what. */
export function accessEntryOf(row: AccessRow): PortalAccessEntry {
  const proxy = row.proxyRelationship ? (PROXY_LABEL[row.proxyRelationship] ?? row.proxyRelationship) : undefined;
  const role = proxy ? `Proxy (${proxy})` : row.role ? (ROLE_LABEL[row.role] ?? row.role) : 'System';
  const prefix = row.action.split('.')[0]!;
  const name = row.displayName?.trim();
  return {
    at: row.occurredAt,
    who: proxy
      ? `Your ${proxy}${name ? ` ${name}` : ''}`
      : name || (row.role ? `A ${role.toLowerCase()}` : 'WintEHR system'),
    role,
    kind: accessKind(row.action, row.purposeOfUse),
    what: (row.resourceType ? BY_RESOURCE[row.resourceType] : undefined) ?? BY_ACTION_PREFIX[prefix] ?? 'Your record',
  };
}
