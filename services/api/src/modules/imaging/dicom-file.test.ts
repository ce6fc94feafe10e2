import {
  DicomFileError,
  dicomPersonName,
  identityMismatches,
  readDicomPart10,
  relabelDicom,
  singleStudy,
} from './dicom-file';
import { chestXrayStudy, ctPhantomStudy, derivedUid } from './synthetic-dicom';

const patient = { id: 'MRN-000123', name: 'Doe^Jane' };

describe('DICOM Part 10 checks', () => {
  it('reads the identifiers of a synthetic CT slice', () => {
    const [first] = ctPhantomStudy({ seed: 'unit-ct', patient }, 3, 16);
    const i = readDicomPart10('ct-1.dcm', first!);
    expect(i).toMatchObject({
      file: 'ct-1.dcm',
      patientId: 'MRN-000123',
      patientName: 'Doe^Jane',
      modality: 'CT',
      instanceNumber: 1,
      studyUid: derivedUid('unit-ct', 'study'),
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      numberOfFrames: 1,
    });
    expect(i.seriesUid).not.toBe(i.studyUid);
  });

  it('refuses a file without the DICM prefix, naming it', () => {
    expect(() => readDicomPart10('notes.txt', Buffer.from('hello, not DICOM'.repeat(20)))).toThrow(DicomFileError);
    try {
      readDicomPart10('notes.txt', Buffer.alloc(200));
    } catch (err) {
      expect((err as DicomFileError).file).toBe('notes.txt');
      expect((err as Error).message).toMatch(/DICM/);
    }
  });

  it('refuses a truncated file and one whose study UID is not a UID', () => {
    const [slice] = ctPhantomStudy({ seed: 'unit-trunc', patient }, 1, 16);
    expect(() => readDicomPart10('cut.dcm', slice!.subarray(0, 140))).toThrow(DicomFileError);
    const text = slice!.toString('latin1');
    const uid = derivedUid('unit-trunc', 'study');
    const bad = Buffer.from(text.replace(uid, 'X'.repeat(uid.length)), 'latin1');
    expect(() => readDicomPart10('bad-uid.dcm', bad)).toThrow(/StudyInstanceUID/);
  });

  it('re-labels PatientID and PatientName and keeps the UIDs', () => {
    const [slice] = ctPhantomStudy({ seed: 'unit-relabel', patient: { id: 'OTHER-1', name: 'Other^Person' } }, 1, 16);
    const before = readDicomPart10('a.dcm', slice!);
    const after = readDicomPart10('a.dcm', relabelDicom(slice!, patient));
    expect(after).toEqual({ ...before, patientId: 'MRN-000123', patientName: 'Doe^Jane' });
  });

  it('finds identity mismatches and mixed studies', () => {
    const a = ctPhantomStudy({ seed: 's1', patient }, 2, 16).map((b, n) => readDicomPart10(`a${n}`, b));
    const b = chestXrayStudy({ seed: 's2', patient: { id: 'MRN-999', name: 'X^Y' } }, 16).map((x, n) =>
      readDicomPart10(`b${n}`, x),
    );
    expect(identityMismatches([...a, ...b], 'MRN-000123').map((i) => i.file)).toEqual(['b0', 'b1']);
    expect(singleStudy(a)).toEqual({ uid: derivedUid('s1', 'study') });
    expect(singleStudy([...a, ...b])).toEqual({ uids: [derivedUid('s1', 'study'), derivedUid('s2', 'study')] });
  });

  it('writes a FHIR name as DICOM PN', () => {
    expect(dicomPersonName({ family: 'Garcia', given: ['Maria', 'Elena'] })).toBe('Garcia^Maria Elena');
    expect(dicomPersonName({ family: 'Smith' })).toBe('Smith');
    expect(dicomPersonName(undefined)).toBe('');
  });
});
