/**
 * The business API's view of the engine: RxNorm codes in, findings out in the shape clients display (severity, the
 * drugs involved, description, management, source). Pure; the router supplies the chart context.
 */
import { checkMedicationSafety } from './check';
import type { PatientSafetyContext } from './patient-safety-context';
import type { DrugSafetyFinding, InteractionCheckResult } from '@wintehr/contracts';
import type { DrugKnowledgeBase, Finding } from './types';

export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** The finding and check-result shapes are wire contract (@wintehr/contracts); the engine's internals stay here. */
export type FindingView = DrugSafetyFinding;

export function findingView(f: Finding): FindingView {
  const base = { id: f.id, kind: f.kind, severity: f.severity, description: f.message };
  switch (f.kind) {
    case 'drug-drug':
      return {
        ...base,
        drugs: [...f.drugs],
        management: f.management,
        source: f.source,
        ruleId: f.ruleId,
        mechanism: f.mechanism,
        interruptive: f.interruptive,
      };
    case 'drug-allergy':
      return {
        ...base,
        drugs: [f.drug],
        management: 'Avoid unless the allergy has been clarified; choose an agent outside the allergen class.',
        ...(f.source ? { source: f.source } : {}),
        allergy: { ...(f.allergy.ref ? { ref: f.allergy.ref } : {}), display: f.allergy.display },
      };
    case 'duplicate-therapy':
      return { ...base, drugs: [...f.drugs], management: 'Confirm both are intended; otherwise discontinue one.' };
    case 'drug-condition':
      return {
        ...base,
        drugs: [f.drug],
        management: f.management,
        source: f.source,
        ruleId: f.ruleId,
        reason: f.reason,
        evidence: f.evidence,
      };
    case 'controlled-substance':
      return { ...base, drugs: [f.drug] };
    case 'unable-to-screen':
      return {
        ...base,
        drugs: f.drug ? [f.drug] : [],
        reason: f.reason,
        management: 'Review this medication manually: it was not screened.',
        ...(f.allergy
          ? { allergy: { ...(f.allergy.ref ? { ref: f.allergy.ref } : {}), display: f.allergy.display } }
          : {}),
      };
  }
}

/** Screens the codes against each other and, when a chart context is given, against the chart. */
export function checkInteractions(
  kb: DrugKnowledgeBase,
  codes: readonly string[],
  chart?: PatientSafetyContext,
  patientId?: string,
): InteractionCheckResult {
  const proposed = codes.map((code, i) => ({ id: `proposed-${i + 1}`, code, system: RXNORM_SYSTEM }));
  const findings = checkMedicationSafety(kb, {
    proposed,
    ...(chart ? { active: chart.active, allergies: chart.allergies, patient: chart.patient } : {}),
  });
  return {
    ...(patientId ? { patientId } : {}),
    screened: { proposed: proposed.length, active: chart?.active.length ?? 0, allergies: chart?.allergies.length ?? 0 },
    ...(chart ? { patient: chart.patient } : {}),
    findings: findings.map(findingView),
  };
}
