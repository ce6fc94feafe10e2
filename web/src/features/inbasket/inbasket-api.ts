import { api } from '../../core/api/client';
import type {
  InbasketActionBody,
  InbasketActionResult,
  InbasketCounts,
  InbasketKind,
  InbasketList,
} from '@wintehr/contracts';

export const inbasketKeys = {
  all: ['inbasket'] as const,
  list: (kind: InbasketKind | 'all') => ['inbasket', 'list', kind] as const,
  counts: ['inbasket', 'counts'] as const,
};

export const inbasketApi = {
  list: (kind?: InbasketKind) => api.get<InbasketList>('/api/inbasket', kind ? { kind } : undefined),
  counts: () => api.get<InbasketCounts>('/api/inbasket/counts'),
  act: (itemId: string, body: InbasketActionBody) =>
    api.post<InbasketActionResult>(`/api/inbasket/${encodeURIComponent(itemId)}/actions`, body),
};
