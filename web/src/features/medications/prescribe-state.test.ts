import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialPrescribeState, prescribeReducer, type PrescribeAction, type PrescribeState } from './prescribe-state';

const ibuprofen = { rxcui: '197806', name: 'ibuprofen 600 MG Oral Tablet', tty: 'SCD' as const };
const naproxen = { rxcui: '198013', name: 'naproxen 500 MG Oral Tablet', tty: 'SCD' as const };
const run = (actions: PrescribeAction[], from: PrescribeState = initialPrescribeState('d0')) =>
  actions.reduce(prescribeReducer, from);
const finding = { id: 'f1', message: 'warfarin + ibuprofen', severity: 'major' } as never;

test('choosing a drug sets its defaults and clears what was said about the previous one', () => {
  const s = run([
    { type: 'drugChosen', drug: naproxen, draftId: 'd1' },
    { type: 'notice', notice: 'Complete the highlighted fields.' },
    { type: 'overrideNeeded', uncovered: [finding] },
    { type: 'signFailed', error: new Error('x') },
    { type: 'drugChosen', drug: ibuprofen, draftId: 'd2' },
  ]);
  assert.equal(s.form.drug?.rxcui, ibuprofen.rxcui);
  assert.equal(s.form.doseUnit, '{tablet}');
  assert.equal(s.draftId, 'd2');
  assert.equal(s.notice, undefined);
  assert.deepEqual(s.uncovered, []);
  assert.equal(s.signError, undefined);
});

test('a suggestion that replaces or removes the drug says so', () => {
  const replaced = run([
    { type: 'drugChosen', drug: ibuprofen, draftId: 'd1' },
    { type: 'drugReplaced', drug: naproxen, draftId: 'd2', previousName: ibuprofen.name },
  ]);
  assert.equal(replaced.form.drug?.rxcui, naproxen.rxcui);
  assert.match(replaced.removedNotice!, /ibuprofen 600 MG Oral Tablet was replaced by naproxen/);
  const removed = run([
    { type: 'drugChosen', drug: ibuprofen, draftId: 'd1' },
    { type: 'drugRemoved', draftId: 'd3', previousName: ibuprofen.name },
  ]);
  assert.equal(removed.form.drug, undefined);
  assert.equal(removed.draftId, 'd3');
  assert.match(removed.removedNotice!, /was removed from this order/);
});

test('fields recompute quantity until the quantity is typed', () => {
  const s = run([
    { type: 'drugChosen', drug: ibuprofen, draftId: 'd1' },
    { type: 'field', field: 'doseValue', value: '1' },
    { type: 'field', field: 'frequencyId', value: 'TID' },
    { type: 'field', field: 'durationDays', value: '10' },
  ]);
  assert.equal(s.form.quantity, '30');
  const typed = run(
    [
      { type: 'quantity', value: '12' },
      { type: 'field', field: 'durationDays', value: '20' },
    ],
    s,
  );
  assert.equal(typed.form.quantity, '12');
  assert.equal(typed.form.quantityTouched, true);
});

test('signing, sending and the EPCS step-up', () => {
  const signed = run([
    { type: 'signStarted' },
    { type: 'busy', busy: 'signing' },
    { type: 'signed', rx: { medicationRequest: { id: 'mr1' } } as never },
  ]);
  assert.equal(signed.showErrors, true);
  assert.equal(signed.created?.medicationRequest.id, 'mr1');
  const failed = run([{ type: 'sendStarted' }, { type: 'sendFailed', error: new Error('network') }], signed);
  assert.equal(failed.busy, 'sending');
  assert.ok(failed.sendError instanceof Error);
  const restarted = run([{ type: 'sendStarted' }], failed);
  assert.equal(restarted.sendError, undefined, 'a new attempt starts without the old error');
  const cancelled = run(
    [
      { type: 'stepUp', open: true },
      { type: 'stepUp', open: false, cancelled: true },
    ],
    signed,
  );
  assert.equal(cancelled.stepUp, false);
  assert.match(String(cancelled.sendError), /verification is required/);
});

test('reset starts a fresh order', () => {
  const s = run([
    { type: 'drugChosen', drug: ibuprofen, draftId: 'd1' },
    { type: 'manualReason', value: 'benefit outweighs' },
    { type: 'feedbackWarning', message: 'x' },
    { type: 'reset', draftId: 'd9' },
  ]);
  assert.deepEqual(s, initialPrescribeState('d9'));
});
