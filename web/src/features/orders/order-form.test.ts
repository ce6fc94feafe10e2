import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  cancellable,
  placedMessage,
  toOrderSetBody,
  toPlaceOrderBody,
  validateSet,
  validateSingle,
} from './order-form';

const k = { type: 'lab' as const, system: 'http://loinc.org', code: '2823-3', display: 'Potassium' };

test('a single order: item required; the body carries only what was given', () => {
  assert.deepEqual(validateSingle({ priority: 'routine', reason: '', note: '', contrast: false }), {
    item: 'Choose what to order',
  });
  assert.deepEqual(validateSingle({ item: k, priority: 'routine', reason: 'x', note: '', contrast: false }), {
    reason: 'At least 2 characters',
  });
  assert.deepEqual(toPlaceOrderBody({ item: k, priority: 'stat', reason: ' on warfarin ', note: '', contrast: true }), {
    type: 'lab',
    code: '2823-3',
    priority: 'stat',
    reason: { text: 'on warfarin' },
  });
  assert.equal(
    toPlaceOrderBody({ item: { ...k, type: 'imaging' }, priority: 'routine', reason: '', note: 'n', contrast: true })
      .contrast,
    true,
  );
});

test('an order set: excluded items and the priority override', () => {
  const codes = ['a', 'b'];
  assert.deepEqual(validateSet({ excluded: new Set(), priority: '', reason: '' }, codes), {
    set: 'Choose an order set',
  });
  assert.deepEqual(validateSet({ setId: 's', excluded: new Set(['a', 'b']), priority: '', reason: '' }, codes), {
    set: 'Keep at least one order of the set',
  });
  assert.deepEqual(
    toOrderSetBody({ setId: 's', excluded: new Set(['b', 'zz']), priority: 'urgent', reason: '' }, codes),
    { priority: 'urgent', exclude: ['b'] },
  );
  assert.deepEqual(toOrderSetBody({ setId: 's', excluded: new Set(), priority: '', reason: '' }, codes), {});
});

test('messages and cancellable statuses', () => {
  assert.deepEqual(placedMessage(1, []), { text: '1 order placed.', severity: 'success' });
  assert.equal(placedMessage(3, [{ message: 'CBC was already ordered within the last 24 h' }]).severity, 'warning');
  assert.ok(cancellable('active') && cancellable('draft') && !cancellable('completed') && !cancellable('revoked'));
});
