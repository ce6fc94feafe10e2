/**
 * Builds services/api/data/drug-kb/generated-interactions.json, the interaction rules compiled from sources, and
 * services/api/data/drug-kb/ndfrt-build-report.md, which lists every NDF-RT row it could not map:
 *
 *  1. VA NDF-RT drug interactions (2014, public domain; ../shared/data/ndf-rt-interactions-2014): every row is mapped
 *     to RxNorm ingredients (drug table first, then ndfrt-rxnorm-mapping.csv; names normalised for case, `_`, salts,
 *     British spellings and forms, knowledge/ndfrt-aliases.json). Critical -> major, Significant -> moderate; where
 *     current labelling grades a pair higher, the label/family rule of step 2 wins in the engine.
 *  2. Mechanism and label families (knowledge/families.json: FDA CYP/transporter table, QT known risk, MAOIs,
 *     serotonergic drugs, opioid boxed warning, hyperkalaemia stacks ...) and the rules between them
 *     (knowledge/family-rules.json), each with its source.
 *
 * Ingredients missing from the drug table but known to RxNorm (withdrawn drugs, A-gap ingredients) are added by RxCUI
 * (`extraIngredients`). Curated rules (interactions.json) stay on top: the engine applies the precedence (a curated
 * rule wins unless a generated one is strictly more severe and the curated grade is not explicitly non-interruptive).
 *
 *   npx tsx scripts/drug-kb/build-interaction-rules.ts [--ndfrt dir] [--kb dir]
 *
 * Deterministic: no timestamps; output sorted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createResolver, readNdfrtRows, type NdfRow, type Ref, type Resolved } from './names';

const repoRoot = resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? resolve(args[i + 1]!) : dflt;
};
const ndfrtDir = opt('--ndfrt', resolve(repoRoot, '..', 'shared', 'data', 'ndf-rt-interactions-2014'));
const kbDir = opt('--kb', join(repoRoot, 'services', 'api', 'data', 'drug-kb'));
const knowledgeDir = join(__dirname, 'knowledge');

type Sev = 'contraindicated' | 'major' | 'moderate' | 'minor';
interface Side {
  classes?: string[];
  ingredients?: Ref[];
}
interface Rule {
  id: string;
  a: Side;
  b: Side;
  severity: Sev;
  mechanism: string;
  effect: string;
  management: string;
  source: string;
  licence: string;
  origin: 'ndf-rt' | 'label' | 'family';
  distinctIngredients?: boolean;
}
interface FamilyFile {
  families: Record<string, { name: string; source: string; members: string[] }>;
}
interface FamilyRuleFile {
  rules: {
    id: string;
    a: { families?: string[]; ingredients?: string[] };
    b: { families?: string[]; ingredients?: string[] };
    severity: Sev;
    mechanism: string;
    effect: string;
    management: string;
    source: string;
    distinctIngredients?: boolean;
  }[];
}

const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;
const SEV_RANK: Record<Sev, number> = { contraindicated: 0, major: 1, moderate: 2, minor: 3 };
const numCmp = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);

const { resolveName, extra } = createResolver(kbDir, ndfrtDir, knowledgeDir);

// ---- families ------------------------------------------------------------------------------------------------
const famFile = readJson<FamilyFile>(join(knowledgeDir, 'families.json'));
const famRules = readJson<FamilyRuleFile>(join(knowledgeDir, 'family-rules.json'));
const LICENCE =
  'Compiled for this project from public US-government sources (VA NDF-RT, public domain; FDA labelling and the FDA Table of Substrates, Inhibitors and Inducers); facts are not copyrightable.';
const classId = (fam: string) => `fam_${fam}`;
const members = new Map<string, Set<string>>();
const unresolvedMembers: string[] = [];
for (const [id, f] of Object.entries(famFile.families)) {
  const set = new Set<string>();
  for (const m of f.members) {
    const r = resolveName(m);
    if (r.kind === 'ingredient') set.add(r.ref.rxcui);
    else unresolvedMembers.push(`${id}: ${m} (${r.kind === 'unresolved' ? r.why : 'family alias'})`);
  }
  members.set(id, set);
}
const ruleOut: Rule[] = [];
const sideOf = (s: { families?: string[]; ingredients?: string[] }, ctx: string): Side => {
  const out: Side = {};
  if (s.families?.length) {
    for (const f of s.families) if (!famFile.families[f]) throw new Error(`${ctx}: unknown family ${f}`);
    out.classes = s.families.map(classId);
  }
  const ings: Ref[] = [];
  for (const name of s.ingredients ?? []) {
    const r = resolveName(name);
    if (r.kind === 'ingredient') {
      if (!ings.some((i) => i.rxcui === r.ref.rxcui)) ings.push(r.ref);
    } else if (r.kind === 'family') out.classes = [...(out.classes ?? []), classId(r.id)];
    else unresolvedMembers.push(`${ctx}: ${name} (${r.why})`);
  }
  if (ings.length) out.ingredients = ings.sort((x, y) => numCmp(x.rxcui, y.rxcui));
  return out;
};
for (const r of famRules.rules) {
  const a = sideOf(r.a, r.id);
  const b = sideOf(r.b, r.id);
  ruleOut.push({
    id: r.id,
    a,
    b,
    severity: r.severity,
    mechanism: r.mechanism,
    effect: r.effect,
    management: r.management,
    source: r.source,
    licence: LICENCE,
    origin: r.id.startsWith('label-') ? 'label' : 'family',
    ...(r.distinctIngredients ? { distinctIngredients: true } : {}),
  });
}

// ---- NDF-RT -------------------------------------------------------------------------------------------------
const rows: NdfRow[] = readNdfrtRows(ndfrtDir);
interface PairAcc {
  a: Side;
  b: Side;
  key: string;
  severity: Sev;
  rows: NdfRow[];
}
const pairs = new Map<string, PairAcc>();
const unmapped: { row: NdfRow; why: string }[] = [];
const viaCount = new Map<string, number>();
const sideKey = (r: Resolved) => (r.kind === 'ingredient' ? `i${r.ref.rxcui}` : r.kind === 'family' ? `f${r.id}` : '');
const toSide = (r: Resolved): Side =>
  r.kind === 'ingredient' ? { ingredients: [r.ref] } : r.kind === 'family' ? { classes: [classId(r.id)] } : {};
for (const row of rows) {
  const x = resolveName(row.object);
  const y = resolveName(row.precipitant);
  for (const r of [x, y]) if (r.kind !== 'unresolved') viaCount.set(r.via, (viaCount.get(r.via) ?? 0) + 1);
  if (x.kind === 'unresolved' || y.kind === 'unresolved') {
    unmapped.push({
      row,
      why: [x, y]
        .filter((r): r is Extract<Resolved, { kind: 'unresolved' }> => r.kind === 'unresolved')
        .map((r) => r.why)
        .join('; '),
    });
    continue;
  }
  const [kx, ky] = [sideKey(x), sideKey(y)];
  if (kx === ky) {
    unmapped.push({ row, why: 'both drugs map to the same ingredient' });
    continue;
  }
  const [first, second, k1, k2] = kx < ky ? [x, y, kx, ky] : [y, x, ky, kx];
  const key = `${k1}|${k2}`;
  const severity: Sev = row.severity === 'Critical' ? 'major' : 'moderate';
  const acc = pairs.get(key);
  if (acc) {
    acc.rows.push(row);
    if (SEV_RANK[severity] < SEV_RANK[acc.severity]) acc.severity = severity;
  } else pairs.set(key, { a: toSide(first), b: toSide(second), key, severity, rows: [row] });
}
for (const p of [...pairs.values()].sort((m, n) => (m.key < n.key ? -1 : 1))) {
  const critical = p.severity === 'major';
  const labels = [
    ...new Set(
      p.rows.map((r) => `${r.label.replace(' [VA Drug Interaction]', '')} (${r.severity}, ${r.uri.split('/').pop()})`),
    ),
  ].sort();
  ruleOut.push({
    id: `ndfrt-${p.key.replace(/[^A-Za-z0-9|_]/g, '').replace('|', '-')}`,
    a: p.a,
    b: p.b,
    severity: p.severity,
    mechanism: 'Not stated by the source; see the current prescribing information of both drugs.',
    effect: critical
      ? 'The VA graded this combination Critical: contraindicated or potentially life-threatening.'
      : 'The VA graded this combination Significant: clinically relevant; may need monitoring or dose adjustment.',
    management: critical
      ? 'Avoid the combination unless no alternative exists; if used, monitor closely as the labels direct.'
      : 'Monitor the patient and adjust doses as the labels direct.',
    source: `VA NDF-RT drug interaction ${labels.join('; ')} (2014, public domain)`,
    licence: LICENCE,
    origin: 'ndf-rt',
  });
}

// ---- output -------------------------------------------------------------------------------------------------
const classes: Record<string, { name: string; kind: 'pharmacologic'; source: string }> = {};
const memberOut: Record<string, string[]> = {};
for (const [id, f] of Object.entries(famFile.families).sort(([x], [y]) => (x < y ? -1 : 1))) {
  classes[classId(id)] = { name: f.name, kind: 'pharmacologic', source: f.source };
  memberOut[classId(id)] = [...members.get(id)!].sort(numCmp);
}
ruleOut.sort((x, y) => (x.origin === y.origin ? (x.id < y.id ? -1 : 1) : x.origin < y.origin ? -1 : 1));
const extraOut = [...extra.entries()].sort(([x], [y]) => numCmp(x, y)).map(([rx, e]) => [rx, e.name, e.source]);
const counts = {
  ndfrtRows: rows.length,
  ndfrtCritical: rows.filter((r) => r.severity === 'Critical').length,
  ndfrtMappedRows: rows.length - unmapped.length,
  ndfrtUnmappedRows: unmapped.length,
  ndfrtPairRules: pairs.size,
  familyAndLabelRules: famRules.rules.length,
  families: Object.keys(classes).length,
  extraIngredients: extraOut.length,
};
const meta = {
  description:
    'Interaction rules compiled from sources by scripts/drug-kb/build-interaction-rules.ts (do not edit by hand). Loaded with the curated interactions.json; the curated grade wins where it is at least as severe or explicitly non-interruptive.',
  sources: [
    'VA National Drug File - Reference Terminology (NDF-RT) drug-drug interactions, 2014 snapshot via Ayvaz S, et al. J Biomed Inform 2015;55:206-17 (public domain)',
    'FDA Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers',
    'FDA prescribing information (DailyMed) as cited per rule and family',
  ],
  licence: LICENCE,
  counts,
  layout: {
    classes: 'fam_<family> -> {name, kind, source}',
    members: 'fam_<family> -> [ingredient rxcui]',
    extraIngredients: '[rxcui, name, source]',
    rules: 'one rule per line',
  },
};
// One rule per line keeps the file small and its diffs readable.
const body = [
  '{',
  `"meta": ${JSON.stringify(meta, null, 1)},`,
  `"classes": ${JSON.stringify(classes, null, 1)},`,
  `"members": ${JSON.stringify(memberOut)},`,
  `"extraIngredients": ${JSON.stringify(extraOut, null, 1)},`,
  '"rules": [',
  ruleOut.map((r) => JSON.stringify(r)).join(',\n'),
  ']',
  '}',
  '',
].join('\n');
writeFileSync(join(kbDir, 'generated-interactions.json'), body);

const report = [
  '# NDF-RT build report',
  '',
  'Written by `npx tsx scripts/drug-kb/build-interaction-rules.ts`; do not edit by hand.',
  '',
  `- NDF-RT rows: ${counts.ndfrtRows} (${counts.ndfrtCritical} Critical); mapped: ${counts.ndfrtMappedRows}; unmapped: ${counts.ndfrtUnmappedRows}`,
  `- ingredient-pair rules written: ${counts.ndfrtPairRules} (rows naming the same pair twice are merged, the more severe grade kept)`,
  `- how names were resolved (per drug mention): ${[...viaCount.entries()]
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
  `- ingredients added by RxCUI (not in the drug table): ${extraOut.length}`,
  `- family and label rules: ${counts.familyAndLabelRules} over ${counts.families} families`,
  '',
  '## Unmapped NDF-RT rows',
  '',
  unmapped.length
    ? '| line | object | precipitant | severity | why |\n| ---: | --- | --- | --- | --- |'
    : 'None: every row was mapped.',
  ...unmapped.map((u) => `| ${u.row.line} | ${u.row.object} | ${u.row.precipitant} | ${u.row.severity} | ${u.why} |`),
  '',
  '## Ingredients added by RxCUI',
  '',
  ...extraOut.map(([rx, name]) => `- ${rx} ${name}`),
  '',
  '## Family members or rule ingredients not resolved (left out of the rule)',
  '',
  ...(unresolvedMembers.length ? unresolvedMembers.sort().map((m) => `- ${m}`) : ['None.']),
  '',
].join('\n');
writeFileSync(join(kbDir, 'ndfrt-build-report.md'), report);
console.log(JSON.stringify(counts));
if (unresolvedMembers.length)
  console.log(`${unresolvedMembers.length} family members / rule ingredients unresolved (see ndfrt-build-report.md)`);
