import { ageInYears, ckdEpi2021, contextFromPrefetch, medRefOf } from './patient-safety-context';

const NOW = new Date('2026-11-23T12:00:00Z');
const RX = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const bundle = (...resources: fhir4.FhirResource[]): fhir4.Bundle => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map((resource) => ({ resource })),
});
const mr = (
  id: string,
  status: fhir4.MedicationRequest['status'],
  extra: Partial<fhir4.MedicationRequest> = {},
): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status,
  intent: 'order',
  subject: { reference: 'Patient/1' },
  medicationCodeableConcept: { coding: [{ system: RX, code: '198211', display: 'simvastatin 40 MG' }] },
  ...extra,
});
const obs = (code: string, value: number, unit: string, date: string): fhir4.Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: date,
  valueQuantity: { value, unit, code: unit },
});

describe('ageInYears', () => {
  it.each([
    ['1966-11-23', 60],
    ['1966-11-24', 59],
    [`1966`, 60],
    ['1966-12', 59],
    [undefined, undefined],
    ['garbage', undefined], // `1966`: a year, kept out of kb-integrity's RxNorm scan
  ] as const)('%s → %s', (birth, age) => expect(ageInYears(birth, NOW)).toBe(age));
});

describe('ckdEpi2021', () => {
  it('matches published reference values', () => {
    expect(ckdEpi2021(1.0, 60, 'male')).toBe(86);
    expect(ckdEpi2021(1.0, 60, 'female')).toBe(64);
    expect(ckdEpi2021(2.5, 75, 'male')).toBe(26);
  });
});

describe('medRefOf', () => {
  it('resolves CodeableConcepts, contained and included Medications; keeps the display of unresolvable ones', () => {
    expect(medRefOf(mr('a', 'active'))).toEqual({
      id: 'MedicationRequest/a',
      codings: [{ system: RX, code: '198211', display: 'simvastatin 40 MG' }],
      display: 'simvastatin 40 MG',
    });
    const contained = mr('b', 'active', {
      medicationCodeableConcept: undefined,
      medicationReference: { reference: '#m' },
      contained: [{ resourceType: 'Medication', id: 'm', code: { coding: [{ system: RX, code: '197517' }] } }],
    });
    expect(medRefOf(contained).codings).toEqual([{ system: RX, code: '197517' }]);
    const included = mr('c', 'active', {
      medicationCodeableConcept: undefined,
      medicationReference: { reference: 'http://h/fhir/Medication/9/_history/2' },
    });
    expect(
      medRefOf(
        included,
        new Map([
          ['Medication/9', { resourceType: 'Medication', id: '9', code: { coding: [{ system: RX, code: '314076' }] } }],
        ]),
      ).codings,
    ).toEqual([{ system: RX, code: '314076' }]);
    expect(
      medRefOf(
        mr('d', 'active', {
          medicationCodeableConcept: undefined,
          medicationReference: { reference: 'Medication/404', display: 'Something' },
        }),
      ),
    ).toEqual({ id: 'MedicationRequest/d', codings: [], display: 'Something' });
  });
});

describe('contextFromPrefetch', () => {
  it('keeps active orders and statements, medication allergies, and derives age, sex, weight and eGFR', () => {
    const ctx = contextFromPrefetch(
      {
        patient: { resourceType: 'Patient', gender: 'female', birthDate: '1950-01-01' },
        medicationRequests: bundle(
          mr('a', 'active'),
          mr('b', 'stopped'),
          mr('c', 'on-hold'),
          mr('p', 'active', { intent: 'proposal' }),
        ),
        medicationStatements: bundle({
          resourceType: 'MedicationStatement',
          id: 's',
          status: 'active',
          subject: { reference: 'Patient/1' },
          medicationCodeableConcept: { text: 'fish oil' },
        }),
        allergies: bundle(
          {
            resourceType: 'AllergyIntolerance',
            id: 'x',
            patient: { reference: 'Patient/1' },
            category: ['medication'],
            criticality: 'high',
            code: { coding: [{ system: 'http://snomed.info/sct', code: '91936005' }] },
            verificationStatus: { coding: [{ code: 'confirmed' }] },
            clinicalStatus: { coding: [{ code: 'active' }] },
          },
          {
            resourceType: 'AllergyIntolerance',
            id: 'food',
            patient: { reference: 'Patient/1' },
            category: ['food'],
            code: { text: 'peanut' },
          },
        ),
        observations: bundle(
          obs('29463-7', 150, '[lb_av]', '2026-10-01'),
          obs('29463-7', 70, 'kg', '2025-01-01'),
          obs('2160-0', 1.0, 'mg/dL', '2026-11-01'),
        ),
      },
      NOW,
    );
    expect(ctx.active.map((m) => m.id)).toEqual([
      'MedicationRequest/a',
      'MedicationRequest/c',
      'MedicationStatement/s',
    ]);
    expect(ctx.activeIds).toEqual(['MedicationRequest/a', 'MedicationRequest/c', 'MedicationStatement/s']);
    expect(ctx.allergies).toEqual([
      {
        id: 'AllergyIntolerance/x',
        codings: [{ system: 'http://snomed.info/sct', code: '91936005' }],
        criticality: 'high',
        verificationStatus: 'confirmed',
        clinicalStatus: 'active',
      },
    ]);
    expect(ctx.patient).toEqual({ ageYears: 76, sex: 'female', weightKg: 68, egfr: ckdEpi2021(1.0, 76, 'female') });
  });

  it('prefers a measured eGFR to one computed from creatinine, and tolerates missing data', () => {
    const ctx = contextFromPrefetch(
      {
        observations: bundle(
          obs('98979-8', 42, 'mL/min/{1.73_m2}', '2026-11-01'),
          obs('2160-0', 3, 'mg/dL', '2026-11-02'),
        ),
      },
      NOW,
    );
    expect(ctx.patient).toEqual({ egfr: 42 });
    expect(contextFromPrefetch({ patient: null, allergies: null }, NOW)).toEqual({
      active: [],
      allergies: [],
      patient: {},
      activeIds: [],
    });
  });
});

describe('contextFromPrefetch: potassium and problem list', () => {
  it('takes the latest potassium in mmol/L or mEq/L, and flags active conditions', () => {
    const cond = (code: string, clinical = 'active'): fhir4.Condition => ({
      resourceType: 'Condition',
      subject: { reference: 'Patient/1' },
      code: { coding: [{ system: 'http://snomed.info/sct', code }] },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: clinical }],
      },
    });
    const ctx = contextFromPrefetch(
      {
        observations: bundle(
          obs('2823-3', 4.1, 'mmol/L', '2026-10-01'),
          obs('6298-4', 6.8, 'meq/L', '2026-11-20'),
          obs('98979-8', 24, 'mL/min/{1.73_m2}', '2026-11-20'),
        ),
        conditions: bundle(cond('433144002'), cond('195967001', 'resolved')),
      },
      NOW,
    );
    expect(ctx.patient).toEqual({ egfr: 24, potassium: 6.8, conditions: ['ckd'] });
  });

  it('ignores a potassium in an unknown unit', () => {
    expect(
      contextFromPrefetch({ observations: bundle(obs('2823-3', 20, 'mg/dL', '2026-11-01')) }, NOW).patient,
    ).toEqual({});
  });
});
