import { severityRank } from './severity';
import type { Concept, DrugKnowledgeBase, InteractionRule, PairMatch, PatientContext, Severity } from './types';

const PAIR_CACHE_LIMIT = 100_000;
const NONE: ProductInteraction[] = [];

/** Rules matched by an ordered pair of distinct ingredients (memoised; pure in the KB), after rule precedence. */
export function matchIngredientPair(kb: DrugKnowledgeBase, x: string, y: string): readonly PairMatch[] {
  if (x === y) return [];
  const key = `${x}|${y}`;
  const hit = kb.pairCache.get(key);
  if (hit) return hit;
  const ix = kb.ingredients.get(x);
  const iy = kb.ingredients.get(y);
  const out: PairMatch[] = [...(kb.rulesByPair.get(key) ?? [])];
  if (ix && iy) {
    const seen = new Set<string>();
    for (const k of ix.keys) {
      for (const entry of kb.rulesByKey.get(k) ?? []) {
        const tag = `${entry.rule.id}/${entry.side}`;
        if (seen.has(tag)) continue;
        if (iy.keys.some((ky) => entry.other.has(ky))) {
          seen.add(tag);
          out.push({ rule: entry.rule, firstIsA: entry.side === 'a' });
        }
      }
    }
  }
  // A symmetric rule (same class on both sides) may match both orientations: keep one.
  const unique = precedence(out.filter((m, i) => out.findIndex((o) => o.rule === m.rule) === i));
  if (kb.pairCache.size >= PAIR_CACHE_LIMIT) kb.pairCache.clear();
  kb.pairCache.set(key, unique);
  return unique;
}

/**
 * One ingredient pair, several sources: curated rules stand; a generated rule (NDF-RT, FDA families, labels) is kept
 * only when strictly more severe than every curated one and no curated rule grades the pair explicitly as
 * non-interruptive (Phansalkar 2013); of the generated rules only the most severe is kept (label/family text before
 * NDF-RT's, which carries no mechanism). The kept generated rule replaces the milder curated ones.
 */
function precedence(matches: PairMatch[]): PairMatch[] {
  if (matches.length < 2) return matches;
  const curated = matches.filter((m) => !m.rule.origin);
  const generated = matches.filter((m) => m.rule.origin);
  if (!generated.length) return matches;
  let best: PairMatch | undefined;
  for (const g of generated) {
    if (!best) {
      best = g;
      continue;
    }
    const d = severityRank(g.rule.severity) - severityRank(best.rule.severity);
    if (
      d < 0 ||
      (d === 0 && ORIGIN_RANK[g.rule.origin!] < ORIGIN_RANK[best.rule.origin!]) ||
      (d === 0 && g.rule.origin === best.rule.origin && g.rule.id < best.rule.id)
    )
      best = g;
  }
  if (!curated.length) return [best!];
  if (curated.some((c) => c.rule.interruptive === false)) return curated;
  const curatedBest = Math.min(...curated.map((c) => severityRank(c.rule.severity)));
  return severityRank(best!.rule.severity) < curatedBest ? [best!] : curated;
}

const ORIGIN_RANK: Readonly<Record<NonNullable<InteractionRule['origin']>, number>> = {
  label: 0,
  family: 1,
  'ndf-rt': 2,
};

export interface ProductInteraction {
  readonly rule: InteractionRule;
  /** ingredient of the first product and of the second product */
  readonly first: string;
  readonly second: string;
  /** true when the first product satisfied side a of the rule */
  readonly firstIsA: boolean;
  readonly severity: Exclude<Severity, 'info'>;
  readonly notes: readonly string[];
}

/**
 * Interactions between two products (systemic ones only): every ingredient pair is matched, one result per rule,
 * superseded rules dropped, patient-context modifiers applied. Deterministic order (rule id).
 */
export function productInteractions(
  kb: DrugKnowledgeBase,
  p: Concept,
  q: Concept,
  patient?: PatientContext,
): readonly ProductInteraction[] {
  if (p.local || q.local || p.rxcui === q.rxcui) return NONE;
  let byRule: Map<string, ProductInteraction> | undefined;
  for (const x of p.ingredients) {
    for (const y of q.ingredients) {
      const matches = matchIngredientPair(kb, x, y);
      if (!matches.length) continue;
      byRule ??= new Map();
      for (const m of matches) {
        if (byRule.has(m.rule.id)) continue;
        const { severity, notes } = applyModifiers(m.rule, patient);
        byRule.set(m.rule.id, { rule: m.rule, first: x, second: y, firstIsA: m.firstIsA, severity, notes });
      }
    }
  }
  if (!byRule) return NONE;
  const superseded = new Set<string>();
  for (const r of byRule.values()) for (const s of r.rule.supersedes ?? []) superseded.add(s);
  return [...byRule.values()]
    .filter((r) => !superseded.has(r.rule.id))
    .sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1));
}

function applyModifiers(
  rule: InteractionRule,
  patient?: PatientContext,
): { severity: Exclude<Severity, 'info'>; notes: string[] } {
  let severity = rule.severity;
  const notes: string[] = [];
  for (const m of rule.modifiers ?? []) {
    const { egfrBelow, ageAtLeast, potassiumAbove } = m.when;
    const applies =
      (egfrBelow !== undefined && patient?.egfr !== undefined && patient.egfr < egfrBelow) ||
      (ageAtLeast !== undefined && patient?.ageYears !== undefined && patient.ageYears >= ageAtLeast) ||
      (potassiumAbove !== undefined && patient?.potassium !== undefined && patient.potassium > potassiumAbove);
    if (!applies) continue;
    notes.push(m.note);
    if (m.severity && severityRank(m.severity) < severityRank(severity)) severity = m.severity;
  }
  return { severity, notes };
}
