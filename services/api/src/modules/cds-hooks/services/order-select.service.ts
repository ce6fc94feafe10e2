import type { DrugKnowledgeBase } from '../../drug-safety';
import type { CdsService } from '../cds-types';
import { OrderSelectContext } from '../hook-request';
import { medicationOrderCards } from './medication-order-cards';
import { SAFETY_PREFETCH } from './prefetch-templates';

/** order-select: as soon as a medication is picked, screens the selected drafts against the chart and the other drafts. */
export function orderSelectService(kb: DrugKnowledgeBase): CdsService<OrderSelectContext> {
  return {
    definition: {
      hook: 'order-select',
      id: 'wintehr-order-select',
      title: 'Medication selection check',
      description:
        'Screens the selected medication orders against the chart and the other draft orders (interactions, allergies, duplicate therapy).',
      prefetch: { ...SAFETY_PREFETCH },
    },
    context: OrderSelectContext,
    patientOf: (c) => c.patientId,
    handle({ request, data, now }) {
      return medicationOrderCards(
        kb,
        data,
        request.context.draftOrders as unknown as fhir4.Bundle,
        new Set(request.context.selections),
        now,
      );
    },
  };
}
