import { prefetchUrl } from './fhir-fetch';
import { expectedType, usablePrefetch } from './prefetch';
import { prefetchQuery, resolvePrefetchTemplate } from './prefetch-template';

const ctx = {
  patientId: 'p-1',
  userId: 'Practitioner/dr.1',
  encounterId: 'e1',
  selections: ['MedicationRequest/a', 'MedicationRequest/b'],
};

describe('resolvePrefetchTemplate', () => {
  it.each([
    ['Patient/{{context.patientId}}', 'Patient/p-1'],
    ['Encounter/{{ context.encounterId }}', 'Encounter/e1'],
    ['Practitioner/{{userPractitionerId}}', 'Practitioner/dr.1'],
    [
      'MedicationRequest?_id={{context.selections}}',
      'MedicationRequest?_id=MedicationRequest%2Fa,MedicationRequest%2Fb',
    ],
    [
      'Observation?patient={{context.patientId}}&code=http://loinc.org|2160-0',
      'Observation?patient=p-1&code=http://loinc.org|2160-0',
    ],
    [
      'Condition?patient={{context.patientId}}&asserter={{context.userId}}',
      'Condition?patient=p-1&asserter=Practitioner%2Fdr.1',
    ],
  ])('%s → %s', (template, out) => expect(resolvePrefetchTemplate(template, ctx)).toBe(out));

  it.each([
    'PractitionerRole/{{userPractitionerRoleId}}', // the user is a Practitioner
    'Patient/{{userPatientId}}',
    'Encounter/{{context.missing}}',
    'X/{{unknownToken}}',
  ])('%s is unresolvable', (template) => expect(resolvePrefetchTemplate(template, ctx)).toBeUndefined());

  it('encodes values so a context value cannot inject query parameters', () => {
    expect(resolvePrefetchTemplate('Patient?_id={{context.patientId}}', { patientId: 'x&_count=1' })).toBe(
      'Patient?_id=x%26_count%3D1',
    );
  });
});

describe('prefetchQuery', () => {
  it('keeps tokens and commas readable, encodes the rest', () => {
    expect(
      prefetchQuery('Observation', {
        patient: '{{context.patientId}}',
        code: 'http://loinc.org|1,http://loinc.org|2',
        _count: 5,
      }),
    ).toBe(
      'Observation?patient={{context.patientId}}&code=http%3A%2F%2Floinc.org%7C1,http%3A%2F%2Floinc.org%7C2&_count=5',
    );
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

  it('refuses values of the wrong resource type or with malformed elements the rules read', () => {
    const patient = 'Patient/{{context.patientId}}';
    const meds = 'MedicationRequest?patient={{context.patientId}}';
    expect(usablePrefetch(patient, { resourceType: 'Bundle' })).toEqual({ ok: false, reason: 'unexpected-type' });
    expect(usablePrefetch(meds, { resourceType: 'MedicationRequest' })).toEqual({
      ok: false,
      reason: 'unexpected-type',
    });
    expect(usablePrefetch(meds, '123')).toEqual({ ok: false, reason: 'unexpected-type' });
    expect(usablePrefetch(patient, { resourceType: 'Patient', birthDate: 1966 })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(
      usablePrefetch(meds, {
        resourceType: 'Bundle',
        entry: [
          { resource: { resourceType: 'MedicationRequest', medicationCodeableConcept: { coding: [{ code: 5 }] } } },
        ],
      }),
    ).toEqual({ ok: false, reason: 'malformed' });
  });

  it('repairs harmless slips: a repeating element sent as one value, null members', () => {
    const sent = {
      resourceType: 'Bundle',
      entry: {
        resource: {
          resourceType: 'MedicationRequest',
          category: { text: 'outpatient' },
          note: null,
          medicationCodeableConcept: { coding: { code: '1' } },
        },
      },
    };
    const r = usablePrefetch('MedicationRequest?patient=1', sent);
    expect(r).toEqual({
      ok: true,
      value: {
        resourceType: 'Bundle',
        entry: [
          {
            resource: {
              resourceType: 'MedicationRequest',
              category: [{ text: 'outpatient' }],
              medicationCodeableConcept: { coding: [{ code: '1' }] },
            },
          },
        ],
      },
    });
    expect(sent.entry.resource.note).toBeNull(); // the input is not modified
  });
});
