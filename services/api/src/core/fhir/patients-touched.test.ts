import { chartChangeOf, patientIdsIn } from './patients-touched';

const obs = (subject: string): fhir4.Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'K' },
  subject: { reference: subject },
});

describe('patientIdsIn', () => {
  it('finds the patient itself and every reference to a patient, relative, absolute or versioned', () => {
    const ids = patientIdsIn([
      { resourceType: 'Patient', id: 'p1' },
      obs('Patient/p2'),
      obs('http://hapi.example/fhir/Patient/p3/_history/4'),
      {
        resourceType: 'Appointment',
        participant: [{ actor: { reference: 'Patient/p4' } }, { actor: { reference: 'Practitioner/x' } }],
      },
    ]);
    expect([...ids].sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('ignores references to other types and the narrative', () => {
    expect([
      ...patientIdsIn({
        resourceType: 'Encounter',
        participant: [{ individual: { reference: 'Practitioner/p9' } }],
        text: { div: 'Patient/p8' },
      }),
    ]).toEqual([]);
  });
});

describe('chartChangeOf', () => {
  it('reads change nothing: GET, POST _search, read-only operations, a GET-only batch', () => {
    expect(chartChangeOf('GET', 'Patient/1', undefined, obs('Patient/1'))).toEqual({ kind: 'none' });
    expect(chartChangeOf('POST', 'Observation/_search', 'patient=1', undefined)).toEqual({ kind: 'none' });
    expect(chartChangeOf('POST', 'Patient/1/$summary', undefined, undefined)).toEqual({ kind: 'none' });
    const batch = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'GET', url: 'Observation?patient=1' } }],
    };
    expect(chartChangeOf('POST', '', batch, undefined)).toEqual({ kind: 'none' });
  });

  it('a create or update names its patient from the body or the answer', () => {
    expect(chartChangeOf('POST', 'Observation', obs('Patient/a'), undefined)).toEqual({ kind: 'patients', ids: ['a'] });
    expect(chartChangeOf('PUT', 'Patient/b', { resourceType: 'Patient', id: 'b' }, undefined)).toEqual({
      kind: 'patients',
      ids: ['b'],
    });
    // A JSON Patch body names nothing; the patched resource HAPI answers with does.
    expect(
      chartChangeOf('PATCH', 'AllergyIntolerance/9', [{ op: 'replace' }], {
        resourceType: 'AllergyIntolerance',
        patient: { reference: 'Patient/c' },
      }),
    ).toEqual({ kind: 'patients', ids: ['c'] });
  });

  it('a write whose patient cannot be told changes every chart; non-chart types change none', () => {
    expect(chartChangeOf('DELETE', 'Observation/5', undefined, undefined)).toEqual({ kind: 'all' });
    expect(chartChangeOf('POST', 'Observation', undefined, undefined)).toEqual({ kind: 'all' }); // timed out: unknown
    expect(chartChangeOf('DELETE', 'Patient/7', undefined, undefined)).toEqual({ kind: 'patients', ids: ['7'] });
    expect(chartChangeOf('PUT', 'Slot/3', { resourceType: 'Slot', status: 'busy' }, undefined)).toEqual({
      kind: 'none',
    });
    expect(chartChangeOf('POST', 'Practitioner', { resourceType: 'Practitioner' }, undefined)).toEqual({
      kind: 'none',
    });
  });

  it('a transaction: the union of its writes; one unresolvable entry changes every chart', () => {
    const tx = (...entry: fhir4.BundleEntry[]) => ({ resourceType: 'Bundle', type: 'transaction', entry });
    expect(
      chartChangeOf(
        'POST',
        '',
        tx(
          { resource: obs('Patient/x'), request: { method: 'POST', url: 'Observation' } },
          { request: { method: 'GET', url: 'Patient/zz' } },
          {
            resource: { resourceType: 'Slot', status: 'busy', schedule: {}, start: '', end: '' } as fhir4.Slot,
            request: { method: 'PUT', url: 'Slot/1' },
          },
          { resource: obs('Patient/y'), request: { method: 'PUT', url: 'Observation/2' } },
        ),
        undefined,
      ),
    ).toEqual({ kind: 'patients', ids: ['x', 'y'] });
    expect(
      chartChangeOf(
        'POST',
        '',
        tx(
          { resource: obs('Patient/x'), request: { method: 'POST', url: 'Observation' } },
          { request: { method: 'DELETE', url: 'Observation/4' } },
        ),
        undefined,
      ),
    ).toEqual({ kind: 'all' });
  });

  it('a bundle creating a new patient with its data changes no existing chart; a conditional create may', () => {
    const entries = (ifNoneExist?: string): fhir4.BundleEntry[] => [
      {
        fullUrl: 'urn:uuid:1',
        resource: { resourceType: 'Patient' },
        request: { method: 'POST', url: 'Patient', ...(ifNoneExist ? { ifNoneExist } : {}) },
      },
      { resource: obs('urn:uuid:1'), request: { method: 'POST', url: 'Observation' } },
    ];
    expect(
      chartChangeOf('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: entries() }, undefined),
    ).toEqual({ kind: 'none' });
    expect(
      chartChangeOf(
        'POST',
        '',
        { resourceType: 'Bundle', type: 'transaction', entry: entries('identifier=x|1') },
        undefined,
      ),
    ).toEqual({ kind: 'all' });
  });

  it('anything that is not a bundle posted to the base changes every chart', () => {
    expect(chartChangeOf('POST', '', 'garbage', undefined)).toEqual({ kind: 'all' });
  });
});
