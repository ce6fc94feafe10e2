/** Pure: the low-stock threshold as typed, checked as the API checks it (0 to 100 000, at most 3 decimals). */
export type ThresholdCheck = { ok: true; value: number } | { ok: false; problem: string };

export function thresholdValue(text: string): ThresholdCheck {
  const t = text.trim();
  const n = Number(t);
  if (!t || !Number.isFinite(n)) return { ok: false, problem: 'Enter a number, 0 or more' };
  if (n < 0 || n > 100_000) return { ok: false, problem: 'Between 0 and 100000' };
  if (Math.round(n * 1000) !== n * 1000) return { ok: false, problem: 'At most 3 decimals' };
  return { ok: true, value: n };
}

/** What the new threshold will mean for the stock on hand, said before saving. */
export function thresholdEffect(onHand: number, value: number): string {
  if (value === 0) return 'A threshold of 0 never raises a low-stock alert.';
  return onHand < value
    ? `${onHand} on hand is below ${value}: a low-stock alert will show.`
    : `${onHand} on hand is not below ${value}: no low-stock alert.`;
}
