import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { carryOverrides, feedbackByService, shownCards, sortCards, unresolvedCritical } from './card-logic';
import { cdsClient, fetchSources } from './cds-client';
import type { CardDecision, CdsServiceDefinition, Decisions, ShownCard } from './cds-types';
import { orderSelectRequest, orderSignRequest } from './hook-requests';
import { fulfilPrefetch, neededSources } from './prefetch';
import { uuid } from './uuid';

type Phase = 'select' | 'sign';

/**
 * One order session's CDS Hooks state: order-select when a drug is chosen, order-sign before signing, the cards
 * shown, the user's decisions on them, and the feedback owed to the services. The chart data for prefetch is read
 * once per session (react-query, 30 s) and shared by both hooks.
 */
export function useOrderCds({ patientId, userId }: { patientId: string; userId: string | undefined }) {
  const queryClient = useQueryClient();
  const discovery = useQuery({
    queryKey: ['cds', 'discovery'],
    queryFn: ({ signal }) => cdsClient.discovery(signal),
    staleTime: 5 * 60_000,
  });
  const [phase, setPhase] = useState<Phase>('select');
  const [cards, setCards] = useState<ShownCard[]>([]);
  const [decisions, setDecisions] = useState<Record<string, CardDecision>>({});
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<unknown>();
  /** Every card shown in this session (for feedback and for matching the API's findings). */
  const history = useRef<ShownCard[]>([]);
  const sent = useRef(new Set<string>());
  const call = useRef(0);

  const run = useCallback(
    async (
      hook: 'order-select' | 'order-sign',
      drafts: fhir4.MedicationRequest[],
      selections?: string[],
    ): Promise<ShownCard[] | undefined> => {
      const mine = ++call.current;
      setChecking(true);
      setError(undefined);
      try {
        if (!userId)
          throw new Error(
            'Your account is not linked to a Practitioner, so decision support cannot check orders for you.',
          );
        const services: CdsServiceDefinition[] =
          discovery.data ??
          (await queryClient.fetchQuery<CdsServiceDefinition[]>({
            queryKey: ['cds', 'discovery'],
            queryFn: ({ signal }) => cdsClient.discovery(signal),
            staleTime: 5 * 60_000,
          }));
        const service = services.find((s) => s.hook === hook);
        if (!service) return [];
        const templates = service.prefetch ?? {};
        const types = neededSources(templates, { patientId });
        const sources = await queryClient.fetchQuery({
          queryKey: ['patient', patientId, 'cds-sources', [...types].sort().join(',')],
          queryFn: () => fetchSources(patientId, types),
          staleTime: 30_000,
        });
        const { prefetch } = fulfilPrefetch(templates, sources, patientId);
        const hookInstance = uuid();
        const base = { hookInstance, userId, patientId, drafts, prefetch };
        const request =
          hook === 'order-select'
            ? orderSelectRequest({ ...base, selections: selections ?? [] })
            : orderSignRequest(base);
        const result = shownCards(service.id, hook, hookInstance, await cdsClient.call(service.id, request));
        if (mine !== call.current) return undefined; // a newer call superseded this one
        history.current = [...history.current, ...result];
        return sortCards(result);
      } catch (err) {
        if (mine === call.current) setError(err);
        return undefined;
      } finally {
        if (mine === call.current) setChecking(false);
      }
    },
    [discovery.data, patientId, queryClient, userId],
  );

  /** order-select for newly chosen drafts; replaces the cards shown. */
  const select = useCallback(
    async (drafts: fhir4.MedicationRequest[], selections: string[]) => {
      setPhase('select');
      setCards([]);
      const r = await run('order-select', drafts, selections);
      if (r) setCards(r);
    },
    [run],
  );

  /** order-sign for the drafts about to be signed; overrides made at select carry over. Returns the cards, or undefined on failure. */
  const sign = useCallback(
    async (drafts: fhir4.MedicationRequest[]) => {
      const previous = cards;
      const r = await run('order-sign', drafts);
      if (!r) return undefined;
      const carried = carryOverrides(previous, decisions, r, new Date().toISOString());
      setDecisions(carried);
      setPhase('sign');
      setCards(r);
      return { cards: r, decisions: carried as Decisions };
    },
    [cards, decisions, run],
  );

  const decide = useCallback((key: string, d: CardDecision) => setDecisions((x) => ({ ...x, [key]: d })), []);
  const undo = useCallback(
    (key: string) =>
      setDecisions((x) => {
        const { [key]: _gone, ...rest } = x;
        return rest;
      }),
    [],
  );
  /**
   * A new draft (another drug, or the dialog closed): decisions on the old draft's cards were never committed, so
   * they are dropped and no feedback is sent for them. Accepted suggestions were reported when they were applied.
   */
  const clear = useCallback(() => {
    call.current++;
    history.current = [];
    setCards([]);
    setDecisions({});
    setPhase('select');
    setChecking(false);
    setError(undefined);
  }, []);

  /** Sends the feedback not sent yet for decided cards; resolves to the services that refused it (never throws). */
  const flushFeedback = useCallback(
    async (upTo: Decisions = decisions) => {
      const pending = history.current.filter((c) => upTo[c.key] && !sent.current.has(c.key));
      const failed: string[] = [];
      await Promise.all(
        [...feedbackByService(pending, upTo)].map(async ([serviceId, items]) => {
          try {
            await cdsClient.feedback(serviceId, items);
            for (const c of pending) if (c.serviceId === serviceId) sent.current.add(c.key);
          } catch {
            failed.push(serviceId);
          }
        }),
      );
      return failed;
    },
    [decisions],
  );

  const unresolved = useMemo(() => unresolvedCritical(cards, decisions), [cards, decisions]);
  return {
    phase,
    cards,
    decisions,
    checking,
    error,
    unresolved,
    history,
    select,
    sign,
    decide,
    undo,
    clear,
    flushFeedback,
  };
}
