/**
 * Pure trend analysis for one analyte over time: least-squares slope of value against time, and a direction
 * that ignores changes too small to matter (within tolerance over the observed span).
 */
export interface Point {
  at: string;
  value: number;
}
export type Direction = 'rising' | 'falling' | 'stable' | 'insufficient-data';

/** Slope in value units per day; undefined with fewer than two points at distinct times. */
export function slopePerDay(points: readonly Point[]): number | undefined {
  const xs = points.map((p) => Date.parse(p.at) / 86_400_000);
  const n = points.length;
  if (n < 2) return undefined;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (points[i]!.value - my);
  }
  return sxx === 0 ? undefined : sxy / sxx;
}

/**
 * Direction of the fitted line over the observed span. The change is "stable" when smaller than the tolerance:
 * 10% of the reference range width when both bounds are known, else 5% of the mean magnitude.
 */
export function trendDirection(
  points: readonly Point[],
  range?: { low?: number; high?: number },
): { direction: Direction; slopePerDay?: number; change?: number } {
  const slope = slopePerDay(points);
  if (slope === undefined) return { direction: 'insufficient-data' };
  const times = points.map((p) => Date.parse(p.at));
  const spanDays = (Math.max(...times) - Math.min(...times)) / 86_400_000;
  const change = slope * spanDays;
  const mean = points.reduce((s, p) => s + p.value, 0) / points.length;
  const tolerance =
    range?.low !== undefined && range.high !== undefined ? 0.1 * (range.high - range.low) : 0.05 * Math.abs(mean);
  const direction: Direction = Math.abs(change) <= tolerance ? 'stable' : change > 0 ? 'rising' : 'falling';
  return { direction, slopePerDay: round(slope), change: round(change) };
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
