import type { InventoryAlert, ReceiptRequest as ReceiptBody } from '@wintehr/contracts';

export interface ReceiptDraft {
  ndc: string;
  lot: string;
  expiry: string;
  quantity: string;
  unit: string;
  supplier: string;
  invoiceNumber: string;
  lowStockThreshold: string;
}

export const EMPTY_RECEIPT: ReceiptDraft = {
  ndc: '',
  lot: '',
  expiry: '',
  quantity: '',
  unit: '{tablet}',
  supplier: '',
  invoiceNumber: '',
  lowStockThreshold: '',
};

const NDC = /^(\d{4,5}-\d{3,4}-\d{1,2}|\d{10,11})$/;

export type ReceiptCheck = { ok: true; body: ReceiptBody } | { ok: false; problems: Record<string, string> };

/** Pure: the receipt form as the API body, or problems keyed by the API's field names. */
export function receiptBody(d: ReceiptDraft, today: string): ReceiptCheck {
  const problems: Record<string, string> = {};
  const ndc = d.ndc.trim();
  if (!NDC.test(ndc)) problems['body.ndc'] = 'An NDC: 10 or 11 digits, optionally hyphenated (5-4-2)';
  const lot = d.lot.trim();
  if (!lot || !/^[A-Za-z0-9\-./]{1,40}$/.test(lot)) problems['body.lot'] = 'Letters, digits, - . / (up to 40)';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.expiry)) problems['body.expiry'] = 'The expiry date printed on the lot';
  else if (d.expiry < today) problems['body.expiry'] = 'Expired stock cannot be received';
  const quantity = Number(d.quantity);
  if (!d.quantity.trim() || !Number.isFinite(quantity) || quantity <= 0)
    problems['body.quantity'] = 'Enter a quantity greater than 0';
  const threshold = d.lowStockThreshold.trim() === '' ? undefined : Number(d.lowStockThreshold);
  if (threshold !== undefined && (!Number.isFinite(threshold) || threshold < 0))
    problems['body.lowStockThreshold'] = 'A number, 0 or more';
  if (Object.keys(problems).length) return { ok: false, problems };
  return {
    ok: true,
    body: {
      ndc,
      lot,
      expiry: d.expiry,
      quantity,
      ...(d.unit.trim() ? { unit: d.unit.trim() } : {}),
      ...(d.supplier.trim() ? { supplier: d.supplier.trim() } : {}),
      ...(d.invoiceNumber.trim() ? { invoiceNumber: d.invoiceNumber.trim() } : {}),
      ...(threshold !== undefined ? { lowStockThreshold: threshold } : {}),
    },
  };
}

/** One alert as a sentence. */
export function alertText(a: InventoryAlert): string {
  const what = a.name ?? `NDC ${a.ndc}`;
  switch (a.kind) {
    case 'low-stock':
      return `${what}: ${a.onHand} on hand, below the threshold of ${a.threshold}`;
    case 'expiring':
      return `${what}: lot ${a.lotNumber} (${a.quantity}) expires ${a.expiry}, in ${a.daysLeft} day${a.daysLeft === 1 ? '' : 's'}`;
    case 'expired':
      return `${what}: lot ${a.lotNumber} (${a.quantity}) expired on ${a.expiry}; remove it from stock`;
  }
}
