import assert from 'node:assert/strict';
import { test } from 'node:test';
import { interpretationCode, isCriticalFlag, referenceRangeText, valueText } from './results-api';

const obs = (o: Partial<fhir4.Observation>): fhir4.Observation => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'K' },
  ...o,
});
const SYS = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

test('interpretation flags: only the v3 system counts; HH/LL/AA are critical', () => {
  assert.equal(
    interpretationCode(
      obs({
        interpretation: [
          {
            coding: [
              { system: 'other', code: 'X' },
              { system: SYS, code: 'HH' },
            ],
          },
        ],
      }),
    ),
    'HH',
  );
  assert.equal(interpretationCode(obs({})), undefined);
  assert.ok(isCriticalFlag('HH') && isCriticalFlag('LL') && isCriticalFlag('AA'));
  assert.ok(!isCriticalFlag('H') && !isCriticalFlag('N') && !isCriticalFlag(undefined));
});

test('reference ranges and values as text', () => {
  assert.equal(
    referenceRangeText(
      obs({ referenceRange: [{ low: { value: 3.5, unit: 'mmol/L' }, high: { value: 5.1, unit: 'mmol/L' } }] }),
    ),
    '3.5–5.1 mmol/L',
  );
  assert.equal(referenceRangeText(obs({ referenceRange: [{ high: { value: 200, unit: 'mg/dL' } }] })), '≤ 200 mg/dL');
  assert.equal(referenceRangeText(obs({ referenceRange: [{ low: { value: 40 } }] })), '≥ 40');
  assert.equal(referenceRangeText(obs({ referenceRange: [{ text: 'negative' }] })), 'negative');
  assert.equal(referenceRangeText(obs({})), '—');
  assert.equal(valueText(obs({ valueQuantity: { value: 6.9, unit: 'mmol/L' } })), '6.9 mmol/L');
  assert.equal(valueText(obs({ valueString: 'positive' })), 'positive');
  assert.equal(valueText(obs({})), '—');
});
