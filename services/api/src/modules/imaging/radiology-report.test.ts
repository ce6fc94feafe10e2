import { buildRadiologyReport, isRadiologyReport, signRadiologyReport } from './radiology-report';

const study: fhir4.ImagingStudy = {
  resourceType: 'ImagingStudy',
  id: 'is1',
  status: 'available',
  subject: { reference: 'Patient/p1' },
  basedOn: [{ reference: 'ServiceRequest/sr1' }],
  started: '2026-01-01',
  description: 'CT CHEST',
};
const rad = { reference: 'Practitioner/rad1' };
const now = new Date('2026-02-01T10:00:00Z');

describe('radiology reports', () => {
  it('is a preliminary RAD report on the study, by its interpreter', () => {
    const r = buildRadiologyReport(study, { conclusion: 'No nodules.', findings: 'Lungs clear.' }, rad, now);
    expect(r).toMatchObject({
      status: 'preliminary',
      subject: { reference: 'Patient/p1' },
      imagingStudy: [{ reference: 'ImagingStudy/is1' }],
      basedOn: [{ reference: 'ServiceRequest/sr1' }],
      performer: [rad],
      resultsInterpreter: [rad],
      conclusion: 'No nodules.',
    });
    expect(isRadiologyReport(r)).toBe(true);
    expect(Buffer.from(r.presentedForm![0]!.data!, 'base64').toString()).toBe('Lungs clear.');
  });

  it('signs only a preliminary report, only by its interpreter', () => {
    const r = buildRadiologyReport(study, { conclusion: 'Normal.' }, rad, now);
    const signed = signRadiologyReport(r, rad, now);
    expect(signed).toEqual({ ok: true, report: { ...r, status: 'final', issued: '2026-02-01T10:00:00.000Z' } });
    expect(signRadiologyReport(r, { reference: 'Practitioner/other' }, now)).toEqual({
      ok: false,
      reason: 'NOT_INTERPRETER',
    });
    if (signed.ok)
      expect(signRadiologyReport(signed.report, rad, now)).toEqual({ ok: false, reason: 'NOT_PRELIMINARY' });
  });
});
