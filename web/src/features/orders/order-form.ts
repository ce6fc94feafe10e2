/** Pure: order entry forms → the bodies of POST /api/patients/:id/orders and /order-sets/:setId (the contract's PlaceOrderBody and OrderSetBody). */
import type {
  CatalogItem,
  OrderPriority as Priority,
  OrderSetBody,
  OrderType,
  PlaceOrderRequest,
} from '@wintehr/contracts';

export const PRIORITIES: readonly { id: Priority; label: string }[] = [
  { id: 'routine', label: 'Routine' },
  { id: 'urgent', label: 'Urgent' },
  { id: 'asap', label: 'ASAP' },
  { id: 'stat', label: 'STAT' },
];
export const ORDER_TYPES: readonly { id: OrderType; label: string }[] = [
  { id: 'lab', label: 'Lab' },
  { id: 'imaging', label: 'Imaging' },
  { id: 'referral', label: 'Referral' },
];

export interface SingleOrderForm {
  item?: CatalogItem;
  priority: Priority;
  reason: string;
  note: string;
  contrast: boolean;
}
export interface OrderSetForm {
  setId?: string;
  excluded: ReadonlySet<string>;
  priority: Priority | '';
  reason: string;
}

export type OrderErrors = Partial<Record<'item' | 'reason' | 'set', string>>;

const reasonProblem = (r: string) => (r.trim() && r.trim().length < 2 ? 'At least 2 characters' : undefined);

export function validateSingle(f: SingleOrderForm): OrderErrors {
  const e: OrderErrors = {};
  if (!f.item) e.item = 'Choose what to order';
  const r = reasonProblem(f.reason);
  if (r) e.reason = r;
  return e;
}

export function toPlaceOrderBody(f: SingleOrderForm): PlaceOrderRequest {
  return {
    type: f.item!.type,
    code: f.item!.code,
    priority: f.priority,
    ...(f.reason.trim() ? { reason: { text: f.reason.trim() } } : {}),
    ...(f.note.trim() ? { note: f.note.trim() } : {}),
    ...(f.item!.type === 'imaging' && f.contrast ? { contrast: true } : {}),
  };
}

export function validateSet(f: OrderSetForm, itemCodes: readonly string[]): OrderErrors {
  const e: OrderErrors = {};
  if (!f.setId) e.set = 'Choose an order set';
  else if (itemCodes.every((c) => f.excluded.has(c))) e.set = 'Keep at least one order of the set';
  const r = reasonProblem(f.reason);
  if (r) e.reason = r;
  return e;
}

export function toOrderSetBody(f: OrderSetForm, itemCodes: readonly string[]): OrderSetBody {
  const exclude = itemCodes.filter((c) => f.excluded.has(c));
  return {
    ...(f.priority ? { priority: f.priority } : {}),
    ...(exclude.length ? { exclude } : {}),
    ...(f.reason.trim() ? { reason: { text: f.reason.trim() } } : {}),
  };
}

/** What to tell the user after placing: how many orders, and any duplicate warnings the API returned. */
export function placedMessage(
  count: number,
  warnings: readonly { message: string }[],
): { text: string; severity: 'success' | 'warning' } {
  const base = `${count} order${count === 1 ? '' : 's'} placed.`;
  return warnings.length
    ? { text: `${base} ${warnings.map((w) => w.message).join(' ')}`, severity: 'warning' }
    : { text: base, severity: 'success' };
}

/** Only these statuses can be cancelled (the API answers 409 otherwise). */
export const cancellable = (status: string | undefined) =>
  status === 'active' || status === 'on-hold' || status === 'draft';
