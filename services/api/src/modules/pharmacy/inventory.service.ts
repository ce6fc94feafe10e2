import type { AppDeps } from '../../core/deps';
import { badRequest } from '../../core/errors';
import { withTransaction } from '../../core/db/transaction';
import { sharedDrugKnowledgeBase } from '../drug-safety/shared-kb';
import { controlledLogRepository } from './controlled-log.repository';
import { summariseCsPeriod } from './cs-report';
import { inventoryRepository, type LotRow } from './inventory.repository';
import { formatNdc, productOfNdc, type NdcProduct } from './ndc';
import type { Pharmacist } from './pharmacist';
import type { CsReportLine, InventoryAlert, ReceiptBody, ReceiptResult, StockLine } from '@wintehr/contracts';
import { isExpired, isoDay, round3 } from './stock-rules';

export function productOrBadRequest(ndc: string, field = 'body.ndc'): NdcProduct {
  const p = productOfNdc(sharedDrugKnowledgeBase(), ndc);
  if (!p) throw badRequest('Unknown NDC', [{ field, message: 'not an NDC in the drug knowledge base' }]);
  return p;
}

/** A receipt adds stock to its lot and, for a controlled substance, appends to the perpetual log, atomically. */
export async function receiveStock(
  deps: AppDeps,
  ph: Pharmacist,
  body: ReceiptBody,
  now = new Date(),
): Promise<ReceiptResult> {
  const product = productOrBadRequest(body.ndc);
  if (isExpired(body.expiry, isoDay(now)))
    throw badRequest('Expired stock cannot be received', [
      { field: 'body.expiry', message: `expired on ${body.expiry}` },
    ]);
  return withTransaction(deps.pg, async (client) => {
    const lot = await inventoryRepository.receive(client, {
      orgId: ph.orgId,
      ndc: product.ndc,
      rxcui: product.rxcui,
      lotNumber: body.lot,
      expiry: body.expiry,
      quantity: body.quantity,
      unit: body.unit,
      ...(product.schedule ? { schedule: product.schedule } : {}),
    });
    const receipt = await inventoryRepository.insertReceipt(client, {
      orgId: ph.orgId,
      lotId: lot.id,
      quantity: body.quantity,
      userId: ph.userId,
      ...(body.supplier ? { supplier: body.supplier } : {}),
      ...(body.invoiceNumber ? { invoiceNumber: body.invoiceNumber } : {}),
    });
    if (body.lowStockThreshold !== undefined)
      await inventoryRepository.setThreshold(client, ph.orgId, product.ndc, body.lowStockThreshold);
    let controlled: ReceiptResult['controlled'];
    if (product.schedule) {
      const log = await controlledLogRepository.append(client, {
        orgId: ph.orgId,
        ndc: product.ndc,
        rxcui: product.rxcui,
        schedule: product.schedule,
        kind: 'receipt',
        quantity: body.quantity,
        lotId: lot.id,
        receiptId: receipt.id,
        userId: ph.userId,
      });
      controlled = { schedule: product.schedule, logId: log.id, balanceAfter: log.balanceAfter };
    }
    return { receiptId: receipt.id, receivedAt: receipt.receivedAt, lot, ...(controlled ? { controlled } : {}) };
  });
}

/** Pure: lots grouped per NDC with usable totals and the low-stock flag. */
export function stockLines(
  lots: readonly LotRow[],
  thresholds: ReadonlyMap<string, number>,
  today: string,
  names: (rxcui: string) => string | undefined = () => undefined,
): StockLine[] {
  const byNdc = new Map<string, LotRow[]>();
  for (const l of lots) byNdc.set(l.ndc, [...(byNdc.get(l.ndc) ?? []), l]);
  for (const ndc of thresholds.keys()) if (!byNdc.has(ndc)) byNdc.set(ndc, []);
  return [...byNdc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ndc, ls]) => {
      const usable = round3(ls.filter((l) => !isExpired(l.expiry, today)).reduce((s, l) => s + l.quantity, 0));
      const expired = round3(ls.filter((l) => isExpired(l.expiry, today)).reduce((s, l) => s + l.quantity, 0));
      const threshold = thresholds.get(ndc) ?? null;
      const rxcui = ls[0]?.rxcui ?? '';
      const name = rxcui ? names(rxcui) : undefined;
      return {
        ndc,
        ndcFormatted: formatNdc(ndc),
        rxcui,
        ...(name ? { name } : {}),
        unit: ls[0]?.unit ?? '',
        deaSchedule: ls[0]?.deaSchedule ?? null,
        onHand: usable,
        expiredQuantity: expired,
        lowStockThreshold: threshold,
        lowStock: threshold !== null && usable < threshold,
        lots: ls.map((l) => ({
          id: l.id,
          lotNumber: l.lotNumber,
          expiry: l.expiry,
          quantity: l.quantity,
          expired: isExpired(l.expiry, today),
        })),
      };
    });
}

/** Pure: below threshold, lots expiring within `days` (with stock), expired lots still holding stock. */
export function inventoryAlerts(lines: readonly StockLine[], today: string, days: number): InventoryAlert[] {
  const out: InventoryAlert[] = [];
  const t0 = Date.parse(`${today}T00:00:00Z`);
  for (const l of lines) {
    const name = l.name ? { name: l.name } : {};
    if (l.lowStock)
      out.push({ kind: 'low-stock', ndc: l.ndc, ...name, onHand: l.onHand, threshold: l.lowStockThreshold! });
    for (const lot of l.lots) {
      if (lot.quantity <= 0) continue;
      if (lot.expired) {
        out.push({
          kind: 'expired',
          ndc: l.ndc,
          ...name,
          lotId: lot.id,
          lotNumber: lot.lotNumber,
          expiry: lot.expiry,
          quantity: lot.quantity,
        });
        continue;
      }
      const daysLeft = Math.round((Date.parse(`${lot.expiry}T00:00:00Z`) - t0) / 86_400_000);
      if (daysLeft <= days)
        out.push({
          kind: 'expiring',
          ndc: l.ndc,
          ...name,
          lotId: lot.id,
          lotNumber: lot.lotNumber,
          expiry: lot.expiry,
          quantity: lot.quantity,
          daysLeft,
        });
    }
  }
  const rank = { expired: 0, 'low-stock': 1, expiring: 2 } as const;
  return out.sort((a, b) => rank[a.kind] - rank[b.kind] || a.ndc.localeCompare(b.ndc));
}

export async function inventoryOf(
  deps: AppDeps,
  ph: Pharmacist,
  o: { ndc?: string; includeEmpty?: boolean },
  now = new Date(),
): Promise<StockLine[]> {
  const kb = sharedDrugKnowledgeBase();
  const [lots, thresholds] = await Promise.all([
    inventoryRepository.lots(deps.pg, ph.orgId, o),
    inventoryRepository.thresholds(deps.pg, ph.orgId),
  ]);
  const th = o.ndc ? new Map([...thresholds].filter(([k]) => k === o.ndc)) : thresholds;
  return stockLines(lots, th, isoDay(now), (rx) => kb.concepts.get(rx)?.name);
}

/** `from` inclusive, `to` exclusive; a bare date `to` means through the end of that day (UTC). */
export function periodBounds(from: string, to: string): { from: Date; to: Date } {
  const f = new Date(from.length === 10 ? `${from}T00:00:00Z` : from);
  const t = to.length === 10 ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : new Date(to);
  if (!(f < t)) throw badRequest('Invalid period', [{ field: 'query.to', message: 'to must be after from' }]);
  return { from: f, to: t };
}

export async function controlledReport(
  deps: AppDeps,
  ph: Pharmacist,
  q: { ndc?: string; from: string; to: string; entries?: 'true' | 'false' },
): Promise<{ from: string; to: string; drugs: CsReportLine[] }> {
  const { from, to } = periodBounds(q.from, q.to);
  const kb = sharedDrugKnowledgeBase();
  let drugs: { ndc: string; rxcui: string; schedule: string }[];
  if (q.ndc) {
    const p = productOrBadRequest(q.ndc, 'query.ndc');
    if (!p.schedule)
      throw badRequest('Not a controlled substance', [
        { field: 'query.ndc', message: `${p.name} is not in DEA schedules II–V` },
      ]);
    drugs = [{ ndc: p.ndc, rxcui: p.rxcui, schedule: p.schedule }];
  } else {
    drugs = await controlledLogRepository.ndcs(deps.pg, ph.orgId);
  }
  const withEntries = q.entries ? q.entries === 'true' : !!q.ndc;
  const lines: CsReportLine[] = [];
  for (const d of drugs) {
    const { before, within } = await controlledLogRepository.period(deps.pg, ph.orgId, d.ndc, from, to);
    const name = kb.concepts.get(d.rxcui)?.name;
    lines.push({
      ndc: d.ndc,
      ndcFormatted: formatNdc(d.ndc),
      rxcui: d.rxcui,
      ...(name ? { name } : {}),
      deaSchedule: d.schedule,
      ...summariseCsPeriod(before, within),
      ...(withEntries ? { entries: within } : {}),
    });
  }
  return { from: from.toISOString(), to: to.toISOString(), drugs: lines };
}
