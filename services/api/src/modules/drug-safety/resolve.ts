import type { Coding, Concept, DrugKnowledgeBase, MedRef, NamedCode, ResolveResult } from './types';

const RXNORM_SYSTEMS = new Set([
  'http://www.nlm.nih.gov/research/umls/rxnorm',
  'rxnorm',
  'urn:oid:2.16.840.1.113883.6.88',
]);
const NDC_SYSTEMS = new Set(['http://hl7.org/fhir/sid/ndc', 'ndc', 'urn:oid:2.16.840.1.113883.6.69']);
const SNOMED_SYSTEMS = new Set([
  'http://snomed.info/sct',
  'snomed',
  'snomed-ct',
  'snomedct',
  'sct',
  'urn:oid:2.16.840.1.113883.6.96',
]);

export type CodeSystem = 'rxnorm' | 'ndc' | 'snomed' | 'text' | 'other';

/** Maps a FHIR system URI / OID / short name to a code system; a missing system is guessed from the code. */
export function codeSystemOf(system: string | undefined, code: string | undefined): CodeSystem {
  if (system) {
    const s = system.trim().toLowerCase();
    if (RXNORM_SYSTEMS.has(s)) return 'rxnorm';
    if (NDC_SYSTEMS.has(s)) return 'ndc';
    if (SNOMED_SYSTEMS.has(s)) return 'snomed';
    if (s === 'text') return 'text';
    return 'other';
  }
  if (!code) return 'text';
  if (/^\d{4,5}-\d{3,4}-\d{1,2}$/.test(code) || /^\d{11}$/.test(code)) return 'ndc';
  return /^\d+$/.test(code) ? 'rxnorm' : 'text';
}

/** Candidate 11-digit (5-4-2) forms of an NDC written as 10 or 11 digits, with or without hyphens. */
export function ndcCandidates(code: string): string[] {
  const c = code.trim();
  const parts = c.split('-');
  if (parts.length === 3) {
    const [l, p, k] = parts as [string, string, string];
    if (!/^\d+$/.test(l + p + k)) return [];
    return [`${l.padStart(5, '0')}${p.padStart(4, '0')}${k.padStart(2, '0')}`].filter((x) => x.length === 11);
  }
  if (/^\d{11}$/.test(c)) return [c];
  if (/^\d{10}$/.test(c)) return [`0${c}`, `${c.slice(0, 5)}0${c.slice(5)}`, `${c.slice(0, 9)}0${c.slice(9)}`];
  return [];
}

function named(kb: DrugKnowledgeBase, rxcuis: readonly string[]): NamedCode[] {
  return rxcuis.map((r) => ({ rxcui: r, name: kb.ingredients.get(r)?.name ?? kb.concepts.get(r)?.name ?? r }));
}

/**
 * Resolves one RxNorm code of any term type (IN, PIN, MIN, SCDC, SCD, SBD, GPCK, BPCK, BN) or an NDC to its
 * IN-level ingredients. Unknown codes resolve to `unresolved` (never to an empty ingredient list).
 */
export function resolveIngredients(kb: DrugKnowledgeBase, code: string | undefined, system?: string): ResolveResult {
  const c = (code ?? '').trim();
  if (!c) return { status: 'unresolved', system: 'unknown', code: '', reason: 'no-code' };
  const cs = codeSystemOf(system, c);
  if (cs === 'rxnorm') {
    const concept = kb.concepts.get(c);
    if (!concept) return { status: 'unresolved', system: 'rxnorm', code: c, reason: 'unknown-code' };
    return resolved(kb, 'rxnorm', c, concept);
  }
  if (cs === 'ndc') {
    for (const cand of ndcCandidates(c)) {
      const rx = kb.ndc.get(cand);
      const concept = rx ? kb.concepts.get(rx) : undefined;
      if (concept) return resolved(kb, 'ndc', c, concept);
    }
    return { status: 'unresolved', system: 'ndc', code: c, reason: 'unknown-code' };
  }
  return { status: 'unresolved', system: 'unknown', code: c, reason: 'unsupported-system' };
}

function resolved(kb: DrugKnowledgeBase, system: 'rxnorm' | 'ndc', code: string, concept: Concept): ResolveResult {
  const partial = (concept.unmapped?.length ?? 0) > 0 || concept.ingredients.length === 0;
  return { status: 'resolved', system, code, concept, ingredients: named(kb, concept.ingredients), partial };
}

/** All codings of a MedRef, the single code first. */
export function codingsOf(ref: MedRef): Coding[] {
  const list: Coding[] = [];
  if (ref.code)
    list.push({
      code: ref.code,
      ...(ref.system ? { system: ref.system } : {}),
      ...(ref.display ? { display: ref.display } : {}),
    });
  for (const c of ref.codings ?? []) list.push(c);
  return list;
}

/**
 * Resolves a medication reference: the first coding that resolves wins (RxNorm before NDC); otherwise the most
 * informative failure is returned.
 */
export function resolveMedication(kb: DrugKnowledgeBase, ref: MedRef): ResolveResult {
  if (ref.code && !ref.codings?.length) return resolveIngredients(kb, ref.code, ref.system);
  const codings = codingsOf(ref).sort((a, b) => rank(a) - rank(b));
  let failure: Extract<ResolveResult, { status: 'unresolved' }> | undefined;
  for (const c of codings) {
    const r = resolveIngredients(kb, c.code, c.system);
    if (r.status === 'resolved') return r;
    if (
      !failure ||
      failure.reason === 'no-code' ||
      (failure.reason === 'unsupported-system' && r.reason === 'unknown-code')
    )
      failure = r;
  }
  return failure ?? { status: 'unresolved', system: 'unknown', code: '', reason: 'no-code' };
}

function rank(c: Coding): number {
  const s = codeSystemOf(c.system, c.code);
  return s === 'rxnorm' ? 0 : s === 'ndc' ? 1 : 2;
}
