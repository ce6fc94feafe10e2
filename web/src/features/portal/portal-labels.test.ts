import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allergySummary, trendSentence } from './portal-labels';

test('no known allergies and not recorded read differently; recorded allergies need no summary', () => {
  assert.match(allergySummary({ state: 'no-known-allergies', items: [] })!, /^No known allergies/);
  assert.match(allergySummary({ state: 'not-recorded', items: [] })!, /not been recorded/);
  assert.equal(
    allergySummary({
      state: 'has-allergies',
      items: [{ id: 'a', substance: 'Penicillin', reactions: [], criticality: null }],
    }),
    undefined,
  );
});

test('a trend in words, oldest to newest', () => {
  assert.equal(
    trendSentence(
      'Potassium',
      [
        { date: '2026-10-01T08:00:00Z', value: 4.4 },
        { date: '2026-11-01T08:00:00Z', value: 5.9 },
      ],
      'mmol/L',
    ),
    'Potassium has gone up over 2 results, from 4.4 mmol/L on 2026-10-01 to 5.9 mmol/L on 2026-11-01.',
  );
  assert.equal(
    trendSentence('Potassium', [{ date: '2026-10-01', value: 4.4 }], null),
    'Potassium: this is your only result so far.',
  );
});
