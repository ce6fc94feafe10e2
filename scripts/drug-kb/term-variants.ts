/**
 * Other codes for "the same drug" as a clinical drug (SCD), one per RxNorm term type that real data carries: a
 * branded drug of it (SBD) and its brand name (BN), a generic or branded pack containing it (GPCK/BPCK), one of its
 * NDCs, and for the ingredients that matter (those a rule fired on) the IN, a PIN and a component (SCDC).
 * Read from the generated table's links, so the recall report exercises every path of code resolution.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DrugKnowledgeBase } from '../../services/api/src/modules/drug-safety';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const NDC = 'http://hl7.org/fhir/sid/ndc';

export interface Variant {
  tty: string;
  system: string;
  code: string;
}

interface Links {
  sbdOf: Map<string, string[]>;
  packsOf: Map<string, { rxcui: string; tty: string }[]>;
  ndcOf: Map<string, string>;
  pinOf: Map<string, string>;
  scdcOf: Map<string, string>;
  brandOf: Map<string, string>;
}

type Row = unknown[];

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

export function loadLinks(kbDir: string): Links {
  const t = JSON.parse(readFileSync(join(kbDir, 'rxnorm-drugs.json'), 'utf8')) as Record<string, Row[]>;
  const links: Links = {
    sbdOf: new Map(),
    packsOf: new Map(),
    ndcOf: new Map(),
    pinOf: new Map(),
    scdcOf: new Map(),
    brandOf: new Map(),
  };
  for (const [sbd, scd, brand] of t.brandedDrugs as [string, string, string][]) {
    push(links.sbdOf, scd, sbd);
    links.brandOf.set(sbd, brand);
  }
  for (const [rxcui, tty, , , scds] of t.packs as [string, string, string, string[], string[]][])
    for (const scd of scds) push(links.packsOf, scd, { rxcui, tty });
  for (const [scd, , , , ndcs] of t.clinicalDrugs as [string, string, string[], number, string[]][])
    if (ndcs?.length) links.ndcOf.set(scd, ndcs[0]!);
  // Products the supplement adds for ingredients the extract lacks (SBDs of an SCD, packs of SCDs).
  for (const [rxcui, tty, , , scd, contained] of (t.supplementProducts ?? []) as [
    string,
    string,
    string,
    string[],
    string | null,
    string[],
  ][]) {
    if (tty === 'SBD' && scd) push(links.sbdOf, scd, rxcui);
    if (tty === 'GPCK' || tty === 'BPCK') for (const c of contained) push(links.packsOf, c, { rxcui, tty });
  }
  for (const [pin, , inRx] of t.preciseIngredients as [string, string, string][])
    if (!links.pinOf.has(inRx)) links.pinOf.set(inRx, pin);
  for (const [scdc, , inRx] of t.clinicalDrugComponents as [string, string, string][])
    if (!links.scdcOf.has(inRx)) links.scdcOf.set(inRx, scdc);
  return links;
}

/** The variants of `scd`; `ingredients` are the IN rxcuis whose IN/PIN/SCDC codes stand in for the product. */
export function termVariants(
  kb: DrugKnowledgeBase,
  links: Links,
  scd: string,
  ingredients: readonly string[],
): Variant[] {
  const out: Variant[] = [];
  const rx = (tty: string, code: string | undefined) => {
    if (code && kb.concepts.has(code)) out.push({ tty, system: RXNORM, code });
  };
  const sbd = links.sbdOf.get(scd)?.[0];
  rx('SBD', sbd);
  if (sbd) rx('BN', links.brandOf.get(sbd));
  for (const tty of ['GPCK', 'BPCK']) rx(tty, links.packsOf.get(scd)?.find((p) => p.tty === tty)?.rxcui);
  const ndc = links.ndcOf.get(scd);
  if (ndc && kb.ndc.has(ndc)) out.push({ tty: 'NDC', system: NDC, code: ndc });
  for (const ing of ingredients) {
    rx('IN', ing);
    rx('PIN', links.pinOf.get(ing));
    rx('SCDC', links.scdcOf.get(ing));
  }
  return out;
}
