import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { ACTING_FOR_HEADER, type PortalActor, type PortalArea, type PortalProxies } from '@wintehr/contracts';
import { api, apiRequest } from '../api/client';
import type { QueryValue } from '../api/query-string';

/**
 * Whom the portal is acting for: the signed-in patient (null) or a patient they hold a proxy grant for. Kept in
 * session storage (one tab's choice, gone with the tab) and sent as the X-Acting-For header on every portal request.
 */
const KEY = 'wintehr.portal.actingFor';
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function actingForId(): string | null {
  return read();
}

export function setActingFor(patientId: string | null): void {
  try {
    if (patientId) sessionStorage.setItem(KEY, patientId);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage refused (some private modes): the portal stays on the signed-in patient, which is the safe side.
  }
  for (const l of listeners) l();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export const useActingForId = () => useSyncExternalStore(subscribe, read, () => null);

const headers = (): Record<string, string> => {
  const id = read();
  return id ? { [ACTING_FOR_HEADER]: id } : {};
};

/** The portal's API client: the shared one, with the acting-for header on every call. */
export const portalApi = {
  get: <T>(path: string, query?: Record<string, QueryValue>) => apiRequest<T>(path, { query, headers: headers() }),
  post: <T>(path: string, body?: unknown) =>
    apiRequest<T>(path, { method: 'POST', body: body ?? {}, headers: headers() }),
};

export const proxiesKey = ['portal-proxies'] as const;

/** Whom I may act for (myself first); not under the 'portal' key, so switching does not refetch it. */
export const useProxies = (enabled = true) =>
  useQuery({
    queryKey: proxiesKey,
    queryFn: () => api.get<PortalProxies>('/api/portal/proxies'),
    staleTime: 60_000,
    enabled,
  });

/**
 * The current subject with its tier's areas; undefined while loading (or when `enabled` is false: staff have no
 * portal). A stale choice (grant ended) falls back to me.
 */
export function useActingFor(enabled = true): {
  subject: PortalActor | undefined;
  /** False while acting for someone and the list (with their tier) has not arrived yet. */
  ready: boolean;
  allows: (area: PortalArea) => boolean;
} {
  const id = useActingForId();
  const q = useProxies(enabled);
  const subjects = q.data?.subjects ?? [];
  const subject = (id ? subjects.find((s) => s.patientId === id) : undefined) ?? subjects[0];
  return {
    subject,
    ready: !id || !!q.data || !!q.error,
    // Until the list arrives the page renders as before; the API enforces the tier in any case.
    allows: (area) => !subject || subject.areas.includes(area),
  };
}

/** What the menu may offer: the current subject's tier (everything for staff, or until the list arrives). */
export const usePortalAllows = (isPatient: boolean): ((area: PortalArea) => boolean) => useActingFor(isPatient).allows;
