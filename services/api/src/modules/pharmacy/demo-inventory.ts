import type { AppDeps } from '../../core/deps';
import type { DrugKnowledgeBase } from '../drug-safety';
import { sharedDrugKnowledgeBase as drugKb } from '../drug-safety/shared-kb';
import { idFromReference } from '../../core/fhir/fhir-kit';
import { receiveStock } from './inventory.service';
import { RXNORM_SYSTEM } from './ndc';

/**
 * Demo stock: in demo mode the demo pharmacy receives every product its seeded prescriptions name, so the demo
 * can verify and dispense them. It runs in the API rather than in the HAPI loader because stock lives in
 * PostgreSQL, whose tables and the demo pharmacist (the receiver of record) exist only once the API has started.
 * It stocks a pharmacy only while that pharmacy has no lots at all, so it never tops up real stock.
 */

export const DEMO_PHARMACIST = 'pharm.lee';
const RETRY_MS = 30_000;

export interface DemoReceipt {
  ndc: string;
  rxcui: string;
  lot: string;
  expiry: string;
  quantity: number;
  unit: string;
}

/** Pure: one receipt per product ordered (the first package NDC the KB knows), 20 times the largest fill. */
export function demoStockPlan(
  kb: DrugKnowledgeBase,
  orders: readonly fhir4.MedicationRequest[],
  today: Date,
): DemoReceipt[] {
  const byRxcui = new Map<string, { unit: string; max: number }>();
  for (const mr of orders) {
    const rx = mr.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM_SYSTEM && c.code)?.code;
    if (!rx) continue;
    const q = mr.dispenseRequest?.quantity;
    const unit = q?.code ?? '{tablet}';
    const prev = byRxcui.get(rx);
    byRxcui.set(rx, { unit: prev?.unit ?? unit, max: Math.max(prev?.max ?? 0, q?.value ?? 30) });
  }
  const ndcOf = new Map<string, string>();
  for (const [ndc, rx] of kb.ndc) if (byRxcui.has(rx) && (!ndcOf.has(rx) || ndc < ndcOf.get(rx)!)) ndcOf.set(rx, ndc);
  const expiry = new Date(Date.UTC(today.getUTCFullYear() + 2, today.getUTCMonth(), 1)).toISOString().slice(0, 10);
  const lot = `DEMO-${today.toISOString().slice(0, 7).replace('-', '')}`;
  return [...byRxcui.entries()]
    .filter(([rx]) => ndcOf.has(rx))
    .map(([rxcui, s]) => ({
      ndc: ndcOf.get(rxcui)!,
      rxcui,
      lot,
      expiry,
      quantity: Math.min(10_000, Math.max(100, Math.ceil(s.max * 20))),
      unit: s.unit,
    }))
    .sort((a, b) => a.ndc.localeCompare(b.ndc));
}

/** Stocks the demo pharmacy once. Returns false while the demo pharmacist is not there yet (try again later). */
export async function seedDemoInventory(deps: AppDeps, now = new Date()): Promise<boolean> {
  const { rows } = await deps.pg.query<{ id: string; pharmacy_org_id: string | null }>(
    'SELECT id, pharmacy_org_id FROM users WHERE username = $1',
    [DEMO_PHARMACIST],
  );
  const ph = rows[0];
  if (!ph?.pharmacy_org_id) return false;
  const orgId = ph.pharmacy_org_id;
  const stocked = await deps.pg.query('SELECT 1 FROM inventory_lots WHERE pharmacy_org_id = $1 LIMIT 1', [orgId]);
  if (stocked.rows.length) return true;
  const orders = (
    await deps.fhir.searchResources('MedicationRequest', {
      status: 'active',
      _elements: 'medicationCodeableConcept,dispenseRequest',
      _count: 1000,
    })
  ).filter((mr) => idFromReference(mr.dispenseRequest?.performer?.reference, 'Organization') === orgId);
  const plan = demoStockPlan(drugKb(), orders, now);
  for (const r of plan)
    await receiveStock(
      deps,
      { userId: ph.id, orgId },
      { ndc: r.ndc, lot: r.lot, expiry: r.expiry, quantity: r.quantity, unit: r.unit, supplier: 'Demo stock' },
      now,
    );
  deps.logger.info({ products: plan.length }, 'demo pharmacy stocked');
  return true;
}

/** In demo mode: stock the demo pharmacy as soon as its pharmacist exists (the demo data may still be loading). */
export function startDemoInventory(deps: AppDeps): void {
  if (!deps.config.demoMode) return;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const attempt = async () => {
    try {
      if (await seedDemoInventory(deps)) return;
    } catch (err) {
      deps.logger.warn({ err: { message: (err as Error).message } }, 'demo stock not received yet; retrying');
    }
    if (!closed) timer = setTimeout(() => void attempt(), RETRY_MS).unref();
  };
  timer = setTimeout(() => void attempt(), 5_000).unref();
  deps.onClose(async () => {
    closed = true;
    clearTimeout(timer);
  });
}
