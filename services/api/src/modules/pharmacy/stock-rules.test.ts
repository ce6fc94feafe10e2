import { checkDispenseQuantity, fefoCandidates, fillOutcome, isExpired, remainingQuantity } from './stock-rules';

const lot = (id: string, expiry: string, quantity: number, lotNumber = id) => ({ id, lotNumber, expiry, quantity });
const today = '2026-06-15';

describe('FEFO lot choice', () => {
  it('takes the unexpired lot that expires first', () => {
    const lots = [lot('b', '2027-01-01', 50), lot('a', '2026-08-01', 50), lot('c', '2026-12-01', 50)];
    expect(fefoCandidates(lots, 10, today).map((l) => l.id)).toEqual(['a', 'c', 'b']);
  });
  it('skips expired lots but keeps a lot expiring today', () => {
    const lots = [lot('old', '2026-06-14', 100), lot('today', '2026-06-15', 100), lot('later', '2026-07-01', 100)];
    expect(fefoCandidates(lots, 1, today).map((l) => l.id)).toEqual(['today', 'later']);
  });
  it('skips lots that cannot cover the quantity on their own', () => {
    const lots = [lot('small', '2026-07-01', 5), lot('big', '2026-09-01', 30)];
    expect(fefoCandidates(lots, 10, today).map((l) => l.id)).toEqual(['big']);
    expect(fefoCandidates(lots, 31, today)).toEqual([]);
  });
  it('orders equal expiries by lot number, then id (deterministic)', () => {
    const lots = [
      lot('2', '2026-09-01', 10, 'LOT-B'),
      lot('1', '2026-09-01', 10, 'LOT-A'),
      lot('0', '2026-09-01', 10, 'LOT-A'),
    ];
    expect(fefoCandidates(lots, 1, today).map((l) => l.id)).toEqual(['0', '1', '2']);
  });
  it('treats a lot as expired only after its date', () => {
    expect(isExpired('2026-06-14', today)).toBe(true);
    expect(isExpired('2026-06-15', today)).toBe(false);
  });
});

describe('quantity rules', () => {
  it('refuses zero, negative and NaN', () => {
    expect(checkDispenseQuantity(0, 30, 0)?.code).toBe('NOT_POSITIVE');
    expect(checkDispenseQuantity(-1, 30, 0)?.code).toBe('NOT_POSITIVE');
    expect(checkDispenseQuantity(Number.NaN, 30, 0)?.code).toBe('NOT_POSITIVE');
  });
  it('allows up to the remaining quantity and no more', () => {
    expect(checkDispenseQuantity(30, 30, 0)).toBeUndefined();
    expect(checkDispenseQuantity(10, 30, 20)).toBeUndefined();
    expect(checkDispenseQuantity(11, 30, 20)).toMatchObject({ code: 'EXCEEDS_REMAINING', remaining: 10 });
  });
  it('reports a fully dispensed prescription', () => {
    expect(checkDispenseQuantity(1, 30, 30)?.code).toBe('ALREADY_DISPENSED');
  });
  it('compares on the 3-decimal grid (0.1 + 0.2 of 0.3 mL)', () => {
    expect(checkDispenseQuantity(0.2, 0.3, 0.1)).toBeUndefined();
    expect(remainingQuantity(0.3, 0.1)).toBe(0.2);
  });
  it('a prescription without a quantity completes on its first fill', () => {
    expect(remainingQuantity(undefined, 0)).toBeUndefined();
    expect(checkDispenseQuantity(5, undefined, 0)).toBeUndefined();
    expect(fillOutcome(5, undefined, 0)).toEqual({ status: 'dispensed', remainingAfter: 0, fillType: 'FF' });
    expect(checkDispenseQuantity(5, undefined, 5)?.code).toBe('ALREADY_DISPENSED');
  });
});

describe('fill outcome', () => {
  it('a complete first fill is FF', () =>
    expect(fillOutcome(30, 30, 0)).toEqual({ status: 'dispensed', remainingAfter: 0, fillType: 'FF' }));
  it('a partial fill is FFP with the remainder', () =>
    expect(fillOutcome(10, 30, 0)).toEqual({ status: 'partially_dispensed', remainingAfter: 20, fillType: 'FFP' }));
  it('the completing portion after partials is FFC', () =>
    expect(fillOutcome(20, 30, 10)).toEqual({ status: 'dispensed', remainingAfter: 0, fillType: 'FFC' }));
  it('a middle portion stays partial', () =>
    expect(fillOutcome(5, 30, 10)).toEqual({ status: 'partially_dispensed', remainingAfter: 15, fillType: 'FFP' }));
});
