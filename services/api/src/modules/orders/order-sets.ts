import { catalogItem, type CatalogItem, type OrderType } from './catalog';

/** Order sets (templates) as data: a named bundle of catalog items placed together. */
export interface OrderSet {
  id: string;
  name: string;
  description: string;
  items: readonly { type: OrderType; code: string; priority?: Priority }[];
}
export type Priority = 'routine' | 'urgent' | 'asap' | 'stat';

export const ORDER_SETS: readonly OrderSet[] = [
  {
    id: 'diabetes-annual',
    name: 'Diabetes annual',
    description: 'Yearly diabetes monitoring labs',
    items: [
      { type: 'lab', code: '4548-4' },
      { type: 'lab', code: '24323-8' },
      { type: 'lab', code: '57698-3' },
      { type: 'lab', code: '14959-1' },
    ],
  },
  {
    id: 'chest-pain-workup',
    name: 'Chest pain workup',
    description: 'Emergency evaluation of acute chest pain',
    items: [
      { type: 'lab', code: '89579-7', priority: 'stat' },
      { type: 'lab', code: '58410-2', priority: 'stat' },
      { type: 'lab', code: '51990-0', priority: 'stat' },
      { type: 'lab', code: '48065-7', priority: 'stat' },
      { type: 'imaging', code: '36643-5', priority: 'stat' },
    ],
  },
  {
    id: 'anticoagulation-monitoring',
    name: 'Anticoagulation monitoring',
    description: 'Warfarin monitoring',
    items: [
      { type: 'lab', code: '6301-6' },
      { type: 'lab', code: '58410-2' },
    ],
  },
  {
    id: 'hypertension-baseline',
    name: 'Hypertension baseline',
    description: 'Initial labs for new hypertension',
    items: [
      { type: 'lab', code: '51990-0' },
      { type: 'lab', code: '57698-3' },
      { type: 'lab', code: '24356-8' },
      { type: 'lab', code: '4548-4' },
    ],
  },
];

export function orderSet(id: string): OrderSet | undefined {
  return ORDER_SETS.find((s) => s.id === id);
}

export interface ExpandedItem {
  item: CatalogItem;
  priority: Priority;
}

/**
 * Pure: the catalog items an order set places, after removing the codes the prescriber unticked. The request's
 * priority (when given) wins over the set's defaults. Unknown codes in `exclude` are an error, not silently ignored.
 */
export function expandOrderSet(
  set: OrderSet,
  o: { exclude?: readonly string[]; priority?: Priority } = {},
): { items: ExpandedItem[]; unknownExcludes: string[] } {
  const exclude = new Set(o.exclude ?? []);
  const codes = new Set(set.items.map((i) => i.code));
  const items: ExpandedItem[] = [];
  for (const i of set.items) {
    if (exclude.has(i.code)) continue;
    const item = catalogItem(i.type, i.code);
    if (!item) throw new Error(`order set ${set.id} names ${i.type} ${i.code}, which is not in the catalog`);
    items.push({ item, priority: o.priority ?? i.priority ?? 'routine' });
  }
  return { items, unknownExcludes: [...exclude].filter((c) => !codes.has(c)) };
}
