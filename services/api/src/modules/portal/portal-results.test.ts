import { portalResults } from './portal-results';

const K = { system: 'http://loinc.org', code: '2823-3', display: 'Potassium' };
const obs = (
  id: string,
  day: string,
  value: number,
  status: fhir4.Observation['status'] = 'final',
): fhir4.Observation => ({
  resourceType: 'Observation',
  id,
  status,
  code: { coding: [K] },
  effectiveDateTime: `${day}T08:00:00Z`,
  valueQuantity: { value, unit: 'mmol/L' },
});
const report = (id: string, status: fhir4.DiagnosticReport['status'], o: string): fhir4.DiagnosticReport => ({
  resourceType: 'DiagnosticReport',
  id,
  status,
  code: { coding: [K], text: 'Potassium' },
  result: [{ reference: `Observation/${o}` }],
});

describe('portal results view', () => {
  const entries = [
    report('r3', 'final', 'o3'),
    report('r2', 'preliminary', 'o2'),
    report('r1', 'final', 'o1'),
    report('r0', 'final', 'o0'),
    obs('o3', '2026-11-20', 6.3),
    obs('o2', '2026-11-10', 7.0, 'preliminary'),
    obs('o1', '2026-11-01', 5.9),
    obs('o0', '2026-10-01', 4.4),
  ];

  it('shows released reports only and builds trends from released values only', () => {
    const out = portalResults(entries, new Set(['r3']), 'female');
    expect(out.map((r) => r.reportId)).toEqual(['r1', 'r0']);
    expect(out[0]!.values[0]).toMatchObject({
      value: '5.9',
      unit: 'mmol/L',
      position: 'above',
      // No range on the value: the analyte catalog's adult range is used.
      rangeText: 'Normal range 3.5 to 5.1 mmol/L — yours is above it',
      trend: [
        { date: '2026-10-01T08:00:00Z', value: 4.4 },
        { date: '2026-11-01T08:00:00Z', value: 5.9 },
      ],
    });
  });

  it('shows the held report once released, with its value in the trend', () => {
    const out = portalResults(entries, new Set(), 'female');
    expect(out.map((r) => r.reportId)).toEqual(['r3', 'r1', 'r0']);
    expect(out[0]!.values[0]!.trend.map((p) => p.value)).toEqual([4.4, 5.9, 6.3]);
  });
});
