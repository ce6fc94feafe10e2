import { severityRank } from './severity';
import type { Concept, DrugKnowledgeBase, NamedCode, Severity } from './types';

export interface DuplicateMatch {
  readonly basis: 'ingredient' | 'therapeutic-class';
  readonly severity: Severity;
  readonly ingredients?: readonly NamedCode[];
  readonly classes?: readonly { readonly id: string; readonly name: string }[];
}

/**
 * Duplicate therapy between two products of the same route group (systemic/local): a shared ingredient, otherwise a
 * shared therapeutic class (classes.json kind "therapeutic"; severity = the class's duplicateSeverity).
 */
export function duplicateTherapy(kb: DrugKnowledgeBase, p: Concept, q: Concept): DuplicateMatch | undefined {
  if (p.local !== q.local) return undefined;
  let shared: string[] | undefined;
  for (const i of p.ingredients) if (q.ingredients.includes(i)) (shared ??= []).push(i);
  if (shared) {
    return {
      basis: 'ingredient',
      severity: 'moderate',
      ingredients: shared.map((rx) => ({ rxcui: rx, name: kb.ingredients.get(rx)?.name ?? rx })),
    };
  }
  const pc = therapeuticClasses(kb, p);
  if (!pc.length) return undefined;
  const qc = therapeuticClasses(kb, q);
  const common: string[] = [];
  for (const k of pc) if (qc.includes(k)) common.push(k);
  if (!common.length) return undefined;
  let severity: Severity = 'info';
  for (const k of common) {
    const s = kb.classes.get(k)?.duplicateSeverity ?? 'minor';
    if (severityRank(s) < severityRank(severity)) severity = s;
  }
  return {
    basis: 'therapeutic-class',
    severity,
    classes: common.map((id) => ({ id, name: kb.classes.get(id)!.name })),
  };
}

const classCache = new WeakMap<Concept, readonly string[]>();

/** Sorted therapeutic class ids of a product's ingredients (memoised per concept object). */
function therapeuticClasses(kb: DrugKnowledgeBase, c: Concept): readonly string[] {
  let out = classCache.get(c);
  if (!out) {
    const set = new Set<string>();
    for (const i of c.ingredients)
      for (const k of kb.ingredients.get(i)?.classes ?? []) if (kb.classes.get(k)?.kind === 'therapeutic') set.add(k);
    out = [...set].sort();
    classCache.set(c, out);
  }
  return out;
}
