import type { PortalRecord } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import {
  allergiesView,
  immunizationsView,
  medicationsView,
  notesView,
  problemsView,
  visitsView,
  vitalsView,
} from './record-view';

/** Enough of each list for a portal page; a patient with more downloads the full record. */
const LIST_CAP = 500;
const RECENT_VISITS = 25;
const RECENT_NOTES = 50;

/** The patient's own record for the portal, read from HAPI in parallel (one search per kind). */
export async function portalRecord(deps: Pick<AppDeps, 'fhir'>, patientId: string): Promise<PortalRecord> {
  const subject = `Patient/${patientId}`;
  const [conditions, meds, allergies, immunizations, vitals, visits, notes] = await Promise.all([
    deps.fhir.searchAll('Condition', { patient: subject, _count: 200 }, LIST_CAP),
    deps.fhir.searchAll('MedicationRequest', { patient: subject, status: 'active,on-hold', _count: 200 }, LIST_CAP),
    deps.fhir.searchAll('AllergyIntolerance', { patient: subject, _count: 200 }, LIST_CAP),
    deps.fhir.searchAll('Immunization', { patient: subject, _sort: '-date', _count: 200 }, LIST_CAP),
    deps.fhir.searchResources('Observation', {
      patient: subject,
      category: 'vital-signs',
      _sort: '-date',
      _count: 100,
    }),
    deps.fhir.searchResources('Encounter', {
      patient: subject,
      status: 'finished',
      _sort: '-date',
      _count: RECENT_VISITS,
    }),
    deps.fhir.searchResources('DocumentReference', {
      patient: subject,
      status: 'current',
      _sort: '-date',
      _count: RECENT_NOTES,
    }),
  ]);
  return {
    problems: problemsView(conditions),
    medications: medicationsView(meds),
    allergies: allergiesView(allergies),
    immunizations: immunizationsView(immunizations),
    vitals: vitalsView(vitals),
    visits: visitsView(visits),
    notes: notesView(notes),
  };
}
