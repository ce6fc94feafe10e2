import assert from 'node:assert/strict';
import { test } from 'node:test';
import { actorText, checkEntries, lotText, qty, reconciliationProblem, signedQty } from './cs-display';
import type { CsEntry, CsReportLine } from '@wintehr/contracts';

const entry = (id: string, kind: CsEntry['kind'], quantity: number, balanceAfter: number): CsEntry => ({
  id,
  kind,
  quantity,
  balanceAfter,
  occurredAt: '2026-11-02T10:00:00.000Z',
  lotId: 'lot-1',
  userId: 'u-1',
  receiptId: kind === 'receipt' ? `r-${id}` : null,
  dispenseId: kind === 'dispense' ? `d-${id}` : null,
});

const line = (o: Partial<CsReportLine>): CsReportLine => ({
  ndc: '00378611201',
  ndcFormatted: '00378-6112-01',
  rxcui: '1049621',
  deaSchedule: 'II',
  openingBalance: 10,
  received: 100,
  dispensed: 30,
  closingBalance: 80,
  movements: 2,
  reconciled: true,
  ...o,
});

test('quantities print without float noise; movements carry their sign', () => {
  assert.equal(qty(0.1 + 0.2), '0.3');
  assert.equal(qty(12.5), '12.5');
  assert.equal(qty(-0), '0');
  assert.equal(signedQty(100), '+100');
  assert.equal(signedQty(-30), '-30');
  assert.equal(signedQty(0), '0');
});

test('each running balance is re-derived from the one before', () => {
  const ok = checkEntries(10, [entry('1', 'receipt', 100, 110), entry('2', 'dispense', -30, 80)]);
  assert.deepEqual(
    ok.map((c) => [c.expectedBalance, c.broken]),
    [
      [110, false],
      [80, false],
    ],
  );
  // Entry 2 is off by 5; entry 3 follows from the logged (wrong) balance, so only entry 2 is flagged.
  const bad = checkEntries(10, [
    entry('1', 'receipt', 100, 110),
    entry('2', 'dispense', -30, 75),
    entry('3', 'dispense', -5, 70),
  ]);
  assert.deepEqual(
    bad.map((c) => [c.entry.id, c.expectedBalance, c.broken]),
    [
      ['1', 110, false],
      ['2', 80, true],
      ['3', 70, false],
    ],
  );
  assert.deepEqual(
    checkEntries(0, [entry('1', 'receipt', 0.1, 0.1), entry('2', 'receipt', 0.2, 0.3)]).map((c) => c.broken),
    [false, false],
  );
});

test('a reconciled drug needs no explanation; one that is not says why', () => {
  assert.equal(reconciliationProblem(line({})), undefined);
  const closes = reconciliationProblem(line({ reconciled: false, closingBalance: 70 }));
  assert.equal(
    closes,
    'Not reconciled: opening 10 + received 100 − dispensed 30 = 80, but the log closes at 70 (difference -10). ' +
      'Count the stock and investigate before signing.',
  );
  const rows = reconciliationProblem(
    line({
      reconciled: false,
      closingBalance: 80,
      entries: [entry('1', 'receipt', 100, 115), entry('2', 'dispense', -30, 80)],
    }),
  );
  assert.match(rows!, /^Not reconciled: 2 entries do not follow from the balance before\./);
  assert.match(
    reconciliationProblem(line({ reconciled: false }))!,
    /a running balance does not follow/,
    'no entries to point at',
  );
});

test('who and which lot', () => {
  assert.equal(actorText('u-1', { id: 'u-1', displayName: 'Lee Park' }), 'Lee Park (you)');
  assert.equal(actorText('u-2', { id: 'u-1', displayName: 'Lee Park' }), 'Account u-2');
  assert.equal(lotText('lot-1', new Map([['lot-1', 'OXY-7']])), 'OXY-7');
  assert.equal(lotText('lot-9', new Map()), 'Lot id lot-9');
});
