import { prefetchUrl } from './fhir-fetch';
import { expectedType, prefetchShapeErrors } from './prefetch';
import { prefetchQuery, resolvePrefetchTemplate } from './prefetch-template';

const ctx = { patientId: 'p-1', userId: 'Practitioner/dr.1', encounterId: 'e1', selections: ['MedicationRequest/a', 'MedicationRequest/b'] };

describe('resolvePrefetchTemplate', () => {
  it.each([
    ['Patient/{{context.patientId}}', 'Patient/p-1'],
    ['Encounter/{{ context.encounterId }}', 'Encounter/e1'],
    ['Practitioner/{{userPractitionerId}}', 'Practitioner/dr.1'],
    ['MedicationRequest?_id={{context.selections}}', 'MedicationRequest?_id=MedicationRequest%2Fa,MedicationRequest%2Fb'],
    ['Observation?patient={{context.patientId}}&code=http://loinc.org|2160-0', 'Observation?patient=p-1&code=http://loinc.org|2160-0'],
    ['Condition?patient={{context.patientId}}&asserter={{context.userId}}', 'Condition?patient=p-1&asserter=Practitioner%2Fdr.1'],
  ])('%s → %s', (template, out) => expect(resolvePrefetchTemplate(template, ctx)).toBe(out));

  it.each([
    'PractitionerRole/{{userPractitionerRoleId}}', // the user is a Practitioner
    'Patient/{{userPatientId}}',
    'Encounter/{{context.missing}}',
    'X/{{unknownToken}}',
  ])('%s is unresolvable', (template) => expect(resolvePrefetchTemplate(template, ctx)).toBeUndefined());

  it('encodes values so a context value cannot inject query parameters', () => {
    expect(resolvePrefetchTemplate('Patient?_id={{context.patientId}}', { patientId: 'x&_count=1' })).toBe('Patient?_id=x%26_count%3D1');
  });
});

describe('prefetchQuery', () => {
  it('keeps tokens and commas readable, encodes the rest', () => {
    expect(prefetchQuery('Observation', { patient: '{{context.patientId}}', code: 'http://loinc.org|1,http://loinc.org|2', _count: 5 }))
      .toBe('Observation?patient={{context.patientId}}&code=http%3A%2F%2Floinc.org%7C1,http%3A%2F%2Floinc.org%7C2&_count=5');
  });
});

describe('prefetchUrl', () => {
  it.each([
    ['http://h/fhir', 'Patient/1', 'http://h/fhir/Patient/1'],
    ['https://h/fhir/', '/Patient?x=1', 'https://h/fhir/Patient?x=1'],
    ['http://h/fhir', 'http://evil/x', undefined],
    ['http://h/fhir', '//evil/x', undefined],
    ['http://h/fhir', '../admin', undefined],
    ['file:///etc', 'passwd', undefined],
    ['not a url', 'Patient/1', undefined],
  ])('%s + %s → %s', (base, rel, out) => expect(prefetchUrl(base, rel)).toBe(out));
});

describe('prefetch shape', () => {
  it('knows what each template returns', () => {
    expect(expectedType('Patient/{{context.patientId}}')).toBe('Patient');
    expect(expectedType('Observation?patient=1')).toBe('Bundle');
  });

  it('reports values of the wrong resource type; null means "no data"', () => {
    const t = { patient: 'Patient/{{context.patientId}}', meds: 'MedicationRequest?patient={{context.patientId}}' };
    expect(prefetchShapeErrors(t, { patient: null, meds: { resourceType: 'Bundle' } })).toEqual([]);
    expect(prefetchShapeErrors(t, { patient: { resourceType: 'Bundle' }, meds: { resourceType: 'MedicationRequest' } })).toEqual([
      { field: 'body.prefetch.patient', message: 'expected Patient, got Bundle' },
      { field: 'body.prefetch.meds', message: 'expected Bundle, got MedicationRequest' },
    ]);
  });
});
