import { loadDrugKnowledgeBase } from './load-kb';
import type { DrugKnowledgeBase } from './types';

let instance: DrugKnowledgeBase | undefined;

/**
 * The process-wide knowledge base, loaded on first use (~0.6 s, read-only afterwards). The drug API, the CDS Hooks
 * services and the prescribe path share this one instance instead of each loading the files.
 */
export function sharedDrugKnowledgeBase(): DrugKnowledgeBase {
  instance ??= loadDrugKnowledgeBase();
  return instance;
}
