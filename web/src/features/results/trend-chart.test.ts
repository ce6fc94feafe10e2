import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrendResult } from '@wintehr/contracts';
import { chartGeometry, trendSummary } from './trend-chart';

test('points scale into the box; the reference band stays in view; out-of-range points are marked', () => {
  const g = chartGeometry(
    [
      { date: '2026-01-01T00:00:00Z', value: 4.0 },
      { date: '2026-01-11T00:00:00Z', value: 6.9 },
    ],
    { low: 3.5, high: 5.1 },
    200,
    60,
    10,
  );
  assert.equal(g.points[0]!.x, 10);
  assert.equal(g.points[1]!.x, 190);
  assert.ok(g.points[1]!.y < g.points[0]!.y, 'a higher value is drawn higher');
  assert.deepEqual(
    g.points.map((p) => p.out),
    [false, true],
  );
  assert.ok(g.band && g.band.top < g.band.bottom && g.band.top > 10 && g.band.bottom < 50);
  const one = chartGeometry([{ date: '2026-01-01T00:00:00Z', value: 5 }], {}, 100, 40);
  assert.equal(one.points[0]!.x, 50, 'a single point is centred');
  assert.equal(one.band, undefined);
});

test('the summary says direction, count, latest value and range', () => {
  const latest = { observationId: 'o2', date: 'b', value: 6.9, unit: 'mmol/L', interpretation: 'HH' as const };
  const t: TrendResult = {
    code: '2823-3',
    display: 'Potassium',
    unit: 'mmol/L',
    referenceRange: { low: 3.5, high: 5.1 },
    dataPoints: [{ observationId: 'o1', date: 'a', value: 4, unit: 'mmol/L', interpretation: 'N' }, latest],
    trend: 'rising',
    slopePerDay: 0.3,
    change: 2.9,
    latest,
    inRange: false,
  };
  assert.equal(trendSummary(t), 'Potassium: rising over 2 results; latest 6.9 mmol/L, outside the reference range.');
  assert.equal(trendSummary({ ...t, dataPoints: [] }), 'No Potassium results to trend.');
});
