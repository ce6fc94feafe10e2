import { ImagingWorklistItem } from '@wintehr/contracts';
import { reportOfStudy } from './radiology-report';
import { buildWorklist, compareWorklist, includedByRef, priorityOf, reportStateOf, worklistItem } from './worklist';

const study = (id: string, over: Partial<fhir4.ImagingStudy> = {}): fhir4.ImagingStudy => ({
  resourceType: 'ImagingStudy',
  id,
  status: 'available',
  identifier: [{ system: 'urn:dicom:uid', value: `urn:oid:1.2.3.${id.length}` }],
  subject: { reference: 'Patient/p1' },
  started: '2026-01-01T10:00:00Z',
  series: [{ uid: '1.2.3.9', modality: { code: 'CT' }, numberOfInstances: 3 }],
  ...over,
});
const report = (id: string, studyId: string, status: fhir4.DiagnosticReport['status']): fhir4.DiagnosticReport => ({
  resourceType: 'DiagnosticReport',
  id,
  status,
  code: { text: 'CT' },
  imagingStudy: [{ reference: `ImagingStudy/${studyId}` }],
  resultsInterpreter: [{ reference: 'Practitioner/rad1', display: 'Dr Rad' }],
});
const patient: fhir4.Patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ given: ['Ada'], family: 'Lovelace', prefix: ['Ms'] }],
  birthDate: '1980-12-10',
  identifier: [{ system: 'urn:wintehr:mrn', value: 'MRN-0000042' }],
};
const order = (id: string, over: Partial<fhir4.ServiceRequest> = {}): fhir4.ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  code: { coding: [{ system: 'http://loinc.org', code: '36643-5', display: 'XR Chest 2 views' }] },
  requester: { reference: 'Practitioner/doc1' },
  ...over,
});
const doctor: fhir4.Practitioner = {
  resourceType: 'Practitioner',
  id: 'doc1',
  name: [{ given: ['Greg'], family: 'House', prefix: ['Dr.'] }],
};
const inc = (...rs: fhir4.FhirResource[]) =>
  includedByRef(rs.map((resource) => ({ resource, search: { mode: 'include' as const } })));

describe('radiology worklist', () => {
  it('ranks order priorities stat > asap > urgent > routine, with no order or no priority as routine', () => {
    expect(priorityOf({ priority: 'stat' })).toBe('stat');
    expect(priorityOf({ priority: 'asap' })).toBe('asap');
    expect(priorityOf({})).toBe('routine');
    expect(priorityOf(undefined)).toBe('routine');
  });

  it('maps report statuses to none / preliminary / final', () => {
    expect(reportStateOf(undefined)).toBe('none');
    expect(reportStateOf({ status: 'preliminary' })).toBe('preliminary');
    expect(reportStateOf({ status: 'registered' })).toBe('preliminary');
    expect(reportStateOf({ status: 'final' })).toBe('final');
    expect(reportStateOf({ status: 'amended' })).toBe('final');
    expect(reportStateOf({ status: 'entered-in-error' })).toBe('none');
  });

  it('builds a row from the included patient, order and orderer, and the newest report of the study', () => {
    const s = study('s1', { basedOn: [{ reference: 'ServiceRequest/o1' }], description: 'CHEST 2V' });
    const item = worklistItem(s, inc(patient, order('o1', { priority: 'urgent' }), doctor), [
      report('r2', 's1', 'preliminary'),
      report('r1', 's1', 'final'),
      report('r0', 'other', 'final'),
    ]);
    expect(ImagingWorklistItem.parse(item)).toEqual({
      id: 's1',
      studyUid: '1.2.3.2',
      patient: { id: 'p1', name: 'Ada Lovelace', birthDate: '1980-12-10', mrn: 'MRN-0000042' },
      modalities: ['CT'],
      description: 'CHEST 2V',
      started: '2026-01-01T10:00:00Z',
      numberOfSeries: 1,
      numberOfInstances: 3,
      priority: 'urgent',
      order: { id: 'o1', code: 'XR Chest 2 views', priority: 'urgent', requester: 'Dr. Greg House' },
      report: { state: 'preliminary', id: 'r2', interpreter: 'Dr Rad' },
    });
  });

  it('keeps a row whose order or patient was not included, and drops a study without a Patient subject', () => {
    const s = study('s1', { basedOn: [{ reference: 'ServiceRequest/gone' }] });
    expect(worklistItem(s, inc(), [])).toMatchObject({
      patient: { id: 'p1' },
      priority: 'routine',
      report: { state: 'none' },
    });
    expect(worklistItem(s, inc(), [])!.order).toBeUndefined();
    expect(worklistItem(study('s2', { subject: { reference: 'Group/g1' } }), inc(), [])).toBeUndefined();
  });

  it('matches reports to studies with the same rule as the chart', () => {
    const reports = [report('r2', 's2', 'final'), report('r1', 's1', 'preliminary')];
    const s1 = study('s1');
    expect(worklistItem(s1, inc(), reports)!.report.id).toBe(reportOfStudy(s1, reports)!.id);
  });

  it('sorts most urgent first, then the longest waiting, undated last within a priority', () => {
    const items = [
      { id: 'a', priority: 'routine', started: '2026-01-01T00:00:00Z' },
      { id: 'b', priority: 'stat', started: '2026-03-01T00:00:00Z' },
      { id: 'c', priority: 'urgent', started: '2026-01-05T00:00:00Z' },
      { id: 'd', priority: 'stat', started: '2026-02-01T00:00:00Z' },
      { id: 'e', priority: 'asap' },
      { id: 'f', priority: 'asap', started: '2026-04-01T00:00:00Z' },
      { id: 'g', priority: 'routine', started: '2025-12-31' },
    ] as const;
    expect([...items].sort(compareWorklist).map((i) => i.id)).toEqual(['d', 'b', 'f', 'e', 'c', 'g', 'a']);
  });

  it('shows studies without a final report as unreported, every study under all, withdrawn reports ignored', () => {
    const studies = [
      study('done'),
      study('prelim'),
      study('none'),
      study('withdrawn'),
      study('stat', { basedOn: [{ reference: 'ServiceRequest/o1' }] }),
    ];
    const reports = [
      report('r1', 'done', 'final'),
      report('r2', 'prelim', 'preliminary'),
      report('r3', 'withdrawn', 'entered-in-error'),
      report('r3b', 'withdrawn', 'final'),
    ];
    // "withdrawn" has a newer report entered in error: the older final one is what counts.
    const included = inc(order('o1', { priority: 'stat' }));
    const unreported = buildWorklist(studies, included, reports, 'unreported');
    expect(unreported.map((i) => [i.id, i.report.state])).toEqual([
      ['stat', 'none'],
      ['none', 'none'],
      ['prelim', 'preliminary'],
    ]);
    const all = buildWorklist(studies, included, reports, 'all');
    expect(all.map((i) => i.id)).toEqual(['stat', 'done', 'none', 'prelim', 'withdrawn']);
    expect(all.find((i) => i.id === 'done')!.report).toEqual({ state: 'final', id: 'r1', interpreter: 'Dr Rad' });
  });
});
