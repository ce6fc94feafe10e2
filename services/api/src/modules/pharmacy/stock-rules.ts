/**
 * Pure rules of the dispense: which lot to take (FEFO), how much may still be dispensed, which fill this is.
 * No I/O, so they are unit-tested exhaustively; dispense.ts applies them inside the transaction.
 */

export interface LotView {
  id: string;
  lotNumber: string;
  /** YYYY-MM-DD; a lot is usable through the end of its expiry date. */
  expiry: string;
  quantity: number;
}

/** YYYY-MM-DD of a date in UTC. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A lot is expired once its expiry date has passed (it is still usable on the date itself). */
export function isExpired(expiry: string, today: string): boolean {
  return expiry < today;
}

/**
 * First-expiry-first-out: the unexpired lots that can cover `quantity` on their own, soonest expiry first
 * (ties: lot number, then id, so the order is deterministic). A dispense takes one lot, so one label carries
 * one lot number and expiry; the caller tries them in this order because a concurrent dispense may empty one.
 */
export function fefoCandidates<L extends LotView>(lots: readonly L[], quantity: number, today: string): L[] {
  return lots
    .filter((l) => !isExpired(l.expiry, today) && l.quantity >= quantity)
    .sort(
      (a, b) => a.expiry.localeCompare(b.expiry) || a.lotNumber.localeCompare(b.lotNumber) || a.id.localeCompare(b.id),
    );
}

export type QuantityProblem =
  | { code: 'NOT_POSITIVE'; message: string }
  | { code: 'EXCEEDS_REMAINING'; message: string; remaining: number }
  | { code: 'ALREADY_DISPENSED'; message: string };

/** Quantities are kept to 3 decimals (numeric(12,3)); compare on that grid so 0.1 + 0.2 behaves. */
export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/** What remains to dispense; undefined when the prescription states no quantity (a single fill completes it). */
export function remainingQuantity(prescribed: number | undefined, dispensed: number): number | undefined {
  if (prescribed === undefined) return dispensed > 0 ? 0 : undefined;
  return Math.max(0, round3(prescribed - dispensed));
}

/** A requested quantity must be positive and at most what remains. */
export function checkDispenseQuantity(
  quantity: number,
  prescribed: number | undefined,
  dispensed: number,
): QuantityProblem | undefined {
  if (!(quantity > 0)) return { code: 'NOT_POSITIVE', message: 'quantity must be greater than 0' };
  const remaining = remainingQuantity(prescribed, dispensed);
  if (remaining === 0) return { code: 'ALREADY_DISPENSED', message: 'the prescription is fully dispensed' };
  if (remaining !== undefined && round3(quantity) > remaining) {
    return {
      code: 'EXCEEDS_REMAINING',
      message: `quantity exceeds the ${remaining} remaining on the prescription`,
      remaining,
    };
  }
  return undefined;
}

export interface FillOutcome {
  /** Queue status after this dispense. */
  status: 'dispensed' | 'partially_dispensed';
  remainingAfter: number;
  /** v3 ActPharmacySupplyType: FF first fill (complete), FFP first fill partial, FFC first fill complete (the last portion). */
  fillType: 'FF' | 'FFP' | 'FFC';
}

/** The outcome of dispensing `quantity` now, given what was dispensed before. */
export function fillOutcome(quantity: number, prescribed: number | undefined, dispensedBefore: number): FillOutcome {
  const after = round3(dispensedBefore + quantity);
  const remainingAfter = prescribed === undefined ? 0 : Math.max(0, round3(prescribed - after));
  const complete = remainingAfter === 0;
  const fillType = complete ? (dispensedBefore > 0 ? 'FFC' : 'FF') : 'FFP';
  return { status: complete ? 'dispensed' : 'partially_dispensed', remainingAfter, fillType };
}
