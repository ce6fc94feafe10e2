import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WINDOW_PRESETS, sliceForKey, voiRange, windowOf } from './window-presets';

test('presets round-trip through VOI ranges', () => {
  for (const p of WINDOW_PRESETS)
    assert.deepEqual(windowOf(voiRange(p.width, p.center)), { width: p.width, center: p.center });
  assert.deepEqual(voiRange(1500, -600), { lower: -1350, upper: 150 });
});

test('keys move through the stack and stop at its ends', () => {
  assert.equal(sliceForKey('ArrowDown', 0, 20), 1);
  assert.equal(sliceForKey('ArrowUp', 0, 20), 0);
  assert.equal(sliceForKey('PageDown', 17, 20), 19);
  assert.equal(sliceForKey('Home', 12, 20), 0);
  assert.equal(sliceForKey('End', 3, 20), 19);
  assert.equal(sliceForKey('a', 3, 20), undefined);
  assert.equal(sliceForKey('ArrowDown', 0, 0), undefined);
});
