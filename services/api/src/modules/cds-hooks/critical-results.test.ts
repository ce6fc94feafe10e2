import { ACKNOWLEDGED_EXTENSION, criticalResultsCard, isCritical, unacknowledgedCritical } from './critical-results';

const NOW = new Date('2026-11-23T12:00:00Z');
const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const obs = (code: string, extra: Partial<fhir4.Observation> = {}): fhir4.Observation => ({
  resourceType: 'Observation',
  status: 'final',
  effectiveDateTime: '2026-11-22T08:00:00Z',
  code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }] },
  valueQuantity: { value: 6.9, unit: 'mmol/L' },
  interpretation: [{ coding: [{ system: V3, code }] }],
  ...extra,
});

describe('critical results', () => {
  it.each([
    ['HH', true],
    ['LL', true],
    ['AA', true],
    ['H', false],
    ['N', false],
  ])('interpretation %s critical: %s', (code, yes) => {
    expect(isCritical(obs(code))).toBe(yes);
  });

  it('text "critical" counts too', () => {
    expect(isCritical(obs('X', { interpretation: [{ text: 'Critical high' }] }))).toBe(true);
  });

  it('filters out acknowledged, cancelled and old results', () => {
    const list = [
      obs('HH', { id: 'new' }),
      obs('LL', { id: 'ack', extension: [{ url: ACKNOWLEDGED_EXTENSION, valueDateTime: '2026-11-22T09:00:00Z' }] }),
      obs('HH', { id: 'cancelled', status: 'cancelled' }),
      obs('HH', { id: 'old', effectiveDateTime: '2026-09-01T00:00:00Z' }),
    ];
    expect(unacknowledgedCritical(list, NOW).map((o) => o.id)).toEqual(['new']);
  });

  it('one critical card listing the results; none when there are none', () => {
    expect(criticalResultsCard([])).toBeUndefined();
    const card = criticalResultsCard([
      obs('HH'),
      obs('LL', { code: { text: 'Sodium' }, valueQuantity: { value: 118, unit: 'mmol/L' } }),
    ])!;
    expect(card).toMatchObject({
      ruleId: 'critical-result',
      indicator: 'critical',
      summary: '2 unacknowledged critical results',
    });
    expect(card.detail).toContain('**Potassium** 6.9 mmol/L (HH) 2026-11-22');
    expect(card.detail).toContain('**Sodium** 118 mmol/L (LL)');
  });
});
