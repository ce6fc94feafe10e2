import { summariseCsPeriod, type CsLogRow } from './cs-report';

const row = (id: number, kind: 'receipt' | 'dispense', quantity: number, balanceAfter: number): CsLogRow => ({
  id: String(id),
  kind,
  quantity,
  balanceAfter,
  occurredAt: `2026-03-0${id}T10:00:00Z`,
});

describe('controlled-substance period summary', () => {
  it('opens with the balance before the period and closes with the last balance', () => {
    const s = summariseCsPeriod(row(1, 'receipt', 100, 100), [
      row(2, 'dispense', -30, 70),
      row(3, 'receipt', 50, 120),
      row(4, 'dispense', -20, 100),
    ]);
    expect(s).toEqual({
      openingBalance: 100,
      received: 50,
      dispensed: 50,
      closingBalance: 100,
      movements: 3,
      reconciled: true,
    });
  });
  it('a period without movements keeps the opening balance', () => {
    expect(summariseCsPeriod(row(1, 'receipt', 40, 40), [])).toEqual({
      openingBalance: 40,
      received: 0,
      dispensed: 0,
      closingBalance: 40,
      movements: 0,
      reconciled: true,
    });
  });
  it('no history at all is zero everywhere', () => {
    expect(summariseCsPeriod(undefined, [])).toMatchObject({ openingBalance: 0, closingBalance: 0, reconciled: true });
  });
  it('the first receipt opens from zero', () => {
    expect(summariseCsPeriod(undefined, [row(1, 'receipt', 20, 20), row(2, 'dispense', -1, 19)])).toMatchObject({
      openingBalance: 0,
      received: 20,
      dispensed: 1,
      closingBalance: 19,
      reconciled: true,
    });
  });
  it('flags a log whose stored balances do not follow from the movements', () => {
    expect(summariseCsPeriod(row(1, 'receipt', 100, 100), [row(2, 'dispense', -30, 75)]).reconciled).toBe(false);
  });
  it('works on fractional quantities (mL) without float drift', () => {
    const s = summariseCsPeriod(undefined, [
      row(1, 'receipt', 0.3, 0.3),
      row(2, 'dispense', -0.1, 0.2),
      row(3, 'dispense', -0.2, 0),
    ]);
    expect(s).toMatchObject({ received: 0.3, dispensed: 0.3, closingBalance: 0, reconciled: true });
  });
});
