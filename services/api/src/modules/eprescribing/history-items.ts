import type { NetworkHistoryItem } from '@wintehr/contracts';
import type { ScriptMessage } from './ncpdp';

type RxHistoryResponse = Extract<ScriptMessage, { type: 'RxHistoryResponse' }>;

/**
 * The fills of a SCRIPT RxHistoryResponse as the API shows them: one mapping for GET medication-history and for
 * reconciliation's outside source, so the two never describe the same fill differently. Absent optional parts
 * become null (the contract's way of saying "the network did not say").
 */
export function historyItems(msg: RxHistoryResponse): NetworkHistoryItem[] {
  return msg.dispensed.map((d) => ({
    description: d.description,
    rxnorm: d.rxnorm?.code ?? null,
    ndc: d.ndc ?? null,
    quantity: d.quantity.value,
    unitCode: d.quantity.unitCode,
    daysSupply: d.daysSupply ?? null,
    lastFillDate: d.lastFillDate ?? null,
    pharmacyName: d.pharmacyName ?? null,
    sig: d.sig,
  }));
}
