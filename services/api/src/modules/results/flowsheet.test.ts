import { buildFlowsheet } from './flowsheet';

const LOINC = 'http://loinc.org';
const cat = (code: string) => [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] },
];
const lab = (
  id: string,
  code: string,
  display: string,
  value: number,
  at: string,
  extra: Partial<fhir4.Observation> = {},
) =>
  ({
    resourceType: 'Observation',
    id,
    status: 'final',
    category: cat('laboratory'),
    code: { coding: [{ system: LOINC, code, display }] },
    effectiveDateTime: at,
    valueQuantity: { value, unit: 'mmol/L' },
    referenceRange: [{ low: { value: 3.5 }, high: { value: 5.1 } }],
    ...extra,
  }) as fhir4.Observation;

describe('buildFlowsheet', () => {
  it('puts one row per test and one column per day, newest first, the latest value of a day in its cell', () => {
    const f = buildFlowsheet(
      [
        lab('k1', '2823-3', 'Potassium', 4.1, '2026-11-01T08:00:00Z'),
        lab('k2', '2823-3', 'Potassium', 5.6, '2026-11-03T08:00:00Z'),
        lab('k3', '2823-3', 'Potassium', 6.8, '2026-11-03T15:00:00Z', {
          interpretation: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH' }] },
          ],
        }),
        lab('na', '2951-2', 'Sodium', 139, '2026-11-01T08:00:00Z', {
          referenceRange: [{ low: { value: 136 }, high: { value: 145 } }],
        }),
      ],
      8,
    );
    expect(f.columns).toEqual(['2026-11-03', '2026-11-01']);
    const k = f.rows.find((r) => r.code === '2823-3')!;
    expect(k.display).toBe('Potassium');
    expect(k.cells.map((c) => c && [c.value, c.flag])).toEqual([
      [6.8, 'HH'],
      [4.1, 'N'],
    ]);
    expect(k.points.map((p) => p.value)).toEqual([4.1, 5.6, 6.8]);
    expect(k.referenceRange).toEqual({ low: 3.5, high: 5.1 });
    expect(f.rows.find((r) => r.code === '2951-2')!.cells).toEqual([null, expect.objectContaining({ value: 139 })]);
  });

  it('splits blood pressure into its components, lists vitals first, skips withdrawn and non-numeric results', () => {
    const bp: fhir4.Observation = {
      resourceType: 'Observation',
      id: 'bp',
      status: 'final',
      category: cat('vital-signs'),
      code: { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel' }] },
      effectiveDateTime: '2026-11-02T09:00:00Z',
      component: [
        {
          code: { coding: [{ system: LOINC, code: '8480-6', display: 'Systolic blood pressure' }] },
          valueQuantity: { value: 152, unit: 'mm[Hg]' },
          referenceRange: [{ high: { value: 130 } }],
        },
        {
          code: { coding: [{ system: LOINC, code: '8462-4', display: 'Diastolic blood pressure' }] },
          valueQuantity: { value: 84, unit: 'mm[Hg]' },
        },
      ],
    };
    const f = buildFlowsheet(
      [
        lab('k1', '2823-3', 'Potassium', 4.1, '2026-11-01T08:00:00Z'),
        lab('bad', '2823-3', 'Potassium', 9.9, '2026-11-04T08:00:00Z', { status: 'entered-in-error' }),
        lab('txt', '5778-6', 'Color of Urine', 0, '2026-11-04T08:00:00Z', {
          valueQuantity: undefined,
          valueString: 'yellow',
        }),
        bp,
      ],
      8,
    );
    expect(f.columns).toEqual(['2026-11-02', '2026-11-01']);
    expect(f.rows.map((r) => [r.category, r.display])).toEqual([
      ['vital-signs', 'Diastolic blood pressure'],
      ['vital-signs', 'Systolic blood pressure'],
      ['laboratory', 'Potassium'],
    ]);
    expect(f.rows[1]!.cells[0]).toMatchObject({ value: 152, flag: 'H', unit: 'mm[Hg]' });
  });

  it('keeps only the most recent days as columns; older values stay in the graph points', () => {
    const obs = Array.from({ length: 5 }, (_, i) =>
      lab(`k${i}`, '2823-3', 'Potassium', 4 + i / 10, `2026-11-0${i + 1}T08:00:00Z`),
    );
    const f = buildFlowsheet(obs, 2);
    expect(f.columns).toEqual(['2026-11-05', '2026-11-04']);
    expect(f.rows[0]!.points).toHaveLength(5);
  });
});
