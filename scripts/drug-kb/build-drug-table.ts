/**
 * Builds the project's compact drug table, services/api/data/drug-kb/rxnorm-drugs.json, from the RxNorm Current
 * Prescribable Content extract (one JSON per initial letter, see shared/data/README.md) plus the hand-curated
 * supplement for the extract's known gap (A.json is missing): scripts/drug-kb/supplement-a-ingredients.json.
 *
 *   npx tsx scripts/drug-kb/build-drug-table.ts [sourceDir] [--out file] [--supplement file] [--ndc-cap N]
 *
 * sourceDir defaults to ../shared/data/rxnorm-prescribable-2025-10 relative to the repository root. The run is
 * deterministic (sorted output) apart from meta.generatedAt.
 *
 * Every product maps to IN-level ingredients: a PIN maps to the IN that shares its SCDCs, a MIN to the INs of its
 * SCDCs; co-ingredients whose own record is missing from the extract are recognised by name (supplement aliases) in
 * the product name; whatever still cannot be mapped is kept on the product as `unmapped` so the engine can report
 * "unable to screen" instead of silently under-screening.
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

interface RawBn {
  Name: string;
  RXCUI: string;
  TTY: string;
}
interface RawSbd {
  Name: string;
  RXCUI: string;
  TTY: string;
  NDCs?: string[];
  BNs?: RawBn[];
}
interface RawPack {
  Name: string;
  RXCUI: string;
  TTY: string;
  NDCs?: string[];
}
interface RawScd {
  Name: string;
  RXCUI: string;
  TTY: string;
  NDCs?: string[];
  SBDs?: RawSbd[];
  GPCKs?: RawPack[];
  BPCKs?: RawPack[];
}
interface RawScdc {
  Name: string;
  RXCUI: string;
  TTY: string;
  SCDs: RawScd[];
}
interface RawRecord {
  Name: string;
  RXCUI: string;
  TTY: 'IN' | 'PIN' | 'MIN';
  UNII?: string;
  SCDCs: RawScdc[];
}

interface SupplementIngredient {
  rxcui: string;
  name: string;
  aliases: string[];
  verification: string[];
  source: string;
}
interface SupplementProduct {
  rxcui: string;
  tty: 'SCD' | 'SBD' | 'GPCK' | 'BPCK';
  name: string;
  ingredients: string[];
  scd?: string;
  brand?: string;
  contains?: string[];
  verification: string[];
  source: string;
}
interface Supplement {
  ingredients: SupplementIngredient[];
  products: SupplementProduct[];
}

const repoRoot = resolve(__dirname, '..', '..');

function parseArgs(argv: string[]) {
  const opts = {
    source: resolve(repoRoot, '..', 'shared', 'data', 'rxnorm-prescribable-2025-10'),
    out: join(repoRoot, 'services', 'api', 'data', 'drug-kb', 'rxnorm-drugs.json'),
    supplement: join(repoRoot, 'scripts', 'drug-kb', 'supplement-a-ingredients.json'),
    ndcCap: 3,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') opts.out = resolve(argv[++i]!);
    else if (a === '--supplement') opts.supplement = resolve(argv[++i]!);
    else if (a === '--ndc-cap') opts.ndcCap = Number(argv[++i]);
    else if (!a.startsWith('--')) opts.source = resolve(a);
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const STRENGTH = /\d[\d.,]*\s+(?:[A-Z%][A-Za-z0-9%-]*(?:\/[A-Za-z0-9-]+)?)/g;

/** The dose form is what follows the last strength of an SCD name ("... 5 MG Oral Tablet" -> "Oral Tablet"). */
function parseDoseForm(name: string, known: readonly string[]): string | null {
  for (const df of known) if (name.endsWith(` ${df}`)) return df;
  let last: RegExpExecArray | null = null;
  for (const m of name.matchAll(STRENGTH)) last = m as RegExpExecArray;
  if (!last) return null;
  const df = name.slice(last.index + last[0].length).trim();
  return /^[A-Z]/.test(df) ? df : null;
}

/** Splits "{14 (a 1 MG Oral Tablet) / 7 (b / c Oral Tablet [X]) } Pack [Y]" into its item drug names. */
function packItems(name: string): string[] {
  const open = name.indexOf('{');
  const close = name.lastIndexOf('}');
  if (open < 0 || close < open) return [];
  const body = name.slice(open + 1, close);
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && body.startsWith(' / ', i)) {
      items.push(body.slice(start, i));
      start = i + 3;
    }
  }
  items.push(body.slice(start));
  return items
    .map((it) => {
      const t = it.trim();
      // "14 (x)" or "1 (30 ML) (x)": the drug is the last top-level parenthesised group.
      const lastOpen = (() => {
        let d = 0;
        for (let i = t.length - 1; i >= 0; i--) {
          if (t[i] === ')') d++;
          else if (t[i] === '(') {
            d--;
            if (d === 0) return i;
          }
        }
        return -1;
      })();
      const inner = lastOpen >= 0 ? t.slice(lastOpen + 1, t.lastIndexOf(')')) : t;
      return inner.replace(/\s*\[[^\]]*\]$/, '').trim();
    })
    .filter(Boolean);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const files = readdirSync(opts.source)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`no *.json in ${opts.source}`);
  const records: RawRecord[] = [];
  for (const f of files) records.push(...(JSON.parse(readFileSync(join(opts.source, f), 'utf8')) as RawRecord[]));
  const supplement = JSON.parse(readFileSync(opts.supplement, 'utf8')) as Supplement;

  // --- ingredients -------------------------------------------------------------------------------------------
  const inName = new Map<string, string>(); // IN rxcui -> name
  const inSource = new Map<string, 'rxnorm' | 'supplement'>();
  for (const r of records)
    if (r.TTY === 'IN') {
      inName.set(r.RXCUI, r.Name);
      inSource.set(r.RXCUI, 'rxnorm');
    }
  for (const s of supplement.ingredients) {
    if (inName.has(s.rxcui) && inName.get(s.rxcui) !== s.name)
      throw new Error(`supplement IN ${s.rxcui} clashes with ${inName.get(s.rxcui)}`);
    inName.set(s.rxcui, s.name);
    inSource.set(s.rxcui, inSource.get(s.rxcui) ?? 'supplement');
  }

  // SCDC -> owning records
  const scdcOwners = new Map<string, { tty: string; rxcui: string }[]>();
  const scdcName = new Map<string, string>();
  for (const r of records)
    for (const c of r.SCDCs) {
      scdcName.set(c.RXCUI, c.Name);
      const list = scdcOwners.get(c.RXCUI) ?? [];
      list.push({ tty: r.TTY, rxcui: r.RXCUI });
      scdcOwners.set(c.RXCUI, list);
    }

  // Supplement aliases, longest first, for name-based recognition of co-ingredients missing from the extract.
  const aliases = supplement.ingredients
    .flatMap((s) => s.aliases.map((a) => ({ alias: a.toLowerCase(), rxcui: s.rxcui })))
    .sort((a, b) => b.alias.length - a.alias.length || a.alias.localeCompare(b.alias));
  const aliasHits = new Map<string, number>();
  function ingredientByAlias(text: string): string | undefined {
    const t = ` ${text.toLowerCase()} `;
    for (const { alias, rxcui } of aliases) {
      const i = t.indexOf(` ${alias} `);
      // the alias must be followed by a strength (or end a bare ingredient name)
      if (i >= 0 && /^ (\d|$)/.test(t.slice(i + alias.length + 1))) {
        aliasHits.set(rxcui, (aliasHits.get(rxcui) ?? 0) + 1);
        return rxcui;
      }
    }
    return undefined;
  }

  // PIN -> IN via shared SCDCs; fallback by alias; else the PIN stands for itself.
  const pinToIn = new Map<string, string>();
  const pinName = new Map<string, string>();
  const pinFallback: string[] = [];
  for (const r of records) {
    if (r.TTY !== 'PIN') continue;
    pinName.set(r.RXCUI, r.Name);
    const ins = new Set<string>();
    for (const c of r.SCDCs) for (const o of scdcOwners.get(c.RXCUI) ?? []) if (o.tty === 'IN') ins.add(o.rxcui);
    if (ins.size === 1) pinToIn.set(r.RXCUI, [...ins][0]!);
    else {
      const viaAlias = ingredientByAlias(r.Name);
      if (viaAlias) pinToIn.set(r.RXCUI, viaAlias);
      else {
        // The IN record is outside the extract (A-gap) and not curated: keep the PIN as its own ingredient node.
        pinToIn.set(r.RXCUI, r.RXCUI);
        inName.set(r.RXCUI, r.Name);
        inSource.set(r.RXCUI, 'rxnorm');
        pinFallback.push(`${r.RXCUI} ${r.Name}`);
      }
    }
  }

  // SCDC -> IN
  const scdcIn = new Map<string, string>();
  for (const [c, owners] of scdcOwners) {
    const own = owners.find((o) => o.tty === 'IN') ?? owners.find((o) => o.tty === 'PIN');
    if (!own) continue; // only listed under a MIN: resolved below through name matching
    scdcIn.set(c, own.tty === 'IN' ? own.rxcui : pinToIn.get(own.rxcui)!);
  }

  // MIN -> INs
  const mins: [string, string, string[]][] = [];
  for (const r of records) {
    if (r.TTY !== 'MIN') continue;
    const ins = new Set<string>();
    for (const c of r.SCDCs) {
      const i = scdcIn.get(c.RXCUI);
      if (i) ins.add(i);
    }
    for (const part of r.Name.split(' / ')) {
      if (![...ins].some((i) => inName.get(i)?.toLowerCase() === part.toLowerCase())) {
        const a = ingredientByAlias(part);
        if (a) ins.add(a);
      }
    }
    mins.push([r.RXCUI, r.Name, [...ins].sort(numCmp)]);
  }

  // --- products ---------------------------------------------------------------------------------------------
  interface Scd {
    rxcui: string;
    name: string;
    scdcs: Set<string>;
    ndcs: Set<string>;
  }
  interface Sbd {
    rxcui: string;
    scd: string;
    bn: string;
    bnName: string;
    ndcs: Set<string>;
  }
  interface Pack {
    rxcui: string;
    tty: string;
    name: string;
    scds: Set<string>;
    ndcs: Set<string>;
  }
  const scds = new Map<string, Scd>();
  const sbds = new Map<string, Sbd>();
  const packs = new Map<string, Pack>();
  const brands = new Map<string, string>();
  for (const r of records)
    for (const c of r.SCDCs)
      for (const s of c.SCDs) {
        const scd = scds.get(s.RXCUI) ?? { rxcui: s.RXCUI, name: s.Name, scdcs: new Set(), ndcs: new Set() };
        if (r.TTY !== 'MIN') scd.scdcs.add(c.RXCUI);
        else if (scdcIn.has(c.RXCUI)) scd.scdcs.add(c.RXCUI);
        for (const n of s.NDCs ?? []) scd.ndcs.add(n);
        scds.set(s.RXCUI, scd);
        for (const b of s.SBDs ?? []) {
          const bn = b.BNs?.[0];
          if (!bn) throw new Error(`SBD ${b.RXCUI} without brand`);
          brands.set(bn.RXCUI, bn.Name);
          const sbd = sbds.get(b.RXCUI) ?? {
            rxcui: b.RXCUI,
            scd: s.RXCUI,
            bn: bn.RXCUI,
            bnName: bn.Name,
            ndcs: new Set(),
          };
          for (const n of b.NDCs ?? []) sbd.ndcs.add(n);
          sbds.set(b.RXCUI, sbd);
        }
        for (const p of [...(s.GPCKs ?? []), ...(s.BPCKs ?? [])]) {
          const pack = packs.get(p.RXCUI) ?? {
            rxcui: p.RXCUI,
            tty: p.TTY,
            name: p.Name,
            scds: new Set(),
            ndcs: new Set(),
          };
          pack.scds.add(s.RXCUI);
          for (const n of p.NDCs ?? []) pack.ndcs.add(n);
          packs.set(p.RXCUI, pack);
        }
      }

  const knownForms = (() => {
    const counts = new Map<string, number>();
    for (const s of scds.values()) {
      const df = parseDoseForm(s.name, []);
      if (df) counts.set(df, (counts.get(df) ?? 0) + 1);
    }
    return [...counts.keys()].sort((a, b) => b.length - a.length);
  })();

  // SCD ingredients: SCDC owners + name-recognised co-ingredients; leftovers are "unmapped".
  const scdIngredients = new Map<string, { ins: string[]; unmapped: string[] }>();
  const unmappedCount = new Map<string, number>();
  function componentsOf(name: string): string[] {
    return name.split(' / ');
  }
  function stripComponent(comp: string, isLast: boolean, df: string | null): string {
    let t = comp;
    if (isLast && df && t.endsWith(` ${df}`)) t = t.slice(0, -df.length - 1);
    return t.trim();
  }
  for (const s of scds.values()) {
    const ins = new Set<string>();
    for (const c of s.scdcs) {
      const i = scdcIn.get(c);
      if (i) ins.add(i);
    }
    const comps = componentsOf(s.name);
    const unmapped: string[] = [];
    if (ins.size < comps.length) {
      const df = parseDoseForm(s.name, knownForms);
      const scdcNames = [...s.scdcs].map((c) => scdcName.get(c)!.toLowerCase());
      comps.forEach((comp, idx) => {
        const lc = comp.toLowerCase();
        if (scdcNames.some((n) => lc.includes(n))) return;
        const viaAlias = ingredientByAlias(stripComponent(comp, idx === comps.length - 1, df));
        if (viaAlias) {
          ins.add(viaAlias);
          return;
        }
        // A component the SCDCs did not cover; keep its ingredient words (strength stripped) for the report.
        const label = stripComponent(comp, idx === comps.length - 1, df)
          .replace(/\s+[\d.,]+\s+\S+$/, '')
          .replace(/^([\d.,]+\s+(ML|HR|ACTUAT|DAY)\s+)+/, '');
        if (ins.size + unmapped.length < comps.length) {
          unmapped.push(label);
          unmappedCount.set(label, (unmappedCount.get(label) ?? 0) + 1);
        }
      });
    }
    scdIngredients.set(s.rxcui, { ins: [...ins].sort(numCmp), unmapped });
  }

  // Supplement products (A-gap single-ingredient drugs and packs).
  const suppScd: SupplementProduct[] = [];
  const suppOther: SupplementProduct[] = [];
  for (const p of supplement.products) {
    if (scds.has(p.rxcui) || sbds.has(p.rxcui) || packs.has(p.rxcui))
      throw new Error(`supplement product ${p.rxcui} already in the extract`);
    for (const i of p.ingredients)
      if (!inName.has(i)) throw new Error(`supplement product ${p.rxcui}: unknown ingredient ${i}`);
    (p.tty === 'SCD' ? suppScd : suppOther).push(p);
  }
  for (const p of suppScd) scdIngredients.set(p.rxcui, { ins: [...p.ingredients].sort(numCmp), unmapped: [] });

  const scdByName = new Map<string, string>();
  for (const s of scds.values()) scdByName.set(s.name.toLowerCase(), s.rxcui);
  for (const p of suppScd) scdByName.set(p.name.toLowerCase(), p.rxcui);

  // Packs: union of the SCDs they are listed under, plus items recognised by name (A-gap items are not listed).
  const packIngredients = new Map<string, { ins: string[]; unmapped: string[]; scds: string[] }>();
  for (const pk of packs.values()) {
    const ins = new Set<string>();
    const unmapped: string[] = [];
    const contained = new Set(pk.scds);
    for (const item of packItems(pk.name)) {
      const byName = scdByName.get(item.toLowerCase());
      if (byName) {
        contained.add(byName);
        continue;
      }
      const comps = componentsOf(item);
      comps.forEach((comp) => {
        const viaAlias = ingredientByAlias(comp);
        if (viaAlias) ins.add(viaAlias);
      });
    }
    for (const s of contained) {
      const si = scdIngredients.get(s);
      if (si) {
        si.ins.forEach((i) => ins.add(i));
        unmapped.push(...si.unmapped);
      }
    }
    if (ins.size === 0 && unmapped.length === 0) unmapped.push(pk.name);
    packIngredients.set(pk.rxcui, {
      ins: [...ins].sort(numCmp),
      unmapped: [...new Set(unmapped)],
      scds: [...contained].sort(numCmp),
    });
  }

  // --- checks -----------------------------------------------------------------------------------------------
  const warnings: string[] = [];
  for (const s of supplement.ingredients) {
    if (s.verification.includes('in-data') && !aliasHits.has(s.rxcui))
      warnings.push(`supplement IN ${s.rxcui} ${s.name} is marked in-data but no extract product names it`);
  }

  // --- output -----------------------------------------------------------------------------------------------
  const doseForms = [...new Set([...knownForms, 'Pack', 'Kit'])].sort();
  const dfIndex = new Map(doseForms.map((d, i) => [d, i]));
  const cap = (ndcs: Iterable<string>) => [...ndcs].sort().slice(0, opts.ndcCap);
  let ndcTotal = 0;
  let ndcKept = 0;
  const countNdc = (set: Set<string>) => {
    ndcTotal += set.size;
    ndcKept += Math.min(set.size, opts.ndcCap);
  };

  const ingredientsOut = [...inName.entries()]
    .sort((a, b) => numCmp(a[0], b[0]))
    .map(([rxcui, name]) => [
      rxcui,
      name,
      pinFallback.some((p) => p.startsWith(`${rxcui} `)) ? 'PIN' : 'IN',
      inSource.get(rxcui) === 'supplement' ? 1 : 0,
    ]);
  const pinsOut = [...pinToIn.entries()]
    .filter(([p, i]) => p !== i)
    .sort((a, b) => numCmp(a[0], b[0]))
    .map(([p, i]) => [p, pinName.get(p)!, i]);
  const scdcsOut = [...scdcIn.entries()].sort((a, b) => numCmp(a[0], b[0])).map(([c, i]) => [c, scdcName.get(c)!, i]);

  const clinicalOut: unknown[] = [];
  for (const s of [...scds.values()].sort((a, b) => numCmp(a.rxcui, b.rxcui))) {
    const si = scdIngredients.get(s.rxcui)!;
    const df = parseDoseForm(s.name, knownForms);
    countNdc(s.ndcs);
    const row: unknown[] = [s.rxcui, s.name, si.ins, df === null ? -1 : dfIndex.get(df)!, cap(s.ndcs)];
    if (si.unmapped.length) row.push(si.unmapped);
    clinicalOut.push(row);
  }
  for (const p of suppScd.sort((a, b) => numCmp(a.rxcui, b.rxcui))) {
    const df = parseDoseForm(p.name, knownForms);
    clinicalOut.push([p.rxcui, p.name, [...p.ingredients].sort(numCmp), df === null ? -1 : dfIndex.get(df)!, []]);
  }
  const brandedOut: unknown[] = [];
  for (const b of [...sbds.values()].sort((a, b) => numCmp(a.rxcui, b.rxcui))) {
    countNdc(b.ndcs);
    brandedOut.push([b.rxcui, b.scd, b.bn, cap(b.ndcs)]);
  }
  const packsOut: unknown[] = [];
  for (const p of [...packs.values()].sort((a, b) => numCmp(a.rxcui, b.rxcui))) {
    const pi = packIngredients.get(p.rxcui)!;
    countNdc(p.ndcs);
    const row: unknown[] = [p.rxcui, p.tty, p.name, pi.ins, pi.scds, cap(p.ndcs)];
    if (pi.unmapped.length) row.push(pi.unmapped);
    packsOut.push(row);
  }
  // Supplement SBDs/packs (no brand rxcui known: the brand is carried by name in the product name).
  const extraOut: unknown[] = suppOther
    .sort((a, b) => numCmp(a.rxcui, b.rxcui))
    .map((p) => [
      p.rxcui,
      p.tty,
      p.name,
      [...p.ingredients].sort(numCmp),
      p.scd ?? null,
      p.contains ?? [],
      p.brand ?? null,
    ]);

  const counts = {
    ingredients: ingredientsOut.length,
    ingredientsFromSupplement: ingredientsOut.filter((r) => r[3] === 1).length,
    preciseIngredients: pinsOut.length,
    multipleIngredients: mins.length,
    clinicalDrugComponents: scdcsOut.length,
    clinicalDrugs: clinicalOut.length,
    brandedDrugs: brandedOut.length + suppOther.filter((p) => p.tty === 'SBD').length,
    packs: packsOut.length + suppOther.filter((p) => p.tty !== 'SBD').length,
    brands: brands.size,
    doseForms: doseForms.length,
    supplementProducts: supplement.products.length,
    productsWithUnmappedComponents:
      clinicalOut.filter((r) => (r as unknown[]).length > 5).length +
      packsOut.filter((r) => (r as unknown[]).length > 6).length,
    pinsWithoutIngredient: pinFallback.length,
    ndcsInSource: ndcTotal,
    ndcsKept: ndcKept,
  };
  const meta = {
    source: 'RxNorm Current Prescribable Content (U.S. National Library of Medicine), per-letter JSON extract',
    release: '2025-10-06',
    licence:
      'Public domain: RxNorm Current Prescribable Content is a U.S. Government work of the National Library of Medicine (no UMLS licence required). Supplement: scripts/drug-kb/supplement-a-ingredients.json (sources per entry).',
    generatedAt: new Date().toISOString(),
    generator: 'scripts/drug-kb/build-drug-table.ts',
    ndcCapPerProduct: opts.ndcCap,
    layout: {
      ingredients: '[rxcui, name, tty (IN; PIN when its IN is outside the extract), fromSupplement 0|1]',
      preciseIngredients: '[pinRxcui, name, inRxcui]',
      multipleIngredients: '[minRxcui, name, [inRxcui]]',
      clinicalDrugComponents: '[scdcRxcui, name, inRxcui]',
      clinicalDrugs: '[scdRxcui, name, [inRxcui], doseFormIndex (-1 unknown), [ndc11], [unmapped component]?]',
      brandedDrugs: '[sbdRxcui, scdRxcui, brandRxcui, [ndc11]] (name = SCD name + " [" + brand + "]")',
      packs: '[rxcui, GPCK|BPCK, name, [inRxcui], [scdRxcui], [ndc11], [unmapped component]?]',
      supplementProducts: '[rxcui, tty, name, [inRxcui], scdRxcui|null, [containedScd], brandName|null]',
      brands: '[bnRxcui, name]',
    },
    counts,
    warnings,
    pinsWithoutIngredient: pinFallback,
    topUnmappedComponents: [...unmappedCount.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 40)
      .map(([n, c]) => `${c} ${n}`),
  };
  const sections: [string, unknown[]][] = [
    ['doseForms', doseForms],
    ['brands', [...brands.entries()].sort((a, b) => numCmp(a[0], b[0]))],
    ['ingredients', ingredientsOut],
    ['preciseIngredients', pinsOut],
    ['multipleIngredients', mins.sort((a, b) => numCmp(a[0], b[0]))],
    ['clinicalDrugComponents', scdcsOut],
    ['clinicalDrugs', clinicalOut],
    ['brandedDrugs', brandedOut],
    ['packs', packsOut],
    ['supplementProducts', extraOut],
  ];
  // One row per line keeps the file diffable while staying compact.
  const pretty = `{"meta":${JSON.stringify(meta, null, 1)},\n${sections
    .map(([name, rows]) => `${JSON.stringify(name)}:[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]`)
    .join(',\n')}\n}\n`;
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, pretty);
  process.stdout.write(
    `${JSON.stringify({ out: opts.out, bytes: Buffer.byteLength(pretty), counts, warnings: warnings.length }, null, 2)}\n`,
  );
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}

function numCmp(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

main();
