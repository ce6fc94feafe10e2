import { classifyReference, containedIds, literalReference, referenceSlots } from './write-references';

const OWN = ['http://localhost:8080/fhir', 'https://ehr.example/fhir'];

describe('classifyReference', () => {
  it.each([
    ['Patient/p1', { kind: 'literal', type: 'Patient', id: 'p1' }],
    ['Observation/o-1/_history/3', { kind: 'literal', type: 'Observation', id: 'o-1', version: '3' }],
    ['http://localhost:8080/fhir/Patient/p1', { kind: 'literal', type: 'Patient', id: 'p1' }],
    ['https://ehr.example/fhir/Encounter/e1', { kind: 'literal', type: 'Encounter', id: 'e1' }],
    ['#c1', { kind: 'contained', id: 'c1' }],
    ['#', { kind: 'contained', id: '' }],
    [
      'urn:uuid:0b1d6f1e-6b4e-4a43-9a55-2f1f2a9c0f11',
      { kind: 'bundle', uri: 'urn:uuid:0b1d6f1e-6b4e-4a43-9a55-2f1f2a9c0f11' },
    ],
    ['urn:oid:1.2.3', { kind: 'bundle', uri: 'urn:oid:1.2.3' }],
    [
      'Patient?identifier=urn:wintehr:mrn|MRN-1',
      { kind: 'conditional', type: 'Patient', params: [['identifier', 'urn:wintehr:mrn|MRN-1']] },
    ],
    ['http://localhost:8080/fhir/Patient?_id=p2', { kind: 'conditional', type: 'Patient', params: [['_id', 'p2']] }],
    ['https://other.example/fhir/Patient/p2', { kind: 'external', url: 'https://other.example/fhir/Patient/p2' }],
    // A base that merely starts like ours is someone else's.
    ['http://localhost:8080/fhirx/Patient/p2', { kind: 'external', url: 'http://localhost:8080/fhirx/Patient/p2' }],
  ])('%s', (ref, expected) => {
    expect(classifyReference(ref, OWN)).toEqual(expected);
  });

  it.each([
    ' Patient/p1',
    'Patient/p1 ',
    '',
    '/Patient/p1',
    'Patient/p1/',
    'Patient//p1',
    'Patient/../Patient/p1',
    'patient/p1',
    'Patient/p1/_history',
    'Patient/p1/_history/1/x',
    'Patient/p1/x/1',
    '#../x',
    'Patient/p 1',
    '?identifier=x',
  ])('malformed: %j', (ref) => {
    expect(classifyReference(ref, OWN).kind).toBe('malformed');
  });

  it('a fullUrl of the enclosing bundle is bundle-local whatever its form', () => {
    const uris = new Set(['http://example.org/fhir/Observation/1', 'Observation/x']);
    expect(classifyReference('http://example.org/fhir/Observation/1', OWN, uris)).toEqual({
      kind: 'bundle',
      uri: 'http://example.org/fhir/Observation/1',
    });
    expect(classifyReference('Observation/x', OWN, uris).kind).toBe('bundle');
    expect(classifyReference('Observation/y', OWN, uris).kind).toBe('literal');
  });
});

describe('referenceSlots', () => {
  it('finds every Reference at any depth: backbone elements, extensions, contained resources', () => {
    const obs = {
      resourceType: 'Observation',
      subject: { reference: 'Patient/a' },
      performer: [{ reference: 'Practitioner/p' }, { display: 'no reference' }],
      extension: [{ url: 'x', valueReference: { reference: 'Patient/b' } }],
      component: [{ extension: [{ extension: [{ url: 'y', valueReference: { reference: 'Encounter/e' } }] }] }],
      contained: [{ resourceType: 'Observation', id: 'c', subject: { reference: 'Patient?_id=b' } }],
      code: { text: 'reference' },
      note: [{ text: 'Patient/b' }],
    };
    const slots = referenceSlots(obs);
    expect(slots.map((s) => s.holder.reference)).toEqual([
      'Patient/a',
      'Practitioner/p',
      'Patient/b',
      'Encounter/e',
      'Patient?_id=b',
    ]);
    expect(slots.map((s) => s.path)).toContain('extension[0].valueReference.reference');
    expect(slots.map((s) => s.path)).toContain('contained[0].subject.reference');
  });

  it('gives the holder so a resolved reference can be written back in place', () => {
    const obs = { subject: { reference: 'Patient?_id=a' } };
    referenceSlots(obs)[0]!.holder.reference = 'Patient/a';
    expect(obs.subject.reference).toBe('Patient/a');
  });

  it('ignores non-string reference values', () => {
    expect(referenceSlots({ subject: { reference: 42 } })).toEqual([]);
  });
});

describe('helpers', () => {
  it('literalReference', () => {
    expect(literalReference({ type: 'Patient', id: 'a' })).toBe('Patient/a');
    expect(literalReference({ type: 'Patient', id: 'a', version: '2' })).toBe('Patient/a/_history/2');
  });
  it('containedIds', () => {
    expect([...containedIds({ contained: [{ id: 'a' }, { id: 3 }, {}, { id: 'b' }] })]).toEqual(['a', 'b']);
    expect(containedIds({}).size).toBe(0);
  });
});
