import { useQuery } from '@tanstack/react-query';
import type { PortalAccessLog, PortalRecord, PortalRequests, PortalResults } from '@wintehr/contracts';
import { api } from '../../core/api/client';

export const portalKeys = {
  record: ['portal', 'record'] as const,
  results: ['portal', 'results'] as const,
  requests: ['portal', 'requests'] as const,
};

export const useMyRecord = () =>
  useQuery({ queryKey: portalKeys.record, queryFn: () => api.get<PortalRecord>('/api/portal/record') });

export const useMyResults = () =>
  useQuery({ queryKey: portalKeys.results, queryFn: () => api.get<PortalResults>('/api/portal/results') });

export const useMyRequests = () =>
  useQuery({ queryKey: portalKeys.requests, queryFn: () => api.get<PortalRequests>('/api/portal/requests') });

export const accessLogPage = (cursor?: string) =>
  api.get<PortalAccessLog>('/api/portal/access-log', { limit: 20, ...(cursor ? { cursor } : {}) });
