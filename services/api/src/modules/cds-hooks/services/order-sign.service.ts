import type { DrugKnowledgeBase } from '../../drug-safety';
import type { CdsService } from '../cds-types';
import { duplicateOrderCard, duplicateOrders } from '../duplicate-orders';
import { OrderSignContext } from '../hook-request';
import { bundleOf, entriesOf } from '../prefetch';
import { medicationOrderCards, missingDataCard } from './medication-order-cards';
import { SAFETY_PREFETCH, SERVICE_REQUEST_PREFETCH } from './prefetch-templates';

/** order-sign: drug safety of the draft medication orders, and duplicate lab/imaging orders. */
export function orderSignService(kb: DrugKnowledgeBase): CdsService<OrderSignContext> {
  return {
    definition: {
      hook: 'order-sign',
      id: 'wintehr-order-sign',
      title: 'Order safety check',
      description:
        'Screens draft medication orders against the chart (interactions, allergies, duplicate therapy, controlled substances) and flags duplicate lab and imaging orders.',
      prefetch: { ...SAFETY_PREFETCH, ...SERVICE_REQUEST_PREFETCH },
    },
    context: OrderSignContext,
    patientOf: (c) => c.patientId,
    handle({ request, data, now }) {
      const draftOrders = request.context.draftOrders as unknown as fhir4.Bundle;
      const cards = medicationOrderCards(kb, data, draftOrders, undefined, now);
      const drafts = entriesOf<fhir4.ServiceRequest>(draftOrders, 'ServiceRequest');
      if (drafts.length) {
        const missing = missingDataCard(data, ['serviceRequests'], 'Duplicate order check');
        if (missing) cards.push(missing);
        else
          for (const d of duplicateOrders(
            drafts,
            entriesOf<fhir4.ServiceRequest>(bundleOf(data, 'serviceRequests'), 'ServiceRequest'),
            now,
          ))
            cards.push(duplicateOrderCard(d));
      }
      return cards;
    },
  };
}
