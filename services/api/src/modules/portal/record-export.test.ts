import { exportable } from './record-export';

describe('what goes into the patient’s download', () => {
  it('leaves out audit events, draft notes and withheld results, keeps the rest', () => {
    const kept = exportable(
      [
        { resourceType: 'Patient', id: 'p' },
        {
          resourceType: 'AuditEvent',
          id: 'ae',
          type: { code: 'rest' },
          recorded: '2026-01-01',
          agent: [],
          source: { observer: {} },
        },
        { resourceType: 'DocumentReference', id: 'draft', status: 'current', docStatus: 'preliminary', content: [] },
        { resourceType: 'DocumentReference', id: 'signed', status: 'current', docStatus: 'final', content: [] },
        {
          resourceType: 'Composition',
          id: 'c-draft',
          status: 'preliminary',
          type: {},
          date: '2026',
          author: [],
          title: 'x',
        },
        { resourceType: 'Composition', id: 'c-final', status: 'final', type: {}, date: '2026', author: [], title: 'x' },
        { resourceType: 'DiagnosticReport', id: 'held', status: 'final', code: {} },
      ] as fhir4.FhirResource[],
      new Set(['held']),
    );
    expect(kept.map((r) => r.id)).toEqual(['p', 'signed', 'c-final']);
  });
});
