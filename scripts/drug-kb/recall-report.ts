/**
 * Recall report for the drug-interaction engine (services/api/data/drug-kb/recall-pairs.json):
 *  1. the ONC high-priority DDI list (15 classes) as concrete clinical drug pairs (SCD), both directions;
 *  2. the same pairs with one side recoded as every other term type real data carries (SBD, BN, GPCK, BPCK, NDC,
 *     and the rule's ingredient as IN, PIN, SCDC) against the partner SCD;
 *  3. other widely recognised critical interactions (warfarin, nitrates + PDE-5, serotonin syndrome, ...);
 *  4. non-interruptive pairs (Phansalkar 2013): reported, at most moderate, never blocking;
 *  5. false alarms over commonly co-prescribed non-interacting pairs (SCD and their SBD/pack/NDC variants).
 *
 *   npx tsx scripts/drug-kb/recall-report.ts [kbDir]        (VERBOSE=1 lists every pair)
 *
 * Exit code 1 when any recall is below 100%, a non-interruptive pair blocks, or any false alarm fires.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  atLeast, checkMedicationSafety, loadDrugKnowledgeBase, type DrugDrugFinding, type Finding, type MedRef, type PatientContext, type Severity,
} from '../../services/api/src/modules/drug-safety';
import { blockingFindings } from '../../services/api/src/modules/medications/safety-gate';
import { loadLinks, RXNORM, termVariants, type Variant } from './term-variants';

type Pair = [string, string, string, string];
interface RecallPairs {
  oncClasses: { class: number; name: string; expectedSeverity: Severity; pairs: Pair[] }[];
  otherCritical: { name: string; expectedSeverity: Severity; patient?: PatientContext; pairs: Pair[] }[];
  nonInterruptive: Pair[];
  nonInteracting: Pair[];
}

const dir = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'services', 'api', 'data', 'drug-kb'));
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
const worst = (f: Finding[]) => ddiOf(f).map((x) => x.severity).sort((x, y) => (atLeast(x, y) ? -1 : 1))[0] ?? 'none';
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
    const f = ddiOf(checkMedicationSafety(kb, { proposed: [ref(scd(a))], active: [ref(scd(b))] })).filter((x) => atLeast(x.severity, c.expectedSeverity));
    const ingA = [...new Set(f.map((x) => x.ingredients[x.drugs[0].role === 'proposed' ? 0 : 1].rxcui))];
    const ingB = [...new Set(f.map((x) => x.ingredients[x.drugs[0].role === 'proposed' ? 1 : 0].rxcui))];
    for (const [variants, partner, name] of [[termVariants(kb, links, a, ingA), b, an], [termVariants(kb, links, b, ingB), a, bn]] as const) {
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
  console.log(`   ${String(c.class).padStart(2)}. ${c.name.padEnd(90)} pairs ${String(c.pairs.length).padStart(2)}  caught >= ${c.expectedSeverity} ${String(hit).padStart(2)}  ${pct(hit, c.pairs.length)}`);
}
console.log(`   ONC high-priority recall (SCD): ${caught}/${tested} = ${pct(caught, tested)}`);

console.log('\n2. The same pairs with one side coded as another term type, against the partner SCD');
let vt = 0;
let vc = 0;
for (const tty of ['SBD', 'BN', 'GPCK', 'BPCK', 'NDC', 'IN', 'PIN', 'SCDC']) {
  const r = byTty.get(tty) ?? { tested: 0, caught: 0 };
  vt += r.tested;
  vc += r.caught;
  console.log(`   ${tty.padEnd(5)} codes tested ${String(r.tested).padStart(3)}  caught ${String(r.caught).padStart(3)}  recall ${pct(r.caught, r.tested)}`);
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
  const ctx = c.patient ? ` (${Object.entries(c.patient).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
  console.log(`   ${(c.name + ctx).padEnd(94)} pairs ${String(c.pairs.length).padStart(2)}  caught >= ${c.expectedSeverity.padEnd(15)} ${String(hit).padStart(2)}  ${pct(hit, c.pairs.length)}`);
}
console.log(`   other critical recall: ${oc}/${ot} = ${pct(oc, ot)}`);

// 4: non-interruptive pairs inform without blocking.
console.log('\n4. Non-interruptive pairs (Phansalkar 2013): reported, at most moderate, never blocking');
let ni = 0;
for (const [a, an, b, bn] of set.nonInterruptive) {
  const found = screen(scd(a), scd(b));
  const ddi = ddiOf(found);
  const ok = ddi.length > 0 && ddi.every((x) => !atLeast(x.severity, 'major') && !x.interruptive) && blockingFindings(found).length === 0;
  if (ok) ni++;
  else failures.push(`non-interruptive ${an} + ${bn}: ${ddi.map((x) => `${x.severity}${x.interruptive ? ' interruptive' : ''}`).join(', ') || 'not reported'}`);
  if (verbose || !ok) console.log(`   ${ok ? 'ok  ' : 'FAIL'} ${an} + ${bn}: ${ddi.map((x) => `${x.severity} (${x.ruleId})`).join(', ') || 'not reported'}`);
}
console.log(`   informative and not blocking: ${ni}/${set.nonInterruptive.length}`);

// 5: false alarms, with the SCD and its product-level variants (the ingredient-level ones say nothing new here).
console.log(`\n5. False-alarm check: ${set.nonInteracting.length} non-interacting pairs, as SCD and as SBD/pack/NDC variants`);
let alarms = 0;
let checks = 0;
for (const [a, an, b, bn] of set.nonInteracting) {
  const sides = [[scd(a), ...termVariants(kb, links, a, []).filter((v) => v.tty !== 'BN')], [scd(b), ...termVariants(kb, links, b, []).filter((v) => v.tty !== 'BN')]];
  for (const va of sides[0]!) {
    for (const vb of sides[1]!) {
      checks++;
      const f = screen(va, vb).filter((x) => x.kind !== 'controlled-substance');
      if (f.length) {
        alarms++;
        failures.push(`false alarm ${an} (${va.tty} ${va.code}) + ${bn} (${vb.tty} ${vb.code}): ${f.map((x) => `${x.kind}/${x.severity}`).join(', ')}`);
      }
    }
  }
}
console.log(`   false alarms: ${alarms}/${checks} checks`);

if (failures.length) {
  console.log(`\n${failures.length} failure(s):`);
  for (const f of failures) console.log(`  ${f}`);
}
process.exit(failures.length ? 1 : 0);
