/** Pure: the controlled-substance report for one NDC and period, from the perpetual log's rows. */

export interface CsLogRow {
  id: string;
  kind: 'receipt' | 'dispense';
  /** Signed: receipts positive, dispenses negative. */
  quantity: number;
  balanceAfter: number;
  occurredAt: string;
}

export interface CsPeriodSummary {
  openingBalance: number;
  received: number;
  dispensed: number;
  closingBalance: number;
  movements: number;
  /** opening + received − dispensed = closing, and every row's balance follows from the one before. */
  reconciled: boolean;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * `before` is the last row before the period (its balance opens the period), `within` the period's rows in log
 * order. The running balances are re-derived row by row, so a log whose stored balances do not add up is
 * reported as not reconciled instead of being trusted.
 */
export function summariseCsPeriod(before: CsLogRow | undefined, within: readonly CsLogRow[]): CsPeriodSummary {
  const openingBalance = before?.balanceAfter ?? 0;
  let received = 0;
  let dispensed = 0;
  let running = openingBalance;
  let reconciled = true;
  for (const row of within) {
    if (row.kind === 'receipt') received += row.quantity;
    else dispensed += -row.quantity;
    running = r3(running + row.quantity);
    if (running !== r3(row.balanceAfter)) reconciled = false;
  }
  const closingBalance = within.length ? within[within.length - 1]!.balanceAfter : openingBalance;
  if (r3(openingBalance + received - dispensed) !== r3(closingBalance)) reconciled = false;
  return {
    openingBalance,
    received: r3(received),
    dispensed: r3(dispensed),
    closingBalance,
    movements: within.length,
    reconciled,
  };
}
