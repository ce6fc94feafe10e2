/**
 * Drug-condition screening (pure): a proposed drug against the patient's renal function, potassium and problem list,
 * using the rules of patient-rules.json. Per drug and basis only the most severe matching rule is reported, so an
 * eGFR of 20 yields the "below 30" finding, not also the "below 60" one.
 */
import { severityRank } from './severity';
import type {
  Concept,
  DrugConditionFinding,
  DrugKnowledgeBase,
  DrugRef,
  PatientContext,
  PatientRule,
  RuleSelector,
} from './types';

const CONDITION_LABEL: Readonly<Record<NonNullable<PatientRule['when']['condition']>, string>> = {
  ckd: 'chronic kidney disease on the problem list',
  'heart-failure': 'heart failure on the problem list',
  asthma: 'asthma on the problem list',
};

/** The chart fact that makes the rule apply, or undefined when it does not apply to this patient. */
export function ruleEvidence(rule: PatientRule, patient: PatientContext | undefined): string | undefined {
  const { egfrBelow, potassiumAbove, condition } = rule.when;
  if (egfrBelow !== undefined)
    return patient?.egfr !== undefined && patient.egfr < egfrBelow
      ? `eGFR ${patient.egfr} mL/min/1.73m² (below ${egfrBelow})`
      : undefined;
  if (potassiumAbove !== undefined)
    return patient?.potassium !== undefined && patient.potassium > potassiumAbove
      ? `potassium ${patient.potassium} mmol/L (above ${potassiumAbove})`
      : undefined;
  if (condition !== undefined) return patient?.conditions?.includes(condition) ? CONDITION_LABEL[condition] : undefined;
  return undefined;
}

function matchingIngredient(kb: DrugKnowledgeBase, concept: Concept, drugs: RuleSelector): string | undefined {
  for (const rx of concept.ingredients) {
    const keys = kb.ingredients.get(rx)?.keys ?? [];
    if (drugs.ingredients?.some((i) => i.rxcui === rx) || drugs.classes?.some((c) => keys.includes(`c:${c}`)))
      return rx;
  }
  return undefined;
}

export function drugConditionFindings(
  kb: DrugKnowledgeBase,
  drug: DrugRef,
  concept: Concept,
  patient: PatientContext | undefined,
): DrugConditionFinding[] {
  if (!patient || !kb.patientRules.length) return [];
  const best = new Map<string, DrugConditionFinding>();
  for (const rule of kb.patientRules) {
    if (concept.local && !rule.includeLocal) continue;
    const evidence = ruleEvidence(rule, patient);
    if (!evidence) continue;
    const rx = matchingIngredient(kb, concept, rule.drugs);
    if (!rx) continue;
    const slot = `${rule.basis}:${rule.when.condition ?? ''}`;
    const prev = best.get(slot);
    if (prev && severityRank(prev.severity) <= severityRank(rule.severity)) continue;
    const ingredient = { rxcui: rx, name: kb.ingredients.get(rx)?.name ?? rx };
    best.set(slot, {
      kind: 'drug-condition',
      id: `drug-condition:${rule.id}:${drug.ref ? `${drug.code}@${drug.ref}` : drug.code}`,
      severity: rule.severity,
      ruleId: rule.id,
      drug,
      ingredient,
      reason: rule.basis,
      evidence,
      effect: rule.effect,
      management: rule.management,
      source: rule.source,
      message: `${rule.severity.charAt(0).toUpperCase()}${rule.severity.slice(1)}: ${drug.display} (${ingredient.name}) with ${evidence}. ${rule.effect} ${rule.management}`,
    });
  }
  return [...best.values()];
}
