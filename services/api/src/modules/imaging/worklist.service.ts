import type { ImagingWorklist, ImagingWorklistFilter } from '@wintehr/contracts';
import type { AppDeps } from '../../core/deps';
import { patientOfStudy } from './imaging-study';
import { RAD_REPORT_SEARCH } from './radiology-report';
import { buildWorklist, includedByRef } from './worklist';

/** How many of the newest available studies one worklist read looks at (one HAPI page). */
export const WORKLIST_SCAN = 200;
/** Patients per report search: keeps the `subject=` list well inside a URL. */
const PATIENT_CHUNK = 50;
/** Reports read per chunk of patients; far above what 50 charts hold on the demo and test data. */
const REPORTS_PER_CHUNK = 2000;

/**
 * The reading worklist in 1 + ceil(patients / 50) HAPI searches: the newest studies with their Patient, order and
 * orderer included, then the radiology reports of the patients on that page (matched to studies as the chart does).
 */
export async function loadWorklist(
  deps: Pick<AppDeps, 'fhir'>,
  filter: ImagingWorklistFilter,
): Promise<ImagingWorklist> {
  const bundle = await deps.fhir.search('ImagingStudy', {
    status: 'available',
    _sort: '-_lastUpdated',
    _count: WORKLIST_SCAN,
    _include: ['ImagingStudy:patient', 'ImagingStudy:basedon'],
    '_include:iterate': 'ServiceRequest:requester',
  });
  const studies = (bundle.entry ?? [])
    .filter((e) => e.search?.mode !== 'include' && e.resource?.resourceType === 'ImagingStudy')
    .map((e) => e.resource as fhir4.ImagingStudy);
  // The same reading of the subject as the rows use: a study whose patient cannot be told gets no row, nor a search.
  const patients = [...new Set(studies.map(patientOfStudy).filter((id): id is string => id !== undefined))];
  const reports: fhir4.DiagnosticReport[] = [];
  for (let i = 0; i < patients.length; i += PATIENT_CHUNK) {
    const chunk = patients.slice(i, i + PATIENT_CHUNK);
    reports.push(
      ...(await deps.fhir.searchAll(
        'DiagnosticReport',
        { ...RAD_REPORT_SEARCH, subject: chunk.map((p) => `Patient/${p}`).join(',') },
        REPORTS_PER_CHUNK,
      )),
    );
  }
  return {
    status: filter,
    scanned: studies.length,
    truncated: !!bundle.link?.some((l) => l.relation === 'next'),
    items: buildWorklist(studies, includedByRef(bundle.entry), reports, filter),
  };
}
