import type {
  CancelOrderResult,
  CatalogResult,
  OrderSetBody,
  OrderSetList,
  OrderType,
  PlaceOrderRequest,
  PlaceOrderResult,
  PlaceOrderSetResult,
} from '@wintehr/contracts';
import { api } from '../../core/api/client';

const p = (id: string) => `/api/patients/${encodeURIComponent(id)}`;

export const ordersApi = {
  catalog: (type: OrderType | undefined, q: string, signal?: AbortSignal) =>
    api.get<CatalogResult>('/api/orders/catalog', { type, q, limit: 30 }, signal).then((r) => r.items),
  orderSets: () => api.get<OrderSetList>('/api/orders/order-sets').then((r) => r.items),
  place: (patientId: string, body: PlaceOrderRequest) => api.post<PlaceOrderResult>(`${p(patientId)}/orders`, body),
  placeSet: (patientId: string, setId: string, body: OrderSetBody) =>
    api.post<PlaceOrderSetResult>(`${p(patientId)}/order-sets/${encodeURIComponent(setId)}`, body),
  cancel: (orderId: string, reason: string) =>
    api.post<CancelOrderResult>(`/api/orders/${encodeURIComponent(orderId)}/cancel`, { reason }),
};
