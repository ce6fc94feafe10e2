import { useQuery } from '@tanstack/react-query';
import type { EncounterList, EncounterSummary } from '@wintehr/contracts';
import { api } from '../../core/api/client';

/**
 * The open visit of a chart: the patient's in-progress Encounter. The chart reads it once and hands the encounter id
 * down as a prop (notes, orders), so other features need not import this one.
 */
export const encounterApi = {
  inProgress: (patientId: string) =>
    api.get<EncounterList>(`/api/patients/${encodeURIComponent(patientId)}/encounters`, { status: 'in-progress' }),
};

/** The most recently started of several open encounters (a visit left open yesterday should not hide today's). */
export function currentEncounter(list: readonly EncounterSummary[]): EncounterSummary | undefined {
  return [...list]
    .filter((e) => e.status === 'in-progress')
    .sort((a, b) => (b.start ?? '').localeCompare(a.start ?? ''))[0];
}

export function useOpenEncounter(patientId: string): EncounterSummary | undefined {
  const q = useQuery({
    queryKey: ['patient', patientId, 'encounters', 'in-progress'],
    queryFn: () => encounterApi.inProgress(patientId),
    enabled: !!patientId,
    staleTime: 30_000,
  });
  return q.data ? currentEncounter(q.data.encounters) : undefined;
}
