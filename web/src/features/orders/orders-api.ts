import { api } from '../../core/api/client';
import type { PlaceOrderBody, OrderSetBody } from './order-form';

export type OrderType = 'lab' | 'imaging' | 'referral';
export type Priority = 'routine' | 'urgent' | 'asap' | 'stat';
export interface CatalogItem { type: OrderType; system: string; code: string; display: string; detail?: string; synonyms?: string[]; fasting?: boolean }
export interface OrderSet { id: string; name: string; description: string; items: Array<CatalogItem & { priority: Priority }> }
export interface OrderWarning { code: 'DUPLICATE_ORDER'; message: string; orderCode: string; existingOrderId: string }

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

export const ordersApi = {
  catalog: (type: OrderType | undefined, q: string, signal?: AbortSignal) =>
    api.get<{ items: CatalogItem[] }>('/api/orders/catalog', { type, q, limit: 30 }, signal).then((r) => r.items),
  orderSets: () => api.get<{ items: OrderSet[] }>('/api/orders/order-sets').then((r) => r.items),
  place: (patientId: string, body: PlaceOrderBody) => api.post<{ order: fhir4.ServiceRequest; warnings: OrderWarning[] }>(`${p(patientId)}/orders`, body),
  placeSet: (patientId: string, setId: string, body: OrderSetBody) =>
    api.post<{ orderSetId: string; orders: fhir4.ServiceRequest[]; warnings: OrderWarning[] }>(`${p(patientId)}/order-sets/${encodeURIComponent(setId)}`, body),
  cancel: (orderId: string, reason: string) => api.post<unknown>(`/api/orders/${encodeURIComponent(orderId)}/cancel`, { reason }),
};
