import { api } from '../../core/api/client';
import type {
  ClaimResult,
  CsReport,
  DispenseBody,
  DispenseResult,
  Inventory,
  InventoryAlerts,
  PharmacyDrugSearch,
  QueueItemDetail,
  QueueList,
  ReceiptRequest,
  ReceiptResult,
  ReleaseResult,
  ReturnReasonCode,
  ReturnResult,
  ThresholdResult,
  VerifyDecision,
  VerifyResult,
} from '@wintehr/contracts';
import type { QueueFilterId } from './queue-filters';

const item = (id: string) => `/api/pharmacy/queue/${encodeURIComponent(id)}`;

export const pharmacyKeys = {
  queue: (filter: QueueFilterId) => ['pharmacy', 'queue', filter] as const,
  queues: ['pharmacy', 'queue'] as const,
  item: (id: string) => ['pharmacy', 'item', id] as const,
  inventory: ['pharmacy', 'inventory'] as const,
  alerts: ['pharmacy', 'inventory', 'alerts'] as const,
  csReport: (from: string, to: string) => ['pharmacy', 'cs-report', from, to] as const,
};

export const pharmacyApi = {
  queue: (status: QueueFilterId, signal?: AbortSignal) =>
    api.get<QueueList>('/api/pharmacy/queue', { status, limit: 100 }, signal),
  item: (id: string, signal?: AbortSignal) => api.get<QueueItemDetail>(item(id), undefined, signal),
  claim: (id: string) => api.post<ClaimResult>(`${item(id)}/claim`),
  release: (id: string) => api.post<ReleaseResult>(`${item(id)}/release`),
  verify: (id: string, decisions: VerifyDecision[]) => api.post<VerifyResult>(`${item(id)}/verify`, { decisions }),
  dispense: (id: string, body: DispenseBody) => api.post<DispenseResult>(`${item(id)}/dispense`, body),
  returnToPrescriber: (id: string, reasonCode: ReturnReasonCode, reason: string) =>
    api.post<ReturnResult>(`${item(id)}/return`, { reasonCode, reason }),
  inventory: (includeEmpty = false) => api.get<Inventory>('/api/pharmacy/inventory', { includeEmpty }),
  alerts: (expiringWithinDays = 30) =>
    api.get<InventoryAlerts>('/api/pharmacy/inventory/alerts', { expiringWithinDays }),
  drugs: (q: string, signal?: AbortSignal) => api.get<PharmacyDrugSearch>('/api/pharmacy/drugs', { q }, signal),
  receive: (body: ReceiptRequest) => api.post<ReceiptResult>('/api/pharmacy/inventory/receipts', body),
  setThreshold: (ndc: string, lowStockThreshold: number) =>
    api.put<ThresholdResult>(`/api/pharmacy/inventory/${encodeURIComponent(ndc)}/threshold`, { lowStockThreshold }),
  /** Every logged drug with its entries; `from`/`to` as the API takes them (datetimes with offset, `to` exclusive). */
  csReport: (from: string, to: string, signal?: AbortSignal) =>
    api.get<CsReport>('/api/pharmacy/controlled-substances/report', { from, to, entries: true }, signal),
};
