/**
 * Pure fuzzy name matching for patient search: typos (Damerau-Levenshtein), partial names (prefix) and
 * names that sound alike (Soundex plus a phonetic key that also catches a different first letter, e.g.
 * Carmen / Karmen, Philips / Filips). No I/O: the search service feeds it candidates.
 */

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = v;
    }
  }
  return rows[a.length]![b.length]!;
}

/** Lower case, accents removed, letters only: "Zoë O'Neil" → "zoeoneil" per token. */
export function normalizeName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export function nameTokens(s: string): string[] {
  return s
    .split(/[\s,-]+/)
    .map(normalizeName)
    .filter((t) => t.length > 0);
}

const SOUNDEX_CODES: Record<string, string> = {
  b: '1',
  f: '1',
  p: '1',
  v: '1',
  c: '2',
  g: '2',
  j: '2',
  k: '2',
  q: '2',
  s: '2',
  x: '2',
  z: '2',
  d: '3',
  t: '3',
  l: '4',
  m: '5',
  n: '5',
  r: '6',
};

/** American Soundex (R163 for Robert/Rupert); '' for an empty input. */
export function soundex(input: string): string {
  const s = normalizeName(input);
  if (!s) return '';
  let out = s[0]!.toUpperCase();
  let prev = SOUNDEX_CODES[s[0]!] ?? '';
  for (let i = 1; i < s.length && out.length < 4; i++) {
    const ch = s[i]!;
    const code = SOUNDEX_CODES[ch] ?? '';
    if (code && code !== prev) out += code;
    // h and w do not separate equal codes; vowels do.
    if (ch !== 'h' && ch !== 'w') prev = code;
  }
  return out.padEnd(4, '0');
}

/**
 * A compact Metaphone-style key: spelling variants that sound the same map to one key, including the first
 * letter (c/k/q, ph/f, x/z/s, y/i, silent leading letters). Vowels after the first letter are dropped.
 */
export function phoneticKey(input: string): string {
  let s = normalizeName(input);
  if (!s) return '';
  s = s
    .replace(/^(kn|gn|pn|wr|ps)/, (m) => m[1]!)
    .replace(/^x/, 's')
    .replace(/^wh/, 'w');
  s = s
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/sch/g, 'sk')
    .replace(/tch/g, 'ch')
    .replace(/sh/g, 'x')
    .replace(/ch/g, 'x')
    .replace(/c(?=[iey])/g, 's')
    .replace(/c/g, 'k')
    .replace(/q/g, 'k')
    .replace(/x(?!$)/g, 'x')
    .replace(/z/g, 's')
    .replace(/dg(?=[iey])/g, 'j')
    .replace(/gh(?![aeiou])/g, '')
    .replace(/g(?=[iey])/g, 'j')
    .replace(/v/g, 'f')
    .replace(/th/g, '0')
    .replace(/y/g, 'i')
    .replace(/w(?![aeiou])/g, '')
    .replace(/h(?![aeiou])/g, '');
  const first = /[aeiou]/.test(s[0]!) ? 'a' : s[0]!;
  const rest = s.slice(1).replace(/[aeiouh]/g, '');
  // Double letters sound like one.
  return (first + rest).replace(/(.)\1+/g, '$1');
}

export type MatchKind = 'exact' | 'prefix' | 'phonetic' | 'typo' | 'none';

/** A name token with its phonetic keys computed once (the search index stores these). */
export interface TokenKeys {
  t: string;
  ph: string;
  sx: string;
}
export const keysOf = (t: string): TokenKeys => ({ t, ph: phoneticKey(t), sx: soundex(t) });

/**
 * Edit distance when it is at most `limit`, else `limit + 1`: gives up as soon as a whole row exceeds the
 * limit, which is where most unrelated names end. Three reused rows, no allocation per call.
 */
const ROWS = [new Uint16Array(64), new Uint16Array(64), new Uint16Array(64)] as const;
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length >= 63 || b.length >= 63) return Math.min(editDistance(a, b), limit + 1);
  let prev2 = ROWS[0],
    prev = ROWS[1],
    cur = ROWS[2];
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[b.length]!, limit + 1);
}

/** How well one query token matches one name token, 0..1, and why. */
export function tokenScore(query: string | TokenKeys, name: string | TokenKeys): { score: number; kind: MatchKind } {
  const q = typeof query === 'string' ? keysOf(query) : query;
  const n = typeof name === 'string' ? keysOf(name) : name;
  if (!q.t || !n.t) return { score: 0, kind: 'none' };
  if (q.t === n.t) return { score: 1, kind: 'exact' };
  if (q.t.length >= 2 && n.t.startsWith(q.t)) return { score: 0.85 + 0.1 * (q.t.length / n.t.length), kind: 'prefix' };
  const allowed = q.t.length >= 8 ? 2 : q.t.length >= 4 ? 1 : 0;
  const samePhonetic = q.t.length >= 3 && q.ph === n.ph;
  const sameSoundex = q.t.length >= 3 && q.sx === n.sx;
  // Most pairs share nothing: skip the quadratic distance for them.
  // A partial name with a typo keeps its first letter ("smiht" for "smithson").
  const partialTypo = q.t.length >= 4 && n.t.length > q.t.length && q.t[0] === n.t[0];
  if (!samePhonetic && !sameSoundex && Math.abs(q.t.length - n.t.length) > allowed && !partialTypo)
    return { score: 0, kind: 'none' };
  const d = boundedDistance(q.t, n.t, 2);
  if (samePhonetic || (sameSoundex && d <= 2)) return { score: 0.8 - 0.02 * Math.min(d, 5), kind: 'phonetic' };
  if (d <= allowed) return { score: 0.75 - 0.1 * (d - 1), kind: 'typo' };
  // A typo inside a partial name: "smiht" against "smithson".
  if (partialTypo && boundedDistance(q.t, n.t.slice(0, q.t.length), 1) <= 1) {
    return { score: 0.6, kind: 'typo' };
  }
  return { score: 0, kind: 'none' };
}

export interface NameScore {
  score: number;
  kinds: MatchKind[];
}

/**
 * Every query token must match some name token (given or family); the score is their mean. A query with
 * no usable token scores 0.
 */
export type TokenScorer = (q: TokenKeys, n: TokenKeys) => { score: number; kind: MatchKind };

/**
 * tokenScore remembered per (query token, name token) for one search: names repeat a lot across patients
 * (a few hundred distinct tokens for thousands of patients), so most pairs are scored once.
 */
export function memoScorer(): TokenScorer {
  const memo = new Map<string, Map<string, { score: number; kind: MatchKind }>>();
  return (q, n) => {
    let m = memo.get(q.t);
    if (!m) memo.set(q.t, (m = new Map()));
    let r = m.get(n.t);
    if (!r) m.set(n.t, (r = tokenScore(q, n)));
    return r;
  };
}

export function scoreName(
  queryTokens: readonly (string | TokenKeys)[],
  candidateTokens: readonly (string | TokenKeys)[],
  scorer: TokenScorer = tokenScore,
): NameScore {
  if (!queryTokens.length || !candidateTokens.length) return { score: 0, kinds: [] };
  const qs = queryTokens.map((x) => (typeof x === 'string' ? keysOf(x) : x));
  const ns = candidateTokens.map((x) => (typeof x === 'string' ? keysOf(x) : x));
  let total = 0;
  const kinds: MatchKind[] = [];
  for (const q of qs) {
    let best: { score: number; kind: MatchKind } = { score: 0, kind: 'none' };
    for (const n of ns) {
      const s = scorer(q, n);
      if (s.score > best.score) best = s;
      if (best.score === 1) break;
    }
    if (best.score === 0) return { score: 0, kinds: [] };
    total += best.score;
    kinds.push(best.kind);
  }
  return { score: Math.round((total / qs.length) * 1000) / 1000, kinds };
}

/** Digits only, keeping the last 10 (US numbers with or without the country code compare equal). */
export function normalizePhone(s: string): string {
  const d = s.replace(/\D/g, '');
  return d.length > 10 ? d.slice(-10) : d;
}
