import { observationRange, plainRangeText, positionOf } from './range-text';

describe('plain-language reference ranges', () => {
  it('says where the value sits in a two-sided range', () => {
    expect(plainRangeText(5.9, 'mmol/L', { low: 3.5, high: 5.1 })).toBe(
      'Normal range 3.5 to 5.1 mmol/L — yours is above it',
    );
    expect(plainRangeText(3.1, 'mmol/L', { low: 3.5, high: 5.1 })).toBe(
      'Normal range 3.5 to 5.1 mmol/L — yours is below it',
    );
    expect(plainRangeText(5.1, 'mmol/L', { low: 3.5, high: 5.1 })).toBe(
      'Normal range 3.5 to 5.1 mmol/L — yours is within it',
    );
  });

  it('words one-sided and text-only ranges, and says nothing without a range', () => {
    expect(plainRangeText(45, 'mL/min', { low: 60 })).toBe('Normal is 60 mL/min or more — yours is below it');
    expect(plainRangeText(150, 'mg/dL', { high: 200 })).toBe('Normal is up to 200 mg/dL — yours is within it');
    expect(plainRangeText(undefined, undefined, { text: 'negative' })).toBe('Normal: negative');
    expect(plainRangeText(4, 'x', {})).toBeNull();
    expect(plainRangeText(undefined, 'mmol/L', { low: 3.5, high: 5.1 })).toBe('Normal range 3.5 to 5.1 mmol/L');
  });

  it('reads the first range of an Observation and places values against it', () => {
    const r = observationRange({ referenceRange: [{ low: { value: 70 }, high: { value: 99 } }, { text: 'other' }] });
    expect(r).toEqual({ low: 70, high: 99 });
    expect(positionOf(100, r)).toBe('above');
    expect(positionOf(70, r)).toBe('within');
    expect(positionOf(69.9, r)).toBe('below');
    expect(positionOf(80, {})).toBe('unknown');
  });
});
