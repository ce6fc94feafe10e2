import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overrideFor, structuredSig } from './verification-context';

const overrides = [
  { reason: 'Short course', findingIds: ['drug-drug:r1@proposed:1@MedicationRequest/a'], ruleIds: ['r1'] },
  { reason: 'Tolerated before', findingIds: ['drug-allergy:x'], ruleIds: ['drug-allergy:x'] },
];

test('an override covers the finding of the same rule, or of the same id', () => {
  assert.equal(overrideFor({ id: 'other-id-format', ruleId: 'r1' }, overrides)?.reason, 'Short course');
  assert.equal(overrideFor({ id: 'drug-allergy:x' }, overrides)?.reason, 'Tolerated before');
  assert.equal(overrideFor({ id: 'z', ruleId: 'r2' }, overrides), undefined);
  assert.equal(overrideFor({ id: 'z' }, undefined), undefined);
});

test('the structured sig in words', () => {
  assert.equal(
    structuredSig({ dose: { value: 25, unit: 'mg' }, route: 'Oral', frequency: 2, period: 1, periodUnit: 'd' }),
    '25 mg · Oral · 2 times every day',
  );
  assert.equal(
    structuredSig({
      frequency: 1,
      period: 6,
      periodUnit: 'h',
      asNeeded: 'pain',
      maxDosePerDay: { value: 4, unit: 'g' },
    }),
    'every 6 hours · as needed for pain · max 4 g/day',
  );
  assert.equal(structuredSig({ text: 'only text' }), undefined);
});
