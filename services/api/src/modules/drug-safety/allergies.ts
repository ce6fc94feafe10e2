import { normaliseText } from './load-kb';
import { codeSystemOf, resolveIngredients } from './resolve';
import { raise } from './severity';
import type { AllergenProfile, AllergyRef, Concept, DrugKnowledgeBase, NamedCode, Severity } from './types';

export type AllergenResolution =
  | { readonly kind: 'allergen'; readonly profile: AllergenProfile }
  | { readonly kind: 'ignored'; readonly reason: 'refuted' | 'entered-in-error' | 'inactive' | 'no-known-allergy' }
  | { readonly kind: 'unscreenable'; readonly reason: 'unmapped-allergy' | 'non-specific-allergy' };

/**
 * What a chart allergy stands for. RxNorm codes of any term type resolve through their ingredients (and the allergy
 * classes of those ingredients); SNOMED codes through allergy-classes.json; free text through class names,
 * synonyms, ingredient and brand names.
 */
export function resolveAllergen(kb: DrugKnowledgeBase, allergy: AllergyRef): AllergenResolution {
  if (allergy.verificationStatus === 'refuted') return { kind: 'ignored', reason: 'refuted' };
  if (allergy.verificationStatus === 'entered-in-error') return { kind: 'ignored', reason: 'entered-in-error' };
  if (allergy.clinicalStatus === 'inactive' || allergy.clinicalStatus === 'resolved')
    return { kind: 'ignored', reason: 'inactive' };

  const ingredients = new Set<string>();
  const classes = new Set<string>();
  const labels: string[] = [];
  let nonSpecific = false;
  let noKnown = false;
  const addIngredients = (ins: readonly string[], label: string) => {
    for (const i of ins) {
      ingredients.add(i);
      for (const c of kb.ingredients.get(i)?.allergyClasses ?? []) classes.add(c);
    }
    labels.push(label);
  };
  const addProfile = (p: AllergenProfile) => {
    addIngredients([...p.ingredients], p.label);
    for (const c of p.classes) classes.add(c);
  };
  const texts: string[] = [];
  for (const c of allergy.codings ?? []) {
    const system = codeSystemOf(c.system, c.code);
    const code = (c.code ?? '').trim();
    if (system === 'rxnorm' || system === 'ndc') {
      const r = resolveIngredients(kb, code, c.system ?? system);
      if (r.status === 'resolved' && r.concept.ingredients.length)
        addIngredients(r.concept.ingredients, r.concept.name);
      else if (c.display) texts.push(c.display);
    } else if (system === 'snomed') {
      const p = kb.snomedAllergens.get(code);
      if (p) addProfile(p);
      else if (kb.snomedNoKnownAllergy.has(code)) noKnown = true;
      else if (kb.snomedNonSpecific.has(code)) nonSpecific = true;
      else if (c.display) texts.push(c.display);
    } else if (c.display) texts.push(c.display);
    else if (code && system === 'text') texts.push(code);
  }
  if (allergy.text) texts.push(allergy.text);
  if (ingredients.size === 0 && classes.size === 0) {
    for (const t of texts) {
      const p = textAllergen(kb, t);
      if (p) {
        addProfile(p);
        break;
      }
    }
  }
  if (ingredients.size || classes.size)
    return { kind: 'allergen', profile: { ingredients, classes, label: labels[0] ?? 'allergen' } };
  if (noKnown) return { kind: 'ignored', reason: 'no-known-allergy' };
  return { kind: 'unscreenable', reason: nonSpecific ? 'non-specific-allergy' : 'unmapped-allergy' };
}

function textAllergen(kb: DrugKnowledgeBase, text: string): AllergenProfile | undefined {
  const t = normaliseText(text);
  const candidates = [
    t,
    t.replace(/^(history of |h o )?(allergy|allergic|hypersensitivity|intolerance)( reaction)?( to)? /, ''),
    t.replace(/ (allergy|intolerance|hypersensitivity)$/, ''),
  ];
  for (const c of candidates) {
    const p = kb.textAllergens.get(c);
    if (p) return p;
  }
  return undefined;
}

export interface AllergyMatch {
  readonly matchType: 'ingredient' | 'class' | 'cross-sensitivity';
  readonly ingredient: NamedCode;
  readonly allergyClass?: { readonly id: string; readonly name: string };
  readonly severity: Exclude<Severity, 'info'>;
  readonly note?: string;
  readonly source?: string;
}

/** Best match of an allergen against a product: ingredient > same class > cross-sensitivity. */
export function matchAllergen(
  kb: DrugKnowledgeBase,
  profile: AllergenProfile,
  product: Concept,
  criticality?: string,
): AllergyMatch | undefined {
  const high = criticality === 'high';
  const name = (rx: string) => ({ rxcui: rx, name: kb.ingredients.get(rx)?.name ?? rx });
  for (const i of product.ingredients) {
    if (profile.ingredients.has(i))
      return { matchType: 'ingredient', ingredient: name(i), severity: high ? 'contraindicated' : 'major' };
  }
  for (const i of product.ingredients) {
    for (const c of kb.ingredients.get(i)?.allergyClasses ?? []) {
      if (profile.classes.has(c)) {
        const cls = kb.allergyClasses.get(c)!;
        return {
          matchType: 'class',
          ingredient: name(i),
          allergyClass: { id: c, name: cls.name },
          severity: high ? 'contraindicated' : 'major',
          ...(cls.note ? { note: cls.note } : {}),
          source: cls.source,
        };
      }
    }
  }
  let best: AllergyMatch | undefined;
  for (const cid of [...profile.classes].sort()) {
    const cls = kb.allergyClasses.get(cid);
    for (const x of cls?.crossSensitivity ?? []) {
      for (const i of product.ingredients) {
        if (!kb.ingredients.get(i)?.allergyClasses.includes(x.classId)) continue;
        const target = kb.allergyClasses.get(x.classId)!;
        const severity = high ? raise(x.severity) : x.severity;
        if (!best || rank(severity) < rank(best.severity)) {
          best = {
            matchType: 'cross-sensitivity',
            ingredient: name(i),
            allergyClass: { id: target.id, name: target.name },
            severity,
            note: x.note,
            source: cls!.source,
          };
        }
      }
    }
  }
  return best;
}

function rank(s: Severity): number {
  return ['contraindicated', 'major', 'moderate', 'minor', 'info'].indexOf(s);
}
