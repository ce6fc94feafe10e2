import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InbasketActionBody } from '@wintehr/contracts';
import { actionBody, countLabel, inputOf } from './inbasket-view';

test('deny and discontinue need a reason; reply needs a text; co-sign nothing', () => {
  assert.equal(inputOf('deny'), 'reason');
  assert.equal(inputOf('reply'), 'text');
  assert.equal(inputOf('cosign'), 'none');
  assert.equal(inputOf('approve'), 'note');
  assert.deepEqual(actionBody('deny', ' no'), { error: 'Give a reason (at least 3 characters)' });
  assert.deepEqual(actionBody('reply', '  '), { error: 'Write a reply' });
});

test('bodies built by the dialog are the ones the API contract accepts', () => {
  const cases = [
    actionBody('deny', 'Needs a visit first', 'AG'),
    actionBody('approve', ''),
    actionBody('approve', 'ok for 3 months'),
    actionBody('reply', 'Take it in the evening'),
    actionBody('discontinue', 'Out of stock, switching'),
    actionBody('acknowledge', ''),
    actionBody('cosign', ''),
  ];
  for (const c of cases) {
    assert.ok('body' in c, JSON.stringify(c));
    assert.ok(InbasketActionBody.safeParse(c.body).success, JSON.stringify(c.body));
  }
  assert.deepEqual(actionBody('deny', 'Needs a visit first', 'AG'), {
    body: { action: 'deny', reason: 'Needs a visit first', reasonCode: 'AG' },
  });
  assert.deepEqual(actionBody('approve', ''), { body: { action: 'approve' } });
});

test('badge label', () => {
  assert.equal(countLabel(0), 'In-basket: nothing waiting');
  assert.equal(countLabel(3), 'In-basket: 3 open');
});
