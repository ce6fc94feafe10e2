import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stepRows, type Step } from './report';

const step = (name: string, p95: number, failed = 0): Step => ({ name, p50: p95 / 2, p95, count: 10, failed });

test('each step is a row in loop order with the façade beside HAPI and their p95 ratio', () => {
  const rows = stepRows(
    new Map([
      ['2 chart summary', step('2 chart summary', 150)],
      ['1 search patients', step('1 search patients', 90, 1)],
    ]),
    new Map([['1 search patients', step('1 search patients', 30)]]),
  );
  assert.equal(rows[2], '| 1 search patients | 45 | 90 | 10 | 1 | 15 | 30 | 3.0× |');
  assert.equal(rows[3], '| 2 chart summary | 75 | 150 | 10 | 0 | - | - | - |');
  assert.equal(rows.at(-1), 'every façade step under p95 200 ms');
});

test('steps at or above the 200 ms target are named', () => {
  const rows = stepRows(new Map([['5 prescribe', step('5 prescribe', 240)]]), new Map());
  assert.equal(rows.at(-1), 'façade steps at or above p95 200 ms: 5 prescribe');
});
