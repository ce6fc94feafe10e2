import { useQuery } from '@tanstack/react-query';
import type { PortalAccessLog, PortalRecord, PortalRequests, PortalResults } from '@wintehr/contracts';
import { portalApi, useActingForId } from '../../core/portal/acting-for';

/** Every key starts with 'portal' and the subject, so switching whom one acts for never shows a cached answer. */
export const portalKeys = {
  record: (subject: string | null) => ['portal', subject ?? 'self', 'record'] as const,
  results: (subject: string | null) => ['portal', subject ?? 'self', 'results'] as const,
  requests: (subject: string | null) => ['portal', subject ?? 'self', 'requests'] as const,
  accessLog: (subject: string | null) => ['portal', subject ?? 'self', 'access-log'] as const,
};

export const useMyRecord = () => {
  const s = useActingForId();
  return useQuery({ queryKey: portalKeys.record(s), queryFn: () => portalApi.get<PortalRecord>('/api/portal/record') });
};

export const useMyResults = (enabled = true) => {
  const s = useActingForId();
  return useQuery({
    queryKey: portalKeys.results(s),
    queryFn: () => portalApi.get<PortalResults>('/api/portal/results'),
    enabled,
  });
};

export const useMyRequests = () => {
  const s = useActingForId();
  return useQuery({
    queryKey: portalKeys.requests(s),
    queryFn: () => portalApi.get<PortalRequests>('/api/portal/requests'),
  });
};

export const accessLogPage = (cursor?: string) =>
  portalApi.get<PortalAccessLog>('/api/portal/access-log', { limit: 20, ...(cursor ? { cursor } : {}) });
