import { classifyDicomweb, rewriteDicomwebUrls } from './dicomweb-path';

const S = '1.2.840.113619.2.55.3';
const SE = '1.2.3.4.5';
const I = '1.2.3.4.5.6';

describe('DICOMweb request classification', () => {
  it.each([
    [`/studies/${S}/metadata`, 'study'],
    [`/studies/${S}/series`, 'study'],
    [`/studies/${S}/series/${SE}/metadata`, 'series'],
    [`/studies/${S}/series/${SE}/instances`, 'series'],
    [`/studies/${S}/series/${SE}/instances/${I}/metadata`, 'instance'],
    [`/studies/${S}/series/${SE}/instances/${I}/frames/1`, 'frames'],
    [`/studies/${S}/series/${SE}/instances/${I}/frames/1,2`, 'frames'],
    [`/studies/${S}/series/${SE}/instances/${I}/rendered`, 'rendered'],
  ])('%s names study %s', (path, level) => {
    expect(classifyDicomweb('GET', path, {})).toEqual({ kind: 'study', studyUid: S, path, level });
  });

  it('pins root searches to one study or one exact patient', () => {
    expect(classifyDicomweb('GET', '/studies', { StudyInstanceUID: S })).toMatchObject({ kind: 'study', studyUid: S });
    expect(classifyDicomweb('GET', '/series', { '0020000D': S })).toMatchObject({ kind: 'study', studyUid: S });
    expect(classifyDicomweb('GET', '/studies', { PatientID: 'MRN-000001' })).toEqual({
      kind: 'patient-search',
      patientMrn: 'MRN-000001',
      path: '/studies',
    });
    expect(classifyDicomweb('GET', '/studies', { '00100020': 'MRN-000001', PatientID: 'MRN-000001' })).toMatchObject({
      kind: 'patient-search',
    });
  });

  it.each([
    ['no filter', {}],
    ['a wildcard patient', { PatientID: 'MRN*' }],
    ['a ? wildcard', { PatientID: 'MRN-00000?' }],
    ['two patients', { PatientID: 'MRN-1', '00100020': 'MRN-2' }],
    ['a patient list', { PatientID: ['MRN-1', 'MRN-2'] }],
    ['a study list', { StudyInstanceUID: `${S},1.2.3` }],
    ['fuzzy matching', { PatientID: 'MRN-1', fuzzymatching: 'true' }],
    ['an empty patient', { PatientID: '' }],
  ])('refuses a root search with %s', (_what, query) => {
    expect(classifyDicomweb('GET', '/studies', query)).toMatchObject({ kind: 'refused', status: 400 });
  });

  it('refuses writes and unknown resources', () => {
    expect(classifyDicomweb('POST', '/studies', {})).toMatchObject({ kind: 'refused', status: 400 });
    expect(classifyDicomweb('DELETE', `/studies/${S}`, {})).toMatchObject({ kind: 'refused' });
    expect(classifyDicomweb('GET', '/patients', {})).toMatchObject({ kind: 'refused', status: 404 });
    expect(classifyDicomweb('GET', '/studies/../system', {})).toMatchObject({ kind: 'refused', status: 404 });
    expect(classifyDicomweb('GET', `/studies/${S}/series/x`, {})).toMatchObject({ kind: 'refused', status: 404 });
  });

  it("rewrites Orthanc's own URLs to the façade's", () => {
    const body = `{"BulkDataURI":"http://localhost:8042/dicom-web/studies/${S}/series/${SE}"}`;
    expect(rewriteDicomwebUrls(body, 'https://ehr.example/dicomweb')).toBe(
      `{"BulkDataURI":"https://ehr.example/dicomweb/studies/${S}/series/${SE}"}`,
    );
  });
});
