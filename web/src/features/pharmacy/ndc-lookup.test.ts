import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNdc, packageOptions } from './ndc-lookup';

test('NDCs shown 5-4-2', () => {
  assert.equal(formatNdc('00378001801'), '00378-0018-01');
  assert.equal(formatNdc('123'), '123');
});

test('an NDC search offers that package; a name search a few packages of each product', () => {
  const hit = {
    rxcui: '1',
    name: 'metoprolol',
    tty: 'SCD',
    ndcs: ['00000000001', '00000000002', '00000000003', '00000000004'],
  };
  assert.deepEqual(
    packageOptions({ query: '0-0-1', byNdc: true, results: [hit] }).map((o) => o.ndc),
    ['00000000001'],
  );
  assert.equal(
    packageOptions({ query: 'meto', byNdc: false, results: [hit, { ...hit, rxcui: '2', schedule: 'II' }] }).length,
    6,
  );
  assert.equal(packageOptions({ query: 'x', byNdc: false, results: [{ ...hit, schedule: 'II' }] })[0]?.schedule, 'II');
});
