import { readDicomPart10 } from './dicom-file';
import { buildImagingStudy, dicomDateTime, patientOfStudy, studyUidOf, summarizeStudy } from './imaging-study';
import { chestXrayStudy, ctPhantomStudy } from './synthetic-dicom';

const patient = { id: 'MRN-1', name: 'Doe^Jane' };
const ct = ctPhantomStudy({ seed: 'study-ct', patient, studyDate: '20260315' }, 4, 16).map((b, i) =>
  readDicomPart10(`ct${i}`, b),
);

describe('ImagingStudy building', () => {
  it('builds series, instances, counts, identifier, links', () => {
    const s = buildImagingStudy(ct, { patientId: 'p1', endpointId: 'e1', serviceRequestId: 'sr1' });
    expect(s.identifier).toEqual([{ system: 'urn:dicom:uid', value: `urn:oid:${ct[0]!.studyUid}` }]);
    expect(s.subject).toEqual({ reference: 'Patient/p1' });
    expect(s.basedOn).toEqual([{ reference: 'ServiceRequest/sr1' }]);
    expect(s.endpoint).toEqual([{ reference: 'Endpoint/e1' }]);
    expect(s.numberOfSeries).toBe(1);
    expect(s.numberOfInstances).toBe(4);
    expect(s.series![0]!.instance!.map((i) => i.number)).toEqual([1, 2, 3, 4]);
    expect(s.modality).toEqual([{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' }]);
    expect(s.started).toBe('2026-03-15T10:15:00Z');
    expect(studyUidOf(s)).toBe(ct[0]!.studyUid);
    expect(patientOfStudy(s)).toBe('p1');
  });

  it('merges a second upload into the existing study without duplicating instances', () => {
    const first = buildImagingStudy(ct.slice(0, 2), { patientId: 'p1' });
    const merged = buildImagingStudy(
      ct.slice(1),
      { patientId: 'p1' },
      { ...first, id: 'is1', basedOn: [{ reference: 'ServiceRequest/x' }] },
    );
    expect(merged.id).toBe('is1');
    expect(merged.numberOfInstances).toBe(4);
    expect(merged.basedOn).toEqual([{ reference: 'ServiceRequest/x' }]);
  });

  it('summarizes a two-series radiograph with its report', () => {
    const xr = chestXrayStudy({ seed: 'study-xr', patient }, 16).map((b, i) => readDicomPart10(`x${i}`, b));
    const s = { ...buildImagingStudy(xr, { patientId: 'p1' }), id: 'is2' };
    const summary = summarizeStudy(s, {
      resourceType: 'DiagnosticReport',
      id: 'r1',
      status: 'final',
      code: {},
      conclusion: 'No acute disease.',
      resultsInterpreter: [{ reference: 'Practitioner/rad', display: 'dr.rad' }],
    });
    expect(summary).toMatchObject({
      id: 'is2',
      modalities: ['DX'],
      numberOfSeries: 2,
      numberOfInstances: 2,
      report: { id: 'r1', status: 'final', conclusion: 'No acute disease.', interpreter: 'dr.rad' },
    });
    expect(summary.series.map((x) => x.description)).toEqual(['PA', 'LATERAL']);
  });

  it('converts DICOM dates and ignores malformed ones', () => {
    expect(dicomDateTime('20260101')).toBe('2026-01-01');
    expect(dicomDateTime('2026-01-01')).toBeUndefined();
    expect(dicomDateTime(undefined)).toBeUndefined();
  });
});
