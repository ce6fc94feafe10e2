/**
 * Recall report for the drug-interaction engine (services/api/data/drug-kb/recall-pairs.json):
 *  1. the ONC high-priority DDI list (15 classes) as concrete clinical drug pairs (SCD), both directions;
 *  2. the same pairs with one side recoded as every other term type real data carries (SBD, BN, GPCK, BPCK, NDC,
 *     and the rule's ingredient as IN, PIN, SCDC) against the partner SCD;
 *  3. other widely recognised critical interactions (warfarin, nitrates + PDE-5, serotonin syndrome, ...);
 *  4. non-interruptive pairs (Phansalkar 2013): reported, at most moderate, never blocking;
 *  5. false alarms over commonly co-prescribed non-interacting pairs (SCD and their SBD/pack/NDC variants);
 *  6. VA NDF-RT Critical pairs (../shared/data/ndf-rt-interactions-2014) at >= major, per ingredient pair (IN codes)
 *     and as clinical drugs (a single-ingredient SCD of each side, where the table has one), both directions;
 *  7. NDF-RT Significant pairs at >= moderate (per ingredient pair);
 *  8. the critical pairs named in issue 13 (recall-ingredient-pairs.json), as IN and as SCD;
 *  9. false alarms (>= major) over the ingredient control pairs of recall-ingredient-pairs.json and, as SCDs, over
 *     the Phansalkar 2013 non-interruptive pairs and the non-interacting pairs of section 4/5;
 * 10. with --heldout FILE: a held-out list of critical pairs ("drug A<TAB>drug B" per line, names or RxCUIs;
 *     '#' comments) at >= major, names resolved like the NDF-RT build.
 *
 *   npx tsx scripts/drug-kb/recall-report.ts [kbDir] [--ndfrt dir] [--heldout file]    (VERBOSE=1 lists every pair)
 *
 * Exit code 1 when any recall is below 100% (the held-out set excepted: it is reported, not gated), a
 * non-interruptive pair blocks, or any false alarm fires.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  atLeast,
  checkMedicationSafety,
  loadDrugKnowledgeBase,
  type DrugDrugFinding,
  type Finding,
  type MedRef,
  type PatientContext,
  type Severity,
} from '../../services/api/src/modules/drug-safety';
import { blockingFindings } from '../../services/api/src/modules/drug-safety/override-policy';
import { createResolver, readNdfrtRows, type Resolved } from './names';
import { loadLinks, RXNORM, termVariants, type Variant } from './term-variants';

type Pair = [string, string, string, string];
interface RecallPairs {
  oncClasses: { class: number; name: string; expectedSeverity: Severity; pairs: Pair[] }[];
  otherCritical: { name: string; expectedSeverity: Severity; patient?: PatientContext; pairs: Pair[] }[];
  nonInterruptive: Pair[];
  nonInteracting: Pair[];
}

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv.splice(i, 2)[1] : undefined;
};
const heldoutFile = flag('--heldout');
const ndfrtDir = resolve(
  flag('--ndfrt') ?? join(__dirname, '..', '..', '..', 'shared', 'data', 'ndf-rt-interactions-2014'),
);
const dir = resolve(argv[0] ?? join(__dirname, '..', '..', 'services', 'api', 'data', 'drug-kb'));
const kb = loadDrugKnowledgeBase(dir);
const links = loadLinks(dir);
const set = JSON.parse(readFileSync(join(dir, 'recall-pairs.json'), 'utf8')) as RecallPairs;
const verbose = !!process.env.VERBOSE;
const failures: string[] = [];

const scd = (code: string): Variant => ({ tty: 'SCD', system: RXNORM, code });
const ref = (v: Variant): MedRef => ({ code: v.code, system: v.system });

/** Findings for the pair in both directions (a proposed vs b active, and b proposed vs a active). */
function screen(a: Variant, b: Variant, patient?: PatientContext): Finding[] {
  return [
    ...checkMedicationSafety(kb, { proposed: [ref(a)], active: [ref(b)], ...(patient ? { patient } : {}) }),
    ...checkMedicationSafety(kb, { proposed: [ref(b)], active: [ref(a)], ...(patient ? { patient } : {}) }),
  ];
}
const ddiOf = (f: Finding[]) => f.filter((x): x is DrugDrugFinding => x.kind === 'drug-drug');
const caughtAt = (f: Finding[], sev: Severity) => ddiOf(f).some((x) => atLeast(x.severity, sev));
const worst = (f: Finding[]) =>
  ddiOf(f)
    .map((x) => x.severity)
    .sort((x, y) => (atLeast(x, y) ? -1 : 1))[0] ?? 'none';
const pct = (n: number, d: number) => `${d ? ((100 * n) / d).toFixed(1) : '-'}%`;

// 1 + 2: ONC classes with SCD pairs, then term-type variants of each side.
console.log('1. ONC high-priority list (Phansalkar 2012) as clinical drug (SCD) pairs, both directions');
let tested = 0;
let caught = 0;
const byTty = new Map<string, { tested: number; caught: number }>();
for (const c of set.oncClasses) {
  let hit = 0;
  for (const [a, an, b, bn] of c.pairs) {
    const found = screen(scd(a), scd(b));
    const ok = caughtAt(found, c.expectedSeverity);
    if (ok) hit++;
    else failures.push(`ONC class ${c.class}: ${an} + ${bn} -> ${worst(found)}`);
    if (verbose) console.log(`      ${ok ? 'ok  ' : 'MISS'} ${an} + ${bn}: ${worst(found)}`);
    // The rule's ingredient on each side decides which IN/PIN/SCDC codes stand for that product.
    const f = ddiOf(checkMedicationSafety(kb, { proposed: [ref(scd(a))], active: [ref(scd(b))] })).filter((x) =>
      atLeast(x.severity, c.expectedSeverity),
    );
    const ingA = [...new Set(f.map((x) => x.ingredients[x.drugs[0].role === 'proposed' ? 0 : 1].rxcui))];
    const ingB = [...new Set(f.map((x) => x.ingredients[x.drugs[0].role === 'proposed' ? 1 : 0].rxcui))];
    for (const [variants, partner, name] of [
      [termVariants(kb, links, a, ingA), b, an],
      [termVariants(kb, links, b, ingB), a, bn],
    ] as const) {
      for (const v of variants) {
        const r = byTty.get(v.tty) ?? { tested: 0, caught: 0 };
        r.tested++;
        if (caughtAt(screen(v, scd(partner)), c.expectedSeverity)) r.caught++;
        else failures.push(`ONC class ${c.class} as ${v.tty}: ${v.code} (for ${name}) + SCD ${partner}`);
        byTty.set(v.tty, r);
      }
    }
  }
  tested += c.pairs.length;
  caught += hit;
  console.log(
    `   ${String(c.class).padStart(2)}. ${c.name.padEnd(90)} pairs ${String(c.pairs.length).padStart(2)}  caught >= ${c.expectedSeverity} ${String(hit).padStart(2)}  ${pct(hit, c.pairs.length)}`,
  );
}
console.log(`   ONC high-priority recall (SCD): ${caught}/${tested} = ${pct(caught, tested)}`);

console.log('\n2. The same pairs with one side coded as another term type, against the partner SCD');
let vt = 0;
let vc = 0;
for (const tty of ['SBD', 'BN', 'GPCK', 'BPCK', 'NDC', 'IN', 'PIN', 'SCDC']) {
  const r = byTty.get(tty) ?? { tested: 0, caught: 0 };
  vt += r.tested;
  vc += r.caught;
  console.log(
    `   ${tty.padEnd(5)} codes tested ${String(r.tested).padStart(3)}  caught ${String(r.caught).padStart(3)}  recall ${pct(r.caught, r.tested)}`,
  );
}
console.log(`   all term types: ${vc}/${vt} = ${pct(vc, vt)}`);

// 3: other critical interactions.
console.log('\n3. Other widely recognised critical interactions (SCD pairs, both directions)');
let ot = 0;
let oc = 0;
for (const c of set.otherCritical) {
  let hit = 0;
  for (const [a, an, b, bn] of c.pairs) {
    const found = screen(scd(a), scd(b), c.patient);
    if (caughtAt(found, c.expectedSeverity)) hit++;
    else failures.push(`${c.name}: ${an} + ${bn} -> ${worst(found)}`);
    if (verbose) console.log(`      ${an} + ${bn}: ${worst(found)}`);
  }
  ot += c.pairs.length;
  oc += hit;
  const ctx = c.patient
    ? ` (${Object.entries(c.patient)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`
    : '';
  console.log(
    `   ${(c.name + ctx).padEnd(94)} pairs ${String(c.pairs.length).padStart(2)}  caught >= ${c.expectedSeverity.padEnd(15)} ${String(hit).padStart(2)}  ${pct(hit, c.pairs.length)}`,
  );
}
console.log(`   other critical recall: ${oc}/${ot} = ${pct(oc, ot)}`);

// 4: non-interruptive pairs inform without blocking.
console.log('\n4. Non-interruptive pairs (Phansalkar 2013): reported, at most moderate, never blocking');
let ni = 0;
for (const [a, an, b, bn] of set.nonInterruptive) {
  const found = screen(scd(a), scd(b));
  const ddi = ddiOf(found);
  const ok =
    ddi.length > 0 &&
    ddi.every((x) => !atLeast(x.severity, 'major') && !x.interruptive) &&
    blockingFindings(found).length === 0;
  if (ok) ni++;
  else
    failures.push(
      `non-interruptive ${an} + ${bn}: ${ddi.map((x) => `${x.severity}${x.interruptive ? ' interruptive' : ''}`).join(', ') || 'not reported'}`,
    );
  if (verbose || !ok)
    console.log(
      `   ${ok ? 'ok  ' : 'FAIL'} ${an} + ${bn}: ${ddi.map((x) => `${x.severity} (${x.ruleId})`).join(', ') || 'not reported'}`,
    );
}
console.log(`   informative and not blocking: ${ni}/${set.nonInterruptive.length}`);

// 5: false alarms, with the SCD and its product-level variants (the ingredient-level ones say nothing new here).
console.log(
  `\n5. False-alarm check: ${set.nonInteracting.length} non-interacting pairs, as SCD and as SBD/pack/NDC variants`,
);
let alarms = 0;
let checks = 0;
for (const [a, an, b, bn] of set.nonInteracting) {
  const sides = [
    [scd(a), ...termVariants(kb, links, a, []).filter((v) => v.tty !== 'BN')],
    [scd(b), ...termVariants(kb, links, b, []).filter((v) => v.tty !== 'BN')],
  ];
  for (const va of sides[0]!) {
    for (const vb of sides[1]!) {
      checks++;
      const f = screen(va, vb).filter((x) => x.kind !== 'controlled-substance');
      if (f.length) {
        alarms++;
        failures.push(
          `false alarm ${an} (${va.tty} ${va.code}) + ${bn} (${vb.tty} ${vb.code}): ${f.map((x) => `${x.kind}/${x.severity}`).join(', ')}`,
        );
      }
    }
  }
}
console.log(`   false alarms: ${alarms}/${checks} checks`);

// 6-10: ingredient-level sets. An ingredient is coded as its IN, or as one single-ingredient systemic SCD.
const inRef = (rx: string): Variant => ({ tty: 'IN', system: RXNORM, code: rx });
const scdOf = new Map<string, string>();
for (const c of [...kb.concepts.values()].sort((x, y) => Number(x.rxcui) - Number(y.rxcui))) {
  if (c.tty !== 'SCD' || c.local || c.unmapped?.length || c.ingredients.length !== 1) continue;
  const rx = c.ingredients[0]!;
  const prev = scdOf.get(rx);
  const oral = (x: string | undefined) => !!x && /Oral/.test(kb.concepts.get(x)?.doseForm ?? '');
  if (!prev || (!oral(prev) && oral(c.rxcui))) scdOf.set(rx, c.rxcui);
}
const familyMember = new Map<string, string>();
for (const i of [...kb.ingredients.values()].sort((x, y) => Number(x.rxcui) - Number(y.rxcui)))
  for (const k of i.keys)
    if (k.startsWith('c:fam_') && !familyMember.has(k.slice(2))) familyMember.set(k.slice(2), i.rxcui);
const ingredientOf = (r: Resolved): string | undefined =>
  r.kind === 'ingredient' ? r.ref.rxcui : r.kind === 'family' ? familyMember.get(`fam_${r.id}`) : undefined;
const nameOf = (rx: string) => kb.ingredients.get(rx)?.name ?? rx;
const pairKey = (x: string, y: string) => (Number(x) < Number(y) ? `${x}|${y}` : `${y}|${x}`);

interface IngPair {
  x: string;
  y: string;
  label: string;
}
function recallOf(
  title: string,
  pairs: readonly IngPair[],
  sev: Severity,
  gate: boolean,
): { caught: number; scdTested: number; scdCaught: number } {
  let hit = 0;
  let st = 0;
  let sc = 0;
  const misses: string[] = [];
  for (const p of pairs) {
    const found = screen(inRef(p.x), inRef(p.y));
    if (caughtAt(found, sev)) hit++;
    else misses.push(`${title}: ${p.label} (IN) -> ${worst(found)}`);
    const [a, b] = [scdOf.get(p.x), scdOf.get(p.y)];
    if (a && b) {
      st++;
      const f2 = screen(scd(a), scd(b));
      if (caughtAt(f2, sev)) sc++;
      else misses.push(`${title}: ${p.label} as SCD ${a} + ${b} -> ${worst(f2)}`);
    }
  }
  if (gate) failures.push(...misses);
  else if (verbose || misses.length <= 30) for (const m of misses) console.log(`      miss ${m}`);
  console.log(`   per ingredient pair (IN): ${hit}/${pairs.length} = ${pct(hit, pairs.length)} at >= ${sev}`);
  console.log(
    `   as clinical drugs (SCD): ${sc}/${st} = ${pct(sc, st)} at >= ${sev}  (${pairs.length - st} pairs have no single-ingredient systemic SCD in the table on one side)`,
  );
  return { caught: hit, scdTested: st, scdCaught: sc };
}

if (existsSync(join(ndfrtDir, 'ndf-rt-interactions.tsv'))) {
  const { resolveName } = createResolver(dir, ndfrtDir);
  const rows = readNdfrtRows(ndfrtDir);
  const bySeverity = { Critical: new Map<string, IngPair>(), Significant: new Map<string, IngPair>() };
  let unmappedRows = 0;
  for (const r of rows) {
    const [x, y] = [ingredientOf(resolveName(r.object)), ingredientOf(resolveName(r.precipitant))];
    if (!x || !y || x === y) {
      unmappedRows++;
      continue;
    }
    bySeverity[r.severity].set(pairKey(x, y), {
      x,
      y,
      label: `${nameOf(x)} + ${nameOf(y)} (${r.object}/${r.precipitant})`,
    });
  }
  const crit = [...bySeverity.Critical.values()];
  const sig = [...bySeverity.Significant.values()].filter((p) => !bySeverity.Critical.has(pairKey(p.x, p.y)));
  console.log(
    `\n6. VA NDF-RT Critical: ${rows.filter((r) => r.severity === 'Critical').length} rows, ${crit.length} distinct ingredient pairs (rows not mapped: ${unmappedRows}), both directions`,
  );
  recallOf('NDF-RT Critical', crit, 'major', true);
  // Not gated: where a curated rule grades a Significant pair explicitly as non-interruptive (Phansalkar 2013, e.g.
  // beta-blocker + sulfonylurea), the curated grade wins by design; the misses are listed.
  console.log(
    `\n7. VA NDF-RT Significant: ${sig.length} distinct ingredient pairs, at >= moderate (misses = curated non-interruptive grade kept)`,
  );
  recallOf('NDF-RT Significant', sig, 'moderate', false);
} else console.log(`\n6-7. NDF-RT data not found at ${ndfrtDir}: sections skipped`);

const ing = JSON.parse(readFileSync(join(dir, 'recall-ingredient-pairs.json'), 'utf8')) as {
  issueExamples: {
    a: { rxcui: string; name: string };
    b: { rxcui: string; name: string };
    expectedSeverity: Severity;
  }[];
  controlPairs: { a: { rxcui: string; name: string }; b: { rxcui: string; name: string } }[];
};
console.log('\n8. Critical pairs named in issue 13 (IN and SCD, both directions)');
let exHit = 0;
for (const e of ing.issueExamples) {
  const found = screen(inRef(e.a.rxcui), inRef(e.b.rxcui));
  const [a, b] = [scdOf.get(e.a.rxcui), scdOf.get(e.b.rxcui)];
  const viaScd = a && b ? screen(scd(a), scd(b)) : undefined;
  const ok = caughtAt(found, e.expectedSeverity) && (!viaScd || caughtAt(viaScd, e.expectedSeverity));
  if (ok) exHit++;
  else
    failures.push(
      `issue example ${e.a.name} + ${e.b.name}: IN ${worst(found)}, SCD ${viaScd ? worst(viaScd) : 'n/a'} (expected ${e.expectedSeverity})`,
    );
  console.log(
    `   ${ok ? 'ok  ' : 'MISS'} ${`${e.a.name} + ${e.b.name}`.padEnd(34)} IN ${worst(found).padEnd(16)} SCD ${viaScd ? worst(viaScd) : 'n/a (no SCD)'}`,
  );
}
// Sacubitril is only marketed with valsartan: its combination SCD stands for it.
const entresto = [...kb.concepts.values()].find(
  (c) => c.tty === 'SCD' && /sacubitril/.test(c.name) && /valsartan/.test(c.name),
);
for (const acei of ['29046', '3827']) {
  const s2 = scdOf.get(acei);
  if (!entresto || !s2) continue;
  const found = screen(scd(entresto.rxcui), scd(s2));
  const ok = caughtAt(found, 'contraindicated');
  if (!ok) failures.push(`issue example ${entresto.name} + ${nameOf(acei)}: ${worst(found)}`);
  console.log(
    `   ${ok ? 'ok  ' : 'MISS'} ${`sacubitril/valsartan SCD + ${nameOf(acei)}`.padEnd(34)} SCD ${worst(found)}`,
  );
}
console.log(`   issue examples: ${exHit}/${ing.issueExamples.length}`);

console.log('\n9. False alarms (a drug-drug finding at >= major, or any blocking finding) on control sets');
let ctlAlarms = 0;
let ctlInfo = 0;
for (const c of ing.controlPairs) {
  for (const [va, vb, how] of [
    [inRef(c.a.rxcui), inRef(c.b.rxcui), 'IN'],
    ...(scdOf.get(c.a.rxcui) && scdOf.get(c.b.rxcui)
      ? [[scd(scdOf.get(c.a.rxcui)!), scd(scdOf.get(c.b.rxcui)!), 'SCD']]
      : []),
  ] as [Variant, Variant, string][]) {
    const found = screen(va, vb);
    if (caughtAt(found, 'major') || blockingFindings(found).length) {
      ctlAlarms++;
      failures.push(`control false alarm ${c.a.name} + ${c.b.name} (${how}): ${worst(found)}`);
    } else if (ddiOf(found).length) ctlInfo++;
  }
}
let niAlarms = 0;
for (const [a, an, b, bn] of [...set.nonInterruptive, ...set.nonInteracting]) {
  const found = screen(scd(a), scd(b));
  if (caughtAt(found, 'major') || blockingFindings(found).length) {
    niAlarms++;
    failures.push(`false alarm ${an} + ${bn}: ${worst(found)}`);
  }
}
const ctlChecks =
  ing.controlPairs.length + ing.controlPairs.filter((c) => scdOf.get(c.a.rxcui) && scdOf.get(c.b.rxcui)).length;
console.log(
  `   own control list (${ing.controlPairs.length} ingredient pairs, IN and SCD): ${ctlAlarms}/${ctlChecks} checks alarm at >= major (${ctlInfo} with a milder informational finding)`,
);
console.log(
  `   Phansalkar 2013 non-interruptive + non-interacting SCD pairs: ${niAlarms}/${set.nonInterruptive.length + set.nonInteracting.length} alarm at >= major`,
);
console.log(
  `   false-alarm rate: ${pct(ctlAlarms + niAlarms, ctlChecks + set.nonInterruptive.length + set.nonInteracting.length)}`,
);

if (heldoutFile) {
  const { resolveName } = createResolver(dir, ndfrtDir);
  const toIng = (s: string): string | undefined =>
    /^\d+$/.test(s.trim()) ? (kb.ingredients.has(s.trim()) ? s.trim() : undefined) : ingredientOf(resolveName(s));
  const lines = readFileSync(resolve(heldoutFile), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const pairs: IngPair[] = [];
  const unresolved: string[] = [];
  for (const l of lines) {
    const [a, b] = l.split(/\t|;|,/).map((x) => x.trim());
    const [x, y] = [a ? toIng(a) : undefined, b ? toIng(b) : undefined];
    if (x && y && x !== y) pairs.push({ x, y, label: `${a} + ${b}` });
    else unresolved.push(l);
  }
  console.log(
    `\n10. Held-out critical pairs (${heldoutFile}): ${lines.length} lines, ${unresolved.length} not resolvable to two ingredients`,
  );
  for (const u of unresolved) console.log(`      unresolved: ${u}`);
  recallOf('held-out', pairs, 'major', false);
}

if (failures.length) {
  console.log(`\n${failures.length} failure(s):`);
  for (const f of failures) console.log(`  ${f}`);
}
process.exit(failures.length ? 1 : 0);
