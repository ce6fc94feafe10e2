import { inventoryAlerts, periodBounds, stockLines } from './inventory.service';
import type { LotRow } from './inventory.repository';

const lot = (id: string, ndc: string, expiry: string, quantity: number): LotRow => ({
  id,
  pharmacyOrgId: 'org',
  ndc,
  rxcui: '1',
  lotNumber: `L-${id}`,
  expiry,
  quantity,
  unit: '{tablet}',
  deaSchedule: null,
  updatedAt: '',
});
const today = '2026-06-15';

describe('stock lines', () => {
  it('sums unexpired stock per NDC and flags low stock', () => {
    const lines = stockLines(
      [
        lot('a', '11111111111', '2026-07-01', 5),
        lot('b', '11111111111', '2026-06-01', 50),
        lot('c', '22222222222', '2027-01-01', 100),
      ],
      new Map([
        ['11111111111', 10],
        ['33333333333', 5],
      ]),
      today,
    );
    expect(lines.map((l) => [l.ndc, l.onHand, l.expiredQuantity, l.lowStock])).toEqual([
      ['11111111111', 5, 50, true],
      ['22222222222', 100, 0, false],
      ['33333333333', 0, 0, true],
    ]);
  });
});

describe('alerts', () => {
  it('reports expired lots with stock, lots expiring within the window, and low stock', () => {
    const lines = stockLines(
      [
        lot('old', '11111111111', '2026-06-14', 3),
        lot('soon', '11111111111', '2026-07-15', 4),
        lot('far', '11111111111', '2026-07-16', 100),
        lot('empty', '11111111111', '2026-06-01', 0),
      ],
      new Map([['11111111111', 200]]),
      today,
    );
    const alerts = inventoryAlerts(lines, today, 30);
    expect(alerts.map((a) => [a.kind, 'lotNumber' in a ? a.lotNumber : a.ndc])).toEqual([
      ['expired', 'L-old'],
      ['low-stock', '11111111111'],
      ['expiring', 'L-soon'],
    ]);
    expect(alerts[2]).toMatchObject({ daysLeft: 30 });
  });
});

describe('report period', () => {
  it('a bare `to` date includes that whole day; `from` must come first', () => {
    expect(periodBounds('2026-06-01', '2026-06-30')).toEqual({
      from: new Date('2026-06-01T00:00:00Z'),
      to: new Date('2026-07-01T00:00:00Z'),
    });
    expect(() => periodBounds('2026-06-02', '2026-06-01T00:00:00Z')).toThrow('Invalid period');
  });
});
