import { controlledSchedule, ndcCandidates, type DeaSchedule, type DrugKnowledgeBase } from '../drug-safety';

export const NDC_SYSTEM = 'http://hl7.org/fhir/sid/ndc';
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

export interface NdcProduct {
  /** The 11-digit (5-4-2) form, the one inventory is keyed on. */
  ndc: string;
  rxcui: string;
  name: string;
  schedule?: DeaSchedule;
  ingredients: readonly string[];
}

/**
 * Pure: an NDC as written on a package (10 or 11 digits, with or without hyphens) to the product it is in the
 * drug knowledge base. Unknown NDCs are undefined: the pharmacy stocks only products it can identify, screen
 * and schedule.
 */
export function productOfNdc(kb: DrugKnowledgeBase, written: string): NdcProduct | undefined {
  for (const ndc of ndcCandidates(written)) {
    const rxcui = kb.ndc.get(ndc);
    const concept = rxcui ? kb.concepts.get(rxcui) : undefined;
    if (!rxcui || !concept) continue;
    const ctl = controlledSchedule(kb, concept);
    return {
      ndc,
      rxcui,
      name: concept.name,
      ingredients: concept.ingredients,
      ...(ctl ? { schedule: ctl.schedule } : {}),
    };
  }
  return undefined;
}

/** "00378611201" → "00378-6112-01" for display on labels and reports. */
export function formatNdc(ndc11: string): string {
  return `${ndc11.slice(0, 5)}-${ndc11.slice(5, 9)}-${ndc11.slice(9)}`;
}
