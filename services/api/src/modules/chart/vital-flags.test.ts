import { VitalSetBody } from '@wintehr/contracts';
import { flagElements, vitalFlag } from './vital-flags';
import {
  computedBmi,
  toVitalObservation,
  toVitalSetObservations,
  validateVitalSet,
  type VitalSetInput,
} from './vitals';

const set = (x: unknown) => VitalSetBody.parse(x) as VitalSetInput;
const flagOf = (o: fhir4.Observation | fhir4.ObservationComponent) => o.interpretation?.[0]?.coding?.[0]?.code;

describe('vital sign flags (adult defaults)', () => {
  it('flags low, high and critical values at the range edges', () => {
    expect(vitalFlag('heart-rate', 72)).toBe('N');
    expect(vitalFlag('heart-rate', 100)).toBe('N');
    expect(vitalFlag('heart-rate', 101)).toBe('H');
    expect(vitalFlag('heart-rate', 131)).toBe('HH');
    expect(vitalFlag('heart-rate', 55)).toBe('L');
    expect(vitalFlag('heart-rate', 38)).toBe('LL');
    expect(vitalFlag('oxygen-saturation', 93)).toBe('L');
    expect(vitalFlag('oxygen-saturation', 88)).toBe('LL');
    expect(vitalFlag('body-temperature', 38.5)).toBe('H');
    expect(vitalFlag('systolic', 185)).toBe('HH');
    expect(vitalFlag('diastolic', 95)).toBe('H');
  });
  it('gives no flag where there is no population range (weight, height)', () => {
    expect(vitalFlag('body-weight', 80)).toBeUndefined();
    expect(flagElements('body-height', 180)).toEqual({});
  });
  it('writes interpretation and the reference range on the Observation, BP per component', () => {
    const temp = toVitalObservation({ kind: 'body-temperature', value: 102.2, unit: '[degF]' } as never, 'p1');
    expect(flagOf(temp)).toBe('H'); // 102.2 °F = 39 °C: flagged after conversion to the canonical unit
    expect(temp.referenceRange?.[0]).toMatchObject({ low: { value: 36.1 }, high: { value: 37.9 } });
    const bp = toVitalObservation(
      { kind: 'blood-pressure', systolic: 150, diastolic: 70, unit: 'mm[Hg]' } as never,
      'p1',
    );
    expect(bp.component!.map(flagOf)).toEqual(['H', 'N']);
  });
});

describe('vital sets', () => {
  it('computes BMI from the weight and height of the set, in any unit', () => {
    const s = set({
      measurements: [
        { kind: 'body-weight', value: 176.4, unit: '[lb_av]' },
        { kind: 'body-height', value: 70, unit: '[in_i]' },
      ],
    });
    expect(computedBmi(s)).toBe(25.3);
    const obs = toVitalSetObservations(s, 'p1');
    expect(obs.map((o) => o.code.coding![0]!.code)).toEqual(['29463-7', '8302-2', '39156-5']);
    expect(flagOf(obs[2]!)).toBe('H');
    expect(new Set(obs.map((o) => o.effectiveDateTime)).size).toBe(1);
  });
  it('adds no BMI without both weight and height', () => {
    expect(computedBmi(set({ measurements: [{ kind: 'body-weight', value: 70, unit: 'kg' }] }))).toBeUndefined();
  });
  it('names the measurement of an implausible value and a kind given twice', () => {
    const s = set({
      measurements: [
        { kind: 'heart-rate', value: 72, unit: '/min' },
        { kind: 'oxygen-saturation', value: 140, unit: '%' },
        { kind: 'heart-rate', value: 80, unit: '/min' },
      ],
    });
    expect(validateVitalSet(s).map((p) => p.field)).toEqual(['body.measurements.1.value', 'body.measurements.2.kind']);
    expect(
      validateVitalSet(set({ measurements: [{ kind: 'blood-pressure', systolic: 120, diastolic: 130 }] }))[0]!.field,
    ).toBe('body.measurements.0.diastolic');
  });
});
