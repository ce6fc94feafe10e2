import type { Concept, DeaSchedule, DrugKnowledgeBase, NamedCode } from './types';

const ORDER: readonly DeaSchedule[] = ['II', 'III', 'IV', 'V'];
const LIQUID = /Solution|Suspension|Syrup|Elixir|Liquid/;

/**
 * DEA schedule of a product: the most restrictive schedule among its ingredients, where an ingredient with a
 * combination schedule (codeine, dihydrocodeine, butalbital) uses it inside multi-ingredient products (C-V for
 * oral liquids where the law says so).
 */
export function controlledSchedule(
  kb: DrugKnowledgeBase,
  product: Concept,
): { schedule: DeaSchedule; ingredients: NamedCode[] } | undefined {
  let best: DeaSchedule | undefined;
  const contributing: NamedCode[] = [];
  const combination = product.ingredients.length > 1;
  for (const rx of product.ingredients) {
    const info = kb.ingredients.get(rx);
    if (!info?.deaSchedule) continue;
    let s = info.deaSchedule;
    if (combination && info.combinationSchedule) {
      s =
        info.combinationSchedule.liquid && product.doseForm && LIQUID.test(product.doseForm)
          ? info.combinationSchedule.liquid
          : info.combinationSchedule.default;
    }
    contributing.push({ rxcui: rx, name: info.name });
    if (!best || ORDER.indexOf(s) < ORDER.indexOf(best)) best = s;
  }
  return best ? { schedule: best, ingredients: contributing } : undefined;
}
