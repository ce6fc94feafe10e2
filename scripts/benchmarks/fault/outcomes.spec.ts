import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judge, type Sent, type Stored } from './outcomes';

const stored = (o: Partial<Stored> = {}): Stored => ({
  byMarker: new Map(),
  audited: new Set(),
  newRx: new Map(),
  networkAccepted: 0,
  ...o,
});
const ok = (marker: string, id: string, sendStatus = 202): Sent => ({
  marker,
  phase: 'p',
  status: 201,
  ms: 5,
  id,
  sendStatus,
});

test('a confirmed order that is in HAPI once, audited and accepted by the network once is neither lost nor duplicated', () => {
  const r = judge(
    [ok('m1', 'a')],
    stored({
      byMarker: new Map([['m1', ['a']]]),
      audited: new Set(['a']),
      newRx: new Map([['a', { sent: 1, accepted: 1 }]]),
    }),
  );
  assert.deepEqual([r.confirmed, r.lost, r.duplicated], [1, 0, 0]);
});

test('confirmed but missing in HAPI, unaudited or never sent counts as lost, each', () => {
  const r = judge(
    [ok('m1', 'a'), ok('m2', 'b'), ok('m3', 'c')],
    stored({
      byMarker: new Map([
        ['m2', ['b']],
        ['m3', ['c']],
      ]),
      audited: new Set(['c']),
      newRx: new Map([['b', { sent: 1, accepted: 1 }]]),
    }),
  );
  // m1 missing in HAPI (and so unaudited and unsent too), b unaudited, c never sent.
  assert.equal(r.lost, 1 + 2 + 2);
});

test('an order written twice or sent as two NewRx messages counts as duplicated', () => {
  const r = judge(
    [ok('m1', 'a'), ok('m2', 'b')],
    stored({
      byMarker: new Map([
        ['m1', ['a', 'a2']],
        ['m2', ['b']],
      ]),
      audited: new Set(['a', 'b']),
      newRx: new Map([
        ['a', { sent: 1, accepted: 1 }],
        ['b', { sent: 2, accepted: 2 }],
      ]),
    }),
  );
  assert.equal(r.duplicated, 2);
  assert.equal(r.lost, 0);
});

test('a send the API did not confirm need not reach the network; a refused order found in HAPI is reported apart', () => {
  const refused: Sent = { marker: 'm2', phase: 'hapi down', status: 503, ms: 3 };
  const r = judge(
    [ok('m1', 'a', 503), refused],
    stored({
      byMarker: new Map([
        ['m1', ['a']],
        ['m2', ['x']],
      ]),
      audited: new Set(['a']),
    }),
  );
  assert.equal(r.lost, 0);
  assert.ok(r.lines.some((l) => l.startsWith('written though refused (the client was told it failed): 1')));
  assert.ok(r.lines.some((l) => l.startsWith('| hapi down | 1 | 0 | 1 |')));
});
