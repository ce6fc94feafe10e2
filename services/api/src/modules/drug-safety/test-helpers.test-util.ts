/**
 * Shared helpers for the drug-safety unit tests. RxNorm codes written in tests go through rx() / rxAllergy() so that
 * kb-integrity.test.ts can check that every one of them exists in the generated drug table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KB_DIR, loadDrugKnowledgeBase } from './load-kb';
import type { AllergyRef, DrugKnowledgeBase, Finding, MedRef, PatientContext, Severity } from './types';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const SNOMED = 'http://snomed.info/sct';
export const NDC = 'http://hl7.org/fhir/sid/ndc';

let cached: DrugKnowledgeBase | undefined;
export function kb(): DrugKnowledgeBase {
  cached ??= loadDrugKnowledgeBase();
  return cached;
}

/** A MedRef coded with an RxNorm code that must exist in the table. */
export function rx(code: string, id?: string): MedRef {
  return { code, system: RXNORM, ...(id ? { id } : {}) };
}

export function rxAllergy(code: string, extra: Partial<AllergyRef> = {}): AllergyRef {
  return { codings: [{ system: RXNORM, code }], ...extra };
}

export function snomedAllergy(code: string, display: string, extra: Partial<AllergyRef> = {}): AllergyRef {
  return { codings: [{ system: SNOMED, code, display }], ...extra };
}

export function ofKind<K extends Finding['kind']>(
  findings: readonly Finding[],
  kind: K,
): Extract<Finding, { kind: K }>[] {
  return findings.filter((f): f is Extract<Finding, { kind: K }> => f.kind === kind);
}

type Pair = [string, string, string, string];
export interface RecallPairs {
  oncClasses: { class: number; name: string; expectedSeverity: Severity; pairs: Pair[] }[];
  otherCritical: { name: string; expectedSeverity: Severity; patient?: PatientContext; pairs: Pair[] }[];
  nonInterruptive: Pair[];
  nonInteracting: Pair[];
}
export function recallPairs(): RecallPairs {
  return JSON.parse(readFileSync(join(DEFAULT_KB_DIR, 'recall-pairs.json'), 'utf8')) as RecallPairs;
}
