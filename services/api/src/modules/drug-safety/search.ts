import type { Concept, DrugKnowledgeBase, NamedCode, SearchEntry, TermType } from './types';

const SEARCHABLE: ReadonlySet<TermType> = new Set(['IN', 'BN', 'SCD', 'SBD', 'GPCK', 'BPCK']);
const TTY_RANK: Readonly<Record<string, number>> = { IN: 0, BN: 1, SCD: 2, SBD: 3, GPCK: 4, BPCK: 5 };

export function tokenize(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z0-9.]+/)
    .map((t) => t.replace(/^\.+|\.+$/g, ''))
    .filter(Boolean);
}

/** Builds the token index used by searchDrugs (called once by the KB loader). */
export function buildSearchIndex(concepts: Iterable<Concept>): DrugKnowledgeBase['search'] {
  const entries: SearchEntry[] = [];
  for (const c of concepts) {
    if (!SEARCHABLE.has(c.tty)) continue;
    entries.push({
      rxcui: c.rxcui,
      name: c.name,
      lower: c.name.toLowerCase(),
      tty: c.tty,
      ...(c.brand ? { brand: c.brand } : {}),
      tokens: [...new Set(tokenize(c.name))],
    });
  }
  entries.sort(
    (a, b) =>
      TTY_RANK[a.tty]! - TTY_RANK[b.tty]! ||
      a.lower.length - b.lower.length ||
      (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0),
  );
  const map = new Map<string, number[]>();
  entries.forEach((e, idx) => {
    for (const t of e.tokens) {
      const l = map.get(t);
      if (l) l.push(idx);
      else map.set(t, [idx]);
    }
  });
  const tokens = [...map.keys()].sort();
  return { entries, tokens, postings: tokens.map((t) => map.get(t)!) };
}

export interface DrugSearchHit {
  readonly rxcui: string;
  readonly name: string;
  readonly tty: TermType;
  readonly brand?: string;
  readonly ingredients: readonly NamedCode[];
  readonly score: number;
}

/** Entry indexes whose tokens start with `prefix` (binary search over the sorted token list). */
function prefixPostings(kb: DrugKnowledgeBase, prefix: string): Set<number> {
  const { tokens, postings } = kb.search;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]! < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out = new Set<number>();
  for (let i = lo; i < tokens.length && tokens[i]!.startsWith(prefix); i++) for (const e of postings[i]!) out.add(e);
  return out;
}

/**
 * Ranked, case-insensitive drug search over ingredients, brand names, clinical and branded drugs and packs.
 * Every query word must start a word of the name (prefix match); ranking: exact name > exact brand > name prefix >
 * all words at word starts (first word first) > substring fallback; ties by term type (IN, BN, SCD, SBD, packs),
 * then shorter name, then alphabetical.
 */
export function searchDrugs(kb: DrugKnowledgeBase, query: string, limit = 20): DrugSearchHit[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  const words = tokenize(q);
  if (!words.length || limit <= 0) return [];
  let candidates: Set<number> | undefined;
  for (const w of words) {
    const set = prefixPostings(kb, w);
    candidates = candidates ? new Set([...candidates].filter((i) => set.has(i))) : set;
    if (!candidates.size) break;
  }
  const { entries } = kb.search;
  const scored: { idx: number; score: number }[] = [];
  for (const idx of candidates ?? []) scored.push({ idx, score: score(entries[idx]!, q, words) });
  if (scored.length < limit && q.length >= 3) {
    // Substring fallback (e.g. "statin" in "atorvastatin"), only when prefix matching found too little.
    const have = new Set(scored.map((s) => s.idx));
    for (let i = 0; i < entries.length && scored.length < limit * 5; i++)
      if (!have.has(i) && entries[i]!.lower.includes(q)) scored.push({ idx: i, score: 100 });
  }
  scored.sort((a, b) => b.score - a.score || a.idx - b.idx);
  return scored.slice(0, limit).map(({ idx, score: s }) => {
    const e = entries[idx]!;
    const c = kb.concepts.get(e.rxcui)!;
    return {
      rxcui: e.rxcui,
      name: e.name,
      tty: e.tty,
      ...(e.brand ? { brand: e.brand } : {}),
      ingredients: c.ingredients.map((rx) => ({ rxcui: rx, name: kb.ingredients.get(rx)?.name ?? rx })),
      score: s,
    };
  });
}

function score(e: SearchEntry, q: string, words: string[]): number {
  if (e.lower === q) return 1000;
  if (e.brand && e.brand.toLowerCase() === q) return e.tty === 'BN' ? 950 : 900;
  if (e.lower.startsWith(q)) return 700;
  if (e.brand && e.brand.toLowerCase().startsWith(q)) return 650;
  if (e.tokens[0]?.startsWith(words[0]!)) return 500;
  return 300;
}
