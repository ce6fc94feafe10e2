import { VitalBody } from '@wintehr/contracts';
import { toVitalObservation, validateVital, type VitalInput } from './vitals';

const parse = (x: unknown) => VitalBody.parse(x) as VitalInput;

describe('vitals validation', () => {
  it('accepts plausible values in any allowed UCUM unit', () => {
    expect(validateVital(parse({ kind: 'heart-rate', value: 72, unit: '/min' }))).toEqual([]);
    expect(validateVital(parse({ kind: 'body-temperature', value: 98.6, unit: '[degF]' }))).toEqual([]);
    expect(validateVital(parse({ kind: 'body-weight', value: 154, unit: '[lb_av]' }))).toEqual([]);
    expect(validateVital(parse({ kind: 'blood-pressure', systolic: 120, diastolic: 80 }))).toEqual([]);
  });
  it('names the field of an implausible, negative or badly-united value', () => {
    expect(validateVital(parse({ kind: 'heart-rate', value: 900, unit: '/min' }))[0]!.field).toBe('body.value');
    expect(validateVital(parse({ kind: 'body-weight', value: -3, unit: 'kg' }))).toEqual([
      { field: 'body.value', message: 'cannot be negative' },
    ]);
    expect(validateVital(parse({ kind: 'body-temperature', value: 98.6, unit: 'Cel' }))[0]!.field).toBe('body.value');
    expect(validateVital(parse({ kind: 'oxygen-saturation', value: 97, unit: 'percent' }))[0]!.field).toBe('body.unit');
    expect(validateVital(parse({ kind: 'blood-pressure', systolic: 80, diastolic: 120 }))[0]!.field).toBe(
      'body.diastolic',
    );
    expect(validateVital(parse({ kind: 'blood-pressure', systolic: 500, diastolic: 80 }))[0]!.field).toBe(
      'body.systolic',
    );
  });
  it('rejects a future effective time and unknown kinds', () => {
    expect(
      VitalBody.safeParse({ kind: 'heart-rate', value: 70, unit: '/min', effectiveDateTime: '2999-01-01T00:00:00Z' })
        .success,
    ).toBe(false);
    expect(VitalBody.safeParse({ kind: 'mood', value: 70, unit: '/min' }).success).toBe(false);
  });
  it('builds vital-signs Observations with LOINC codes and UCUM quantities', () => {
    const bp = toVitalObservation(
      parse({ kind: 'blood-pressure', systolic: 120, diastolic: 80 }),
      'p1',
      'Practitioner/9',
    );
    expect(bp.code.coding![0]!.code).toBe('85354-9');
    expect(bp.component!.map((c) => [c.code.coding![0]!.code, c.valueQuantity!.value, c.valueQuantity!.code])).toEqual([
      ['8480-6', 120, 'mm[Hg]'],
      ['8462-4', 80, 'mm[Hg]'],
    ]);
    expect(bp.category![0]!.coding![0]!.code).toBe('vital-signs');
    const spo2 = toVitalObservation(parse({ kind: 'oxygen-saturation', value: 97, unit: '%' }), 'p1');
    expect(spo2.code.coding![0]!.code).toBe('59408-5');
    expect(spo2.valueQuantity).toMatchObject({ value: 97, system: 'http://unitsofmeasure.org', code: '%' });
  });
});
