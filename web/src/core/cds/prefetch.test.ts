import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fulfilPrefetch, neededSources, parseTemplate, patientFromView } from './prefetch';

const P = '{{context.patientId}}';
const TEMPLATES = {
  patient: `Patient/${P}`,
  medicationRequests: `MedicationRequest?patient=${P}&status=active,on-hold&_include=MedicationRequest:medication&_count=200`,
  allergies: `AllergyIntolerance?patient=${P}&_count=200`,
  observations: `Observation?patient=${P}&code=http://loinc.org|29463-7,http://loinc.org|62238-1&_sort=-date&_count=1`,
  conditions: `Condition?patient=${P}&clinical-status=active`,
};
const mr = (id: string, status: fhir4.MedicationRequest['status'], patient = 'p1'): fhir4.MedicationRequest => ({
  resourceType: 'MedicationRequest',
  id,
  status,
  intent: 'order',
  subject: { reference: `Patient/${patient}` },
});
const obs = (id: string, code: string, at: string): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: at,
});

test('templates are filled from the context; unknown tokens make them unusable', () => {
  assert.deepEqual(parseTemplate(`Patient/${P}`, { patientId: 'p1' }), { type: 'Patient', id: 'p1', params: [] });
  assert.deepEqual(parseTemplate(`Observation?patient=${P}&_count=5`, { patientId: 'p1' })?.params, [
    ['patient', 'p1'],
    ['_count', '5'],
  ]);
  assert.equal(parseTemplate('Observation?patient={{context.encounterId}}', { patientId: 'p1' }), undefined);
  assert.deepEqual([...neededSources(TEMPLATES, { patientId: 'p1' })].sort(), [
    'AllergyIntolerance',
    'MedicationRequest',
    'Observation',
    'Patient',
  ]);
});

test('search templates filter by patient, status and code, sort by date and keep _count', () => {
  const { prefetch, unfulfilled } = fulfilPrefetch(
    TEMPLATES,
    {
      Patient: patientFromView({ id: 'p1', birthDate: '1950-02-03', gender: 'female' }),
      MedicationRequest: [mr('a', 'active'), mr('b', 'stopped'), mr('c', 'on-hold'), mr('d', 'active', 'other')],
      AllergyIntolerance: [],
      Observation: [
        obs('w-old', '29463-7', '2025-01-01'),
        obs('w-new', '29463-7', '2026-01-01'),
        obs('bp', '8480-6', '2026-06-01'),
      ],
    },
    'p1',
  );
  assert.deepEqual(prefetch.patient, { resourceType: 'Patient', id: 'p1', birthDate: '1950-02-03', gender: 'female' });
  const ids = (k: string) => (prefetch[k] as fhir4.Bundle).entry!.map((e) => e.resource!.id);
  assert.deepEqual(ids('medicationRequests'), ['a', 'c']);
  assert.deepEqual(ids('allergies'), []);
  assert.deepEqual(ids('observations'), ['w-new']);
  assert.equal((prefetch.medicationRequests as fhir4.Bundle).type, 'searchset');
  assert.deepEqual(unfulfilled, ['conditions'], 'no Condition source: reported, not guessed');
});

test('a template with a parameter it cannot apply is not approximated', () => {
  const r = fulfilPrefetch(
    { x: `MedicationRequest?patient=${P}&authoredon=ge2020` },
    { MedicationRequest: [mr('a', 'active')] },
    'p1',
  );
  assert.deepEqual(r.unfulfilled, ['x']);
  assert.equal(fulfilPrefetch({ p: `Patient/${P}` }, {}, 'p1').unfulfilled[0], 'p');
});
