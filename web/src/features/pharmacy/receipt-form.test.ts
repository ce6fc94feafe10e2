import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertText, EMPTY_RECEIPT, receiptBody } from './receipt-form';

const TODAY = '2026-03-01';

test('a complete receipt becomes the API body; optional fields are left out when empty', () => {
  assert.deepEqual(
    receiptBody({ ...EMPTY_RECEIPT, ndc: ' 00143-9713-01 ', lot: 'L1', expiry: '2027-01-31', quantity: '100' }, TODAY),
    {
      ok: true,
      body: { ndc: '00143-9713-01', lot: 'L1', expiry: '2027-01-31', quantity: 100, unit: '{tablet}' },
    },
  );
  const full = receiptBody(
    {
      ndc: '00143971301',
      lot: 'L/2',
      expiry: '2027-01-31',
      quantity: '12.5',
      unit: 'mL',
      supplier: ' McKesson ',
      invoiceNumber: 'INV-1',
      lowStockThreshold: '0',
    },
    TODAY,
  );
  assert.ok(full.ok);
  assert.deepEqual(
    [full.body.supplier, full.body.invoiceNumber, full.body.lowStockThreshold, full.body.unit],
    ['McKesson', 'INV-1', 0, 'mL'],
  );
});

test('problems are keyed by the API field names', () => {
  assert.deepEqual(
    receiptBody(
      { ...EMPTY_RECEIPT, ndc: '123', lot: 'bad lot!', expiry: '2026-02-28', quantity: '-1', lowStockThreshold: 'x' },
      TODAY,
    ),
    {
      ok: false,
      problems: {
        'body.ndc': 'An NDC: 10 or 11 digits, optionally hyphenated (5-4-2)',
        'body.lot': 'Letters, digits, - . / (up to 40)',
        'body.expiry': 'Expired stock cannot be received',
        'body.quantity': 'Enter a quantity greater than 0',
        'body.lowStockThreshold': 'A number, 0 or more',
      },
    },
  );
  const noDate = receiptBody({ ...EMPTY_RECEIPT, ndc: '00143971301', lot: 'L1', quantity: '1' }, TODAY);
  assert.deepEqual(noDate, { ok: false, problems: { 'body.expiry': 'The expiry date printed on the lot' } });
});

test('alerts read as sentences', () => {
  assert.equal(
    alertText({ kind: 'low-stock', ndc: '1', name: 'lisinopril', onHand: 5, threshold: 20 }),
    'lisinopril: 5 on hand, below the threshold of 20',
  );
  assert.equal(
    alertText({
      kind: 'expiring',
      ndc: '1',
      lotId: 'x',
      lotNumber: 'L1',
      expiry: '2026-03-02',
      quantity: 3,
      daysLeft: 1,
    }),
    'NDC 1: lot L1 (3) expires 2026-03-02, in 1 day',
  );
  assert.match(
    alertText({ kind: 'expired', ndc: '1', name: 'n', lotId: 'x', lotNumber: 'L1', expiry: '2026-01-01', quantity: 3 }),
    /expired on 2026-01-01/,
  );
});
