/** Pure: how the controlled-substance log reads on screen and on paper. */
import type { CsEntry, CsReportLine } from '@wintehr/contracts';

/** Quantities are kept to 3 decimals by the API; printed without float noise or trailing zeros. */
export function qty(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return String(Object.is(r, -0) ? 0 : r);
}

/** A movement with its direction: "+100", "-30". */
export function signedQty(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  return r > 0 ? `+${qty(r)}` : qty(r);
}

export const ENTRY_KIND_LABELS: Record<CsEntry['kind'], string> = { receipt: 'Receipt', dispense: 'Dispense' };

export interface EntryCheck {
  entry: CsEntry;
  /** The balance that follows from the one before and this movement. */
  expectedBalance: number;
  /** The logged balance disagrees with the expected one. */
  broken: boolean;
}

/**
 * Re-derives each running balance from the opening balance, as the API does for its reconciled flag, so the
 * page can point at the entries where the log stops adding up instead of only saying that it does not.
 */
export function checkEntries(openingBalance: number, entries: readonly CsEntry[]): EntryCheck[] {
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  let prev = openingBalance;
  return entries.map((entry) => {
    const expectedBalance = r3(prev + entry.quantity);
    prev = entry.balanceAfter;
    return { entry, expectedBalance, broken: expectedBalance !== r3(entry.balanceAfter) };
  });
}

/** Why a drug's period does not reconcile, in words for the pharmacist and the inspector; undefined when it does. */
export function reconciliationProblem(line: CsReportLine): string | undefined {
  if (line.reconciled) return undefined;
  const expected = Math.round((line.openingBalance + line.received - line.dispensed) * 1000) / 1000;
  const parts: string[] = [];
  if (expected !== Math.round(line.closingBalance * 1000) / 1000) {
    parts.push(
      `opening ${qty(line.openingBalance)} + received ${qty(line.received)} − dispensed ${qty(line.dispensed)} = ${qty(expected)}, ` +
        `but the log closes at ${qty(line.closingBalance)} (difference ${signedQty(line.closingBalance - expected)})`,
    );
  }
  const broken = line.entries ? checkEntries(line.openingBalance, line.entries).filter((c) => c.broken).length : 0;
  if (broken) parts.push(`${broken} entr${broken === 1 ? 'y does' : 'ies do'} not follow from the balance before`);
  if (!parts.length) parts.push('a running balance does not follow from the entry before it');
  return `Not reconciled: ${parts.join('; ')}. Count the stock and investigate before signing.`;
}

/** Who made a movement: the reader by name, anyone else by account id (the report carries ids, not names). */
export function actorText(userId: string, me: { id: string; displayName: string } | undefined): string {
  return me && userId === me.id ? `${me.displayName} (you)` : `Account ${userId}`;
}

/** The lot's number when the inventory knows it, else its id. */
export function lotText(lotId: string, lotNumbers: ReadonlyMap<string, string>): string {
  return lotNumbers.get(lotId) ?? `Lot id ${lotId}`;
}
