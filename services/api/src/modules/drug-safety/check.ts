import { matchAllergen, resolveAllergen } from './allergies';
import { controlledSchedule } from './controlled';
import { duplicateTherapy } from './duplicates';
import { productInteractions } from './interactions';
import { drugConditionFindings } from './patient-rules';
import { codingsOf, resolveMedication } from './resolve';
import { atLeast, severityRank } from './severity';
import type {
  AllergyRef,
  Coding,
  Concept,
  DrugKnowledgeBase,
  DrugRef,
  Finding,
  MedRef,
  MedRole,
  NamedCode,
  SafetyCheckInput,
  UnableToScreenFinding,
} from './types';

interface Med {
  readonly ref: DrugRef;
  readonly concept?: Concept;
}

const KIND_ORDER: Readonly<Record<Finding['kind'], number>> = {
  'drug-allergy': 0,
  'drug-drug': 1,
  'drug-condition': 2,
  'duplicate-therapy': 3,
  'unable-to-screen': 4,
  'controlled-substance': 5,
};

/**
 * Screens proposed medications against the active list, against each other, against the allergy list and against
 * the patient's renal function, potassium and problem list.
 * Pure and deterministic: findings are sorted by severity, kind, then codes. Nothing unscreenable is dropped
 * silently: unknown codes, partially mapped products and unmappable allergies yield `unable-to-screen` findings.
 */
export function checkMedicationSafety(kb: DrugKnowledgeBase, input: SafetyCheckInput): Finding[] {
  const findings: Finding[] = [];
  const proposed = input.proposed.map((m) => toMed(kb, m, 'proposed', findings));
  const active = (input.active ?? []).map((m) => toMed(kb, m, 'active', findings));

  for (let i = 0; i < proposed.length; i++) {
    const p = proposed[i]!;
    if (!p.concept) continue;
    for (const q of active) screenPair(kb, p, q, input, findings);
    for (let j = i + 1; j < proposed.length; j++) screenPair(kb, p, proposed[j]!, input, findings);
  }

  for (const allergy of input.allergies ?? []) findings.push(...allergyFindings(kb, allergy, proposed));

  for (const p of proposed) {
    if (!p.concept) continue;
    findings.push(...drugConditionFindings(kb, p.ref, p.concept, input.patient));
    const ctl = controlledSchedule(kb, p.concept);
    if (ctl) {
      findings.push({
        kind: 'controlled-substance',
        id: `controlled-substance:${key(p.ref)}`,
        severity: 'info',
        drug: p.ref,
        schedule: ctl.schedule,
        ingredients: ctl.ingredients,
        message: `${p.ref.display} is a DEA Schedule ${ctl.schedule} controlled substance (${ctl.ingredients.map((i) => i.name).join(', ')})${ctl.schedule === 'II' ? ': no refills; check the state PDMP before prescribing.' : ': check the state PDMP; refill limits apply.'}`,
      });
    }
  }
  return sortFindings(findings);
}

function screenPair(kb: DrugKnowledgeBase, p: Med, q: Med, input: SafetyCheckInput, findings: Finding[]): void {
  if (!p.concept || !q.concept) return;
  const ddi = drugDrug(kb, p, q, input);
  for (const f of ddi) findings.push(f);
  const dup = duplicateTherapy(kb, p.concept, q.concept);
  if (!dup || (dup.basis === 'therapeutic-class' && ddi.length)) return;
  const what =
    dup.basis === 'ingredient'
      ? `both contain ${dup.ingredients!.map((i) => i.name).join(', ')}`
      : `both are ${dup.classes!.map((c) => c.name).join(' / ')}`;
  findings.push({
    kind: 'duplicate-therapy',
    id: `duplicate-therapy:${dup.basis}:${key(p.ref)}:${key(q.ref)}`,
    severity: dup.severity,
    drugs: [p.ref, q.ref],
    basis: dup.basis,
    ...(dup.ingredients ? { ingredients: dup.ingredients } : {}),
    ...(dup.classes ? { classes: dup.classes } : {}),
    message: `Possible duplicate therapy: ${p.ref.display} (${p.ref.role}) and ${q.ref.display} (${q.ref.role}) ${what}.`,
  });
}

function toMed(kb: DrugKnowledgeBase, m: MedRef, role: MedRole, findings: Finding[]): Med {
  const r = resolveMedication(kb, m);
  if (r.status === 'resolved' && !r.partial) {
    const display = m.display ?? firstDisplay(m.codings) ?? r.concept.name;
    return {
      ref: m.id
        ? { ref: m.id, role, system: r.system, code: r.code, display, rxcui: r.concept.rxcui }
        : { role, system: r.system, code: r.code, display, rxcui: r.concept.rxcui },
      concept: r.concept,
    };
  }
  const codings = codingsOf(m);
  const display =
    m.display ?? firstDisplay(m.codings) ?? (r.status === 'resolved' ? r.concept.name : r.code || '(no code)');
  if (r.status === 'unresolved') {
    const ref: DrugRef = { ...(m.id ? { ref: m.id } : {}), role, system: r.system, code: r.code, display };
    const why =
      r.reason === 'no-code'
        ? 'has no RxNorm or NDC code'
        : r.reason === 'unsupported-system'
          ? `is coded in an unsupported system (${codings[0]?.system ?? 'none'})`
          : `has a code (${r.system.toUpperCase()} ${r.code}) that is not in the drug knowledge base`;
    findings.push({
      kind: 'unable-to-screen',
      id: `unable-to-screen:medication:${role}:${r.code || display}${m.id ? `@${m.id}` : ''}`,
      severity: 'moderate',
      subject: 'medication',
      reason: r.reason,
      drug: ref,
      message: `Unable to screen ${role} medication "${display}": it ${why}. Interactions, allergies and duplicates involving it were NOT checked; review manually.`,
    });
    return { ref };
  }
  const ref: DrugRef = {
    ...(m.id ? { ref: m.id } : {}),
    role,
    system: r.system,
    code: r.code,
    display,
    rxcui: r.concept.rxcui,
  };
  if (r.partial) {
    const unmapped = r.concept.unmapped?.length ? r.concept.unmapped : ['(no ingredient mapped)'];
    findings.push({
      kind: 'unable-to-screen',
      id: `unable-to-screen:medication:${role}:${key(ref)}`,
      severity: 'moderate',
      subject: 'medication',
      reason: 'partial-ingredients',
      drug: ref,
      unmapped,
      message: `${role === 'proposed' ? 'Proposed' : 'Active'} medication "${display}" could only be partially screened: ${unmapped.join(', ')} could not be mapped to an ingredient.`,
    });
  }
  return { ref, concept: r.concept };
}

function firstDisplay(codings: readonly Coding[] | undefined): string | undefined {
  if (codings) for (const c of codings) if (c.display) return c.display;
  return undefined;
}

function drugDrug(kb: DrugKnowledgeBase, p: Med, q: Med, input: SafetyCheckInput): Finding[] {
  return productInteractions(kb, p.concept!, q.concept!, input.patient).map((m) => {
    const [first, second, ia, ib] = m.firstIsA ? [p, q, m.first, m.second] : [q, p, m.second, m.first];
    const name = (rx: string): NamedCode => ({ rxcui: rx, name: kb.ingredients.get(rx)?.name ?? rx });
    const interruptive = m.rule.interruptive ?? atLeast(m.severity, 'major');
    return {
      kind: 'drug-drug' as const,
      id: `drug-drug:${m.rule.id}:${key(first.ref)}:${key(second.ref)}`,
      severity: m.severity,
      ruleId: m.rule.id,
      drugs: [first.ref, second.ref] as const,
      ingredients: [name(ia), name(ib)] as const,
      mechanism: m.rule.mechanism,
      effect: m.rule.effect,
      management: m.rule.management,
      source: m.rule.source,
      interruptive,
      ...(m.rule.oncClass ? { oncClass: m.rule.oncClass } : {}),
      ...(m.notes.length ? { notes: m.notes } : {}),
      message: `${cap(m.severity)} interaction: ${first.ref.display} (${name(ia).name}) + ${second.ref.display} (${name(ib).name}). ${m.rule.effect} ${m.rule.management}${m.notes.length ? ` Note: ${m.notes.join(' ')}` : ''}`,
    };
  });
}

function allergyFindings(kb: DrugKnowledgeBase, allergy: AllergyRef, proposed: readonly Med[]): Finding[] {
  const codes: Coding[] = [...(allergy.codings ?? [])];
  const res = resolveAllergen(kb, allergy);
  const display =
    allergy.text ??
    firstDisplay(codes) ??
    (res.kind === 'allergen' ? res.profile.label : undefined) ??
    codes[0]?.code ??
    '(uncoded allergy)';
  if (res.kind === 'ignored') return [];
  if (res.kind === 'unscreenable') {
    const f: UnableToScreenFinding = {
      kind: 'unable-to-screen',
      id: `unable-to-screen:allergy:${allergy.id ?? codes[0]?.code ?? display}`,
      severity: 'moderate',
      subject: 'allergy',
      reason: res.reason,
      allergy: { ...(allergy.id ? { ref: allergy.id } : {}), display, codes },
      message:
        res.reason === 'non-specific-allergy'
          ? `Allergy "${display}" does not name a drug or drug class; proposed medications could not be screened against it. Clarify the allergen.`
          : `Allergy "${display}" could not be mapped to a drug ingredient or class; proposed medications were NOT screened against it. Review manually.`,
    };
    return [f];
  }
  const out: Finding[] = [];
  const certainty = allergy.verificationStatus === 'confirmed' ? 'confirmed' : 'unconfirmed';
  for (const p of proposed) {
    if (!p.concept) continue;
    const m = matchAllergen(kb, res.profile, p.concept, allergy.criticality);
    if (!m) continue;
    const how =
      m.matchType === 'ingredient'
        ? `contains ${m.ingredient.name}, the recorded allergen`
        : m.matchType === 'class'
          ? `contains ${m.ingredient.name}, in the same class (${m.allergyClass!.name}) as the recorded allergen`
          : `contains ${m.ingredient.name} (${m.allergyClass!.name}), which can cross-react with the recorded allergen`;
    const who = `${certainty === 'confirmed' ? 'a confirmed' : 'an unconfirmed'}${allergy.criticality === 'high' ? ' high-criticality' : ''} allergy recorded as "${display}"`;
    out.push({
      kind: 'drug-allergy',
      id: `drug-allergy:${allergy.id ?? codes[0]?.code ?? display}:${key(p.ref)}`,
      severity: m.severity,
      drug: p.ref,
      allergy: {
        ...(allergy.id ? { ref: allergy.id } : {}),
        display,
        codes,
        ...(allergy.criticality ? { criticality: allergy.criticality } : {}),
        ...(allergy.verificationStatus ? { verificationStatus: allergy.verificationStatus } : {}),
      },
      matchType: m.matchType,
      certainty,
      ingredient: m.ingredient,
      ...(m.allergyClass ? { allergyClass: m.allergyClass } : {}),
      ...(m.note ? { note: m.note } : {}),
      ...(m.source ? { source: m.source } : {}),
      message: `${p.ref.display} ${how}; the patient has ${who}.${m.note ? ` ${m.note}` : ''}`,
    });
  }
  return out;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** Code plus the caller's reference, so the same code listed twice still yields distinct finding ids. */
function key(ref: DrugRef): string {
  return ref.ref ? `${ref.code}@${ref.ref}` : ref.code;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
