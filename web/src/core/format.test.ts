import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageInYears, conceptText, localInputToIso, mrnText } from './format';

test('age in whole years, birthday not yet reached this year', () => {
  const now = new Date(2026, 10, 23);
  assert.equal(ageInYears('1960-05-03', now), 66);
  assert.equal(ageInYears('1960-12-01', now), 65);
  assert.equal(ageInYears('2026-11-23', now), 0);
  assert.equal(ageInYears('not-a-date', now), undefined);
  assert.equal(ageInYears(undefined, now), undefined);
});

test('datetime-local input to ISO', () => {
  assert.equal(localInputToIso(''), undefined);
  assert.equal(localInputToIso('garbage'), undefined);
  assert.equal(localInputToIso('2026-11-23T10:00'), new Date('2026-11-23T10:00').toISOString());
});

test('concepts as people read them', () => {
  assert.equal(conceptText({ coding: [{ code: '123' }, { code: '9', display: 'Asthma' }] }), 'Asthma');
  assert.equal(conceptText({ text: 'Free text', coding: [{ display: 'x' }] }), 'Free text');
  assert.equal(conceptText(undefined), '—');
});

test('the MRN is labelled once', () => {
  assert.equal(mrnText('MRN-0000042'), 'MRN-0000042');
  assert.equal(mrnText('42'), 'MRN 42');
  assert.equal(mrnText(undefined), undefined);
});
