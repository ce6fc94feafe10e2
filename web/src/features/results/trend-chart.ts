/** Pure geometry for the small trend chart of one analyte: points scaled into an SVG box, with the reference band. */

import type { TrendPoint, TrendResult } from '@wintehr/contracts';

/** What the chart draws of a data point. */
type ChartPoint = Pick<TrendPoint, 'date' | 'value'>;

export interface ChartGeometry {
  points: Array<{ x: number; y: number; value: number; date: string; out: boolean }>;
  /** The reference band as y coordinates (top ≤ bottom), when the range has both bounds in view. */
  band?: { top: number; bottom: number };
  min: number;
  max: number;
}

/**
 * Scales points into [pad, width-pad] × [pad, height-pad]. The value axis covers the data and the reference range
 * (so the band is always in view), with 10% headroom; time is linear between the first and last point.
 */
export function chartGeometry(
  points: readonly ChartPoint[],
  range: { low?: number; high?: number },
  width: number,
  height: number,
  pad = 8,
): ChartGeometry {
  const values = points.map((p) => p.value);
  const lo = Math.min(...values, ...(range.low !== undefined ? [range.low] : []));
  const hi = Math.max(...values, ...(range.high !== undefined ? [range.high] : []));
  const span = hi - lo || Math.abs(hi) || 1;
  const min = lo - span * 0.1;
  const max = hi + span * 0.1;
  const times = points.map((p) => Date.parse(p.date));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (t: number) => (t1 === t0 ? width / 2 : pad + ((t - t0) / (t1 - t0)) * (width - 2 * pad));
  const y = (v: number) => pad + ((max - v) / (max - min)) * (height - 2 * pad);
  const out = (v: number) => (range.low !== undefined && v < range.low) || (range.high !== undefined && v > range.high);
  return {
    points: points.map((p, i) => ({
      x: round(x(times[i]!)),
      y: round(y(p.value)),
      value: p.value,
      date: p.date,
      out: out(p.value),
    })),
    ...(range.low !== undefined && range.high !== undefined
      ? { band: { top: round(y(range.high)), bottom: round(y(range.low)) } }
      : {}),
    min,
    max,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** One sentence a screen reader reads for the chart: direction, count, latest value and whether it is in range. */
export function trendSummary(t: TrendResult): string {
  const n = t.dataPoints.length;
  if (!n) return `No ${t.display} results to trend.`;
  const latest = t.latest
    ? `latest ${t.latest.value} ${t.unit}${t.inRange === false ? ', outside the reference range' : t.inRange ? ', within the reference range' : ''}`
    : '';
  const dir = t.trend === 'insufficient-data' ? 'not enough results for a trend' : t.trend;
  return `${t.display}: ${dir} over ${n} result${n > 1 ? 's' : ''}; ${latest}.`;
}
