import type { DispenseBody, QueueItem, StockLine, StockLot, SubstitutionType } from '@wintehr/contracts';

export interface DispenseDraft {
  /** 11-digit NDC of a stocked product. */
  ndc: string;
  /** A lot id, or '' for the first-expiring lot that covers the quantity (the API's FEFO). */
  lotId: string;
  quantity: string;
  daysSupply: string;
  substitute: boolean;
  substitutionType: SubstitutionType;
  substitutionReason: string;
  counsellingOffered: boolean;
  counsellingAccepted: boolean;
  counsellingNotes: string;
}

export const SUBSTITUTION_LABELS: Record<SubstitutionType, string> = {
  G: 'Generic (G)',
  E: 'Equivalent (E)',
  EC: 'Equivalent composition (EC)',
  BC: 'Brand composition (BC)',
  TE: 'Therapeutic alternative (TE)',
  TB: 'Therapeutic brand (TB)',
  TG: 'Therapeutic generic (TG)',
  F: 'Formulary (F)',
};
/** The substitution menu: generic first, the usual case at the counter. */
export const SUBSTITUTION_MENU: readonly SubstitutionType[] = ['G', 'E', 'EC', 'BC', 'TE', 'TB', 'TG', 'F'];

/** Products that can fill this prescription: the prescribed RxNorm product, or with a substitution anything in stock. */
export function dispensableLines(
  lines: readonly StockLine[],
  rxnorm: string | undefined,
  substitute: boolean,
): StockLine[] {
  return lines.filter((l) => l.onHand > 0 && (substitute ? l.rxcui !== rxnorm : l.rxcui === rxnorm));
}

/** Unexpired lots with stock, first to expire first. */
export function usableLots(line: StockLine | undefined): StockLot[] {
  return (line?.lots ?? [])
    .filter((l) => !l.expired && l.quantity > 0)
    .sort((a, b) => a.expiry.localeCompare(b.expiry));
}

export function initialDispenseDraft(
  item: Pick<QueueItem, 'drug' | 'quantityRemaining'>,
  lines: readonly StockLine[],
): DispenseDraft {
  const prescribed = dispensableLines(lines, item.drug.rxnorm, false);
  const quantity = item.quantityRemaining ?? item.drug.quantity?.value;
  return {
    ndc: prescribed[0]?.ndc ?? '',
    lotId: '',
    quantity: quantity !== undefined ? String(quantity) : '',
    daysSupply: String(item.drug.daysSupply ?? 30),
    substitute: false,
    substitutionType: 'G',
    substitutionReason: '',
    counsellingOffered: true,
    counsellingAccepted: false,
    counsellingNotes: '',
  };
}

export type DispenseCheck = { ok: true; body: DispenseBody } | { ok: false; problems: Record<string, string> };

/**
 * Pure: the draft as the API's dispense body, or the problems to show next to the fields (keyed by the API's
 * field names, so the server's own field problems land in the same places).
 */
export function dispenseBody(
  draft: DispenseDraft,
  lines: readonly StockLine[],
  remaining: number | undefined,
): DispenseCheck {
  const problems: Record<string, string> = {};
  const line = lines.find((l) => l.ndc === draft.ndc);
  if (!line) problems['body.ndc'] = 'Choose a product in stock';
  const quantity = Number(draft.quantity);
  if (!draft.quantity.trim() || !Number.isFinite(quantity) || quantity <= 0)
    problems['body.quantity'] = 'Enter a quantity greater than 0';
  else if (Math.round(quantity * 1000) !== quantity * 1000) problems['body.quantity'] = 'At most 3 decimals';
  else if (remaining !== undefined && quantity > remaining)
    problems['body.quantity'] = `Only ${remaining} remain to be dispensed`;
  const lot = draft.lotId ? usableLots(line).find((l) => l.id === draft.lotId) : undefined;
  if (draft.lotId && !lot) problems['body.lot'] = 'This lot has no usable stock';
  else if (!problems['body.quantity']) {
    const available = lot ? lot.quantity : line?.onHand;
    if (available !== undefined && quantity > available)
      problems[lot ? 'body.lot' : 'body.quantity'] = `Only ${available} in stock${lot ? ' in this lot' : ''}`;
  }
  const days = Number(draft.daysSupply);
  if (!Number.isInteger(days) || days < 1 || days > 365) problems['body.daysSupply'] = 'Whole days, 1 to 365';
  if (draft.substitute && draft.substitutionReason.trim().length < 5)
    problems['body.substitution.reason'] = 'Give a reason of at least 5 characters';
  if (Object.keys(problems).length || !line) return { ok: false, problems };
  const notes = draft.counsellingNotes.trim();
  return {
    ok: true,
    body: {
      ndc: line.ndc,
      quantity,
      daysSupply: days,
      ...(lot ? { lot: lot.lotNumber, expiry: lot.expiry } : {}),
      ...(draft.substitute
        ? { substitution: { type: draft.substitutionType, reason: draft.substitutionReason.trim() } }
        : {}),
      counselling: {
        offered: draft.counsellingOffered,
        accepted: draft.counsellingOffered && draft.counsellingAccepted,
        ...(notes ? { notes } : {}),
      },
    },
  };
}
