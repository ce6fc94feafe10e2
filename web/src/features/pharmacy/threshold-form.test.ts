import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thresholdEffect, thresholdValue } from './threshold-form';

test('a threshold is a number from 0 to 100000 with at most 3 decimals', () => {
  assert.deepEqual(thresholdValue(' 25 '), { ok: true, value: 25 });
  assert.deepEqual(thresholdValue('0'), { ok: true, value: 0 });
  assert.deepEqual(thresholdValue('2.5'), { ok: true, value: 2.5 });
  assert.deepEqual(thresholdValue(''), { ok: false, problem: 'Enter a number, 0 or more' });
  assert.deepEqual(thresholdValue('ten'), { ok: false, problem: 'Enter a number, 0 or more' });
  assert.deepEqual(thresholdValue('-1'), { ok: false, problem: 'Between 0 and 100000' });
  assert.deepEqual(thresholdValue('100001'), { ok: false, problem: 'Between 0 and 100000' });
  assert.deepEqual(thresholdValue('1.2345'), { ok: false, problem: 'At most 3 decimals' });
});

test('the effect on the alert is said before saving (low means strictly below, as the API counts)', () => {
  assert.equal(thresholdEffect(60, 100), '60 on hand is below 100: a low-stock alert will show.');
  assert.equal(thresholdEffect(60, 60), '60 on hand is not below 60: no low-stock alert.');
  assert.equal(thresholdEffect(0, 0), 'A threshold of 0 never raises a low-stock alert.');
});
