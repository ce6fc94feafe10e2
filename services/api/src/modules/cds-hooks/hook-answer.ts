/** The cards of one hook call: the service's own, plus one per draft order that could not be checked. */
import type { CardDraft, CdsService, PrefetchData } from './cds-types';
import { uncheckedOrderCards, withClientRefs } from './draft-orders';
import type { ParsedHookRequest } from './hook-request';

export function answerHook<C>(
  service: CdsService<C>,
  parsed: ParsedHookRequest<C>,
  data: PrefetchData,
  now: Date,
): CardDraft[] {
  const cards = [
    ...service.handle({ request: parsed.request, data, now }),
    ...uncheckedOrderCards(parsed.uncheckedOrders),
  ];
  return withClientRefs(cards, parsed.clientRefs);
}
