import { latestVitals, splitChartBundle } from './patient-summary';

const obs = (id: string, code: string, value: number, at: string): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: at,
  valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
});

describe('latestVitals', () => {
  it('keeps the newest observation per LOINC code', () => {
    const v = latestVitals([
      obs('a', '8867-4', 80, '2024-03-02'),
      obs('b', '8867-4', 70, '2024-03-01'),
      obs('c', '9279-1', 16, '2024-03-01'),
    ]);
    expect(v.map((x) => [x.id, x.value])).toEqual([
      ['a', 80],
      ['c', 16],
    ]);
  });
  it('carries blood pressure components', () => {
    const bp: fhir4.Observation = {
      resourceType: 'Observation',
      id: 'bp',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 120, code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 80, code: 'mm[Hg]' } },
      ],
    };
    expect(latestVitals([bp])[0]!.components).toEqual([
      { code: '8480-6', value: 120, unit: 'mm[Hg]' },
      { code: '8462-4', value: 80, unit: 'mm[Hg]' },
    ]);
  });
});

describe('splitChartBundle', () => {
  it('keeps active problems and medications, real allergies and active coverage', () => {
    const entry = (resource: fhir4.FhirResource): fhir4.BundleEntry => ({ resource });
    const cond = (id: string, status: string, recordedDate: string): fhir4.Condition => ({
      resourceType: 'Condition',
      id,
      subject: { reference: 'Patient/p' },
      clinicalStatus: { coding: [{ code: status }] },
      recordedDate,
    });
    const med = (id: string, status: fhir4.MedicationRequest['status']): fhir4.MedicationRequest => ({
      resourceType: 'MedicationRequest',
      id,
      status,
      intent: 'order',
      subject: { reference: 'Patient/p' },
    });
    const out = splitChartBundle({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        entry({ resourceType: 'Patient', id: 'p' }),
        entry(cond('c1', 'active', '2020-01-01')),
        entry(cond('c2', 'resolved', '2021-01-01')),
        entry(cond('c3', 'relapse', '2022-01-01')),
        entry(med('m1', 'active')),
        entry(med('m2', 'stopped')),
        entry({
          resourceType: 'AllergyIntolerance',
          id: 'a1',
          patient: { reference: 'Patient/p' },
          verificationStatus: { coding: [{ code: 'refuted' }] },
        }),
        entry({ resourceType: 'AllergyIntolerance', id: 'a2', patient: { reference: 'Patient/p' } }),
        entry({
          resourceType: 'AllergyIntolerance',
          id: 'a3',
          patient: { reference: 'Patient/p' },
          clinicalStatus: { coding: [{ code: 'inactive' }] },
        }),
        entry({
          resourceType: 'AllergyIntolerance',
          id: 'nka',
          patient: { reference: 'Patient/p' },
          code: { coding: [{ system: 'http://snomed.info/sct', code: '716186003' }] },
          clinicalStatus: { coding: [{ code: 'inactive' }] },
        }),
        entry({
          resourceType: 'Coverage',
          id: 'v1',
          status: 'active',
          beneficiary: { reference: 'Patient/p' },
          payor: [],
        }),
        entry({
          resourceType: 'Coverage',
          id: 'v2',
          status: 'cancelled',
          beneficiary: { reference: 'Patient/p' },
          payor: [],
        }),
      ],
    });
    expect(out.patient?.id).toBe('p');
    expect(out.problems.map((c) => c.id)).toEqual(['c3', 'c1']);
    expect(out.medications.map((m) => m.id)).toEqual(['m1']);
    expect(out.allergies.map((a) => a.id)).toEqual(['a2']);
    expect(out.allergyState).toBe('has-allergies');
    expect(out.coverage.map((c) => c.id)).toEqual(['v1']);
  });

  it('tells "no known allergies" (a current NKA statement) from "not recorded" (nothing current)', () => {
    const bundle = (allergies: fhir4.AllergyIntolerance[]): fhir4.Bundle => ({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: { resourceType: 'Patient', id: 'p' } }, ...allergies.map((resource) => ({ resource }))],
    });
    const nka: fhir4.AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: 'nka',
      patient: { reference: 'Patient/p' },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '716186003' }] },
    };
    expect(splitChartBundle(bundle([nka]))).toMatchObject({ allergies: [], allergyState: 'no-known-allergies' });
    expect(splitChartBundle(bundle([]))).toMatchObject({ allergies: [], allergyState: 'not-recorded' });
    const withdrawn = { ...nka, verificationStatus: { coding: [{ code: 'entered-in-error' }] } };
    expect(splitChartBundle(bundle([withdrawn])).allergyState).toBe('not-recorded');
  });
});
