import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dispenseBody, dispensableLines, initialDispenseDraft, usableLots, type DispenseDraft } from './dispense-form';
import type { StockLine } from '@wintehr/contracts';

const line = (ndc: string, rxcui: string, lots: Array<[string, string, number, boolean?]>): StockLine => ({
  ndc,
  ndcFormatted: ndc,
  rxcui,
  unit: '{tablet}',
  deaSchedule: null,
  expiredQuantity: 0,
  lowStockThreshold: null,
  lowStock: false,
  onHand: lots.filter(([, , , expired]) => !expired).reduce((s, [, , q]) => s + q, 0),
  lots: lots.map(([id, expiry, quantity, expired]) => ({
    id,
    lotNumber: `LOT-${id}`,
    expiry,
    quantity,
    expired: !!expired,
  })),
});

const LINES = [
  line('00143971301', '314077', [
    ['b', '2027-06-01', 40],
    ['a', '2027-01-01', 10],
    ['x', '2020-01-01', 99, true],
  ]),
  line('00185062001', '314077', []),
  line('00378611201', '1049621', [['c', '2027-03-01', 100]]),
];
const item = { drug: { rxnorm: '314077', quantity: { value: 30 }, daysSupply: 30 }, quantityRemaining: undefined };

test('the prescribed product in stock is offered; a substitution offers the others', () => {
  assert.deepEqual(
    dispensableLines(LINES, '314077', false).map((l) => l.ndc),
    ['00143971301'],
  );
  assert.deepEqual(
    dispensableLines(LINES, '314077', true).map((l) => l.ndc),
    ['00378611201'],
  );
});

test('usable lots: unexpired with stock, first to expire first', () => {
  assert.deepEqual(
    usableLots(LINES[0]).map((l) => l.id),
    ['a', 'b'],
  );
  assert.deepEqual(usableLots(undefined), []);
});

test('the draft starts from the stocked product and the quantity still to dispense', () => {
  const d = initialDispenseDraft(item, LINES);
  assert.deepEqual(
    [d.ndc, d.lotId, d.quantity, d.daysSupply, d.counsellingOffered],
    ['00143971301', '', '30', '30', true],
  );
  assert.equal(initialDispenseDraft({ ...item, quantityRemaining: 12 }, LINES).quantity, '12');
  assert.equal(initialDispenseDraft({ drug: {}, quantityRemaining: undefined }, []).ndc, '');
});

const draft = (over: Partial<DispenseDraft> = {}): DispenseDraft => ({ ...initialDispenseDraft(item, LINES), ...over });

test('a valid draft becomes the API body (FEFO without a lot; lot number and expiry with one)', () => {
  assert.deepEqual(dispenseBody(draft({ counsellingAccepted: true, counsellingNotes: ' dizziness ' }), LINES, 30), {
    ok: true,
    body: {
      ndc: '00143971301',
      quantity: 30,
      daysSupply: 30,
      counselling: { offered: true, accepted: true, notes: 'dizziness' },
    },
  });
  const withLot = dispenseBody(draft({ lotId: 'b' }), LINES, 30);
  assert.ok(withLot.ok);
  assert.deepEqual([withLot.body.lot, withLot.body.expiry], ['LOT-b', '2027-06-01']);
});

test('counselling cannot be accepted when it was not offered', () => {
  const out = dispenseBody(draft({ counsellingOffered: false, counsellingAccepted: true }), LINES, undefined);
  assert.ok(out.ok);
  assert.deepEqual(out.body.counselling, { offered: false, accepted: false });
});

test('problems land on the API field names', () => {
  assert.deepEqual(dispenseBody(draft({ ndc: '', quantity: '0', daysSupply: '400' }), LINES, 30), {
    ok: false,
    problems: {
      'body.ndc': 'Choose a product in stock',
      'body.quantity': 'Enter a quantity greater than 0',
      'body.daysSupply': 'Whole days, 1 to 365',
    },
  });
  assert.deepEqual(dispenseBody(draft({ quantity: '31' }), LINES, 30), {
    ok: false,
    problems: { 'body.quantity': 'Only 30 remain to be dispensed' },
  });
  assert.deepEqual(dispenseBody(draft({ quantity: '1.2345' }), LINES, 30), {
    ok: false,
    problems: { 'body.quantity': 'At most 3 decimals' },
  });
  assert.deepEqual(dispenseBody(draft({ quantity: '20', lotId: 'a' }), LINES, 30), {
    ok: false,
    problems: { 'body.lot': 'Only 10 in stock in this lot' },
  });
  assert.deepEqual(dispenseBody(draft({ quantity: '60' }), LINES, undefined), {
    ok: false,
    problems: { 'body.quantity': 'Only 50 in stock' },
  });
  assert.deepEqual(dispenseBody(draft({ lotId: 'x' }), LINES, 30), {
    ok: false,
    problems: { 'body.lot': 'This lot has no usable stock' },
  });
});

test('a substitution needs a reason and is sent with its type', () => {
  assert.deepEqual(
    dispenseBody(
      draft({ ndc: '00378611201', substitute: true, substitutionType: 'TE', substitutionReason: 'no' }),
      LINES,
      30,
    ),
    { ok: false, problems: { 'body.substitution.reason': 'Give a reason of at least 5 characters' } },
  );
  const ok = dispenseBody(
    draft({ ndc: '00378611201', substitute: true, substitutionType: 'TE', substitutionReason: ' Out of stock ' }),
    LINES,
    30,
  );
  assert.ok(ok.ok);
  assert.deepEqual(ok.body.substitution, { type: 'TE', reason: 'Out of stock' });
});
