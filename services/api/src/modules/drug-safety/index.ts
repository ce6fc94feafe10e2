/**
 * Drug-safety knowledge base and pure screening engine.
 *
 *   const kb = loadDrugKnowledgeBase();            // once, at start-up (the only I/O)
 *   checkMedicationSafety(kb, { proposed, active, allergies, patient })   // pure, deterministic
 *   searchDrugs(kb, 'lipitor', 10)
 */
export { checkMedicationSafety, sortFindings } from './check';
export { DEFAULT_KB_DIR, KnowledgeBaseError, buildDrugKnowledgeBase, loadDrugKnowledgeBase } from './load-kb';
export { codeSystemOf, ndcCandidates, resolveIngredients, resolveMedication } from './resolve';
export { searchDrugs, type DrugSearchHit } from './search';
export { matchIngredientPair, productInteractions } from './interactions';
export { resolveAllergen, matchAllergen } from './allergies';
export { duplicateTherapy } from './duplicates';
export { drugConditionFindings } from './patient-rules';
export { conditionFlagsOf, conditionFlagsOfCodings } from './condition-codes';
export { controlledSchedule } from './controlled';
export { atLeast, severityRank } from './severity';
export { blockingFindings, EXT_SAFETY_OVERRIDE } from './override-policy';
export type * from './types';
