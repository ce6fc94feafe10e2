import { EXT_SAFETY_OVERRIDE } from '../drug-safety';
import { kb } from '../drug-safety/test-helpers.test-util';
import { allergyView, lookupDrugs, prescriberOverrides, sigDetail } from './pharmacist-view';

const mr = (extra: Partial<fhir4.MedicationRequest> = {}): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  ...extra,
});

describe('prescriberOverrides', () => {
  it('reads each override: reason, findings, rules, who and when', () => {
    const o = prescriberOverrides(
      mr({
        extension: [
          { url: 'http://example.org/other', valueString: 'x' },
          {
            url: EXT_SAFETY_OVERRIDE,
            extension: [
              { url: 'reason', valueString: 'Short course, CK monitored' },
              { url: 'finding', valueString: 'f-1' },
              { url: 'rule', valueString: 'onc-11' },
              { url: 'by', valueReference: { reference: 'Practitioner/dr1' } },
              { url: 'at', valueDateTime: '2026-01-01T00:00:00Z' },
            ],
          },
          { url: EXT_SAFETY_OVERRIDE, extension: [{ url: 'finding', valueString: 'no reason' }] },
        ],
      }),
    );
    expect(o).toEqual([
      {
        reason: 'Short course, CK monitored',
        findingIds: ['f-1'],
        ruleIds: ['onc-11'],
        by: 'Practitioner/dr1',
        at: '2026-01-01T00:00:00Z',
      },
    ]);
    expect(prescriberOverrides(mr())).toEqual([]);
  });
});

describe('sigDetail', () => {
  it('gives the written sig and the structured dosage', () => {
    const s = sigDetail(
      mr({
        dosageInstruction: [
          {
            text: '25 mg oral, 2 times per day',
            patientInstruction: 'with food',
            route: { coding: [{ code: '26643006', display: 'Oral route' }] },
            timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
            doseAndRate: [{ doseQuantity: { value: 25, unit: 'mg', code: 'mg' } }],
            asNeededCodeableConcept: { text: 'palpitations' },
          },
        ],
      }),
    );
    expect(s).toEqual({
      text: '25 mg oral, 2 times per day',
      patientInstruction: 'with food',
      dose: { value: 25, unit: 'mg' },
      route: 'Oral',
      frequency: 2,
      period: 1,
      periodUnit: 'd',
      asNeeded: 'palpitations',
    });
    expect(sigDetail(mr())).toBeUndefined();
  });
});

describe('allergyView', () => {
  const allergy = (id: string, name: string, ver: string, clin = 'active', criticality?: 'high' | 'low') =>
    ({
      resourceType: 'AllergyIntolerance',
      id,
      patient: { reference: 'Patient/p1' },
      code: { text: name },
      verificationStatus: { coding: [{ code: ver }] },
      clinicalStatus: { coding: [{ code: clin }] },
      ...(criticality ? { criticality } : {}),
      reaction: [{ manifestation: [{ text: 'Hives' }], severity: 'moderate' }],
    }) satisfies fhir4.AllergyIntolerance;

  it('leaves out entered-in-error and refuted ones and puts active, critical allergies first', () => {
    const v = allergyView([
      allergy('a1', 'Sulfa', 'confirmed', 'resolved'),
      allergy('a2', 'Penicillin', 'confirmed', 'active', 'high'),
      allergy('a3', 'Latex', 'entered-in-error'),
      allergy('a4', 'Codeine', 'refuted'),
      allergy('a5', 'Aspirin', 'unconfirmed'),
    ]);
    expect(v.map((a) => a.substance)).toEqual(['Penicillin', 'Aspirin', 'Sulfa']);
    expect(v[0]).toMatchObject({
      criticality: 'high',
      reactions: [{ manifestations: ['Hives'], severity: 'moderate' }],
    });
  });
});

describe('lookupDrugs', () => {
  it('finds the product of an NDC written with hyphens and lists it first', () => {
    const r = lookupDrugs(kb(), '0378-0018-01');
    expect(r.byNdc).toBe(true);
    expect(r.results[0]).toMatchObject({ rxcui: '866924', ndcs: expect.arrayContaining(['00378001801']) });
    expect(r.results[0]?.ndcs[0]).toBe('00378001801');
  });

  it('searches stockable products by name, each with its package NDCs', () => {
    const r = lookupDrugs(kb(), 'metoprolol tartrate 25');
    expect(r.byNdc).toBe(false);
    expect(r.results.length).toBeGreaterThan(0);
    expect(r.results.every((h) => ['SCD', 'SBD', 'GPCK', 'BPCK'].includes(h.tty) && h.ndcs.length > 0)).toBe(true);
    expect(r.results.map((h) => h.rxcui)).toContain('866924');
  });

  it('answers an unknown NDC with nothing', () => {
    expect(lookupDrugs(kb(), '99999-9999-99').results).toEqual([]);
  });
});
