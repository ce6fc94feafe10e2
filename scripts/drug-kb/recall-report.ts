/**
 * Recall report for the drug-interaction engine against the ONC high-priority DDI list, expressed as concrete
 * clinical drug pairs (services/api/data/drug-kb/recall-pairs.json), plus a false-alarm check over pairs of
 * commonly co-prescribed drugs without a relevant interaction.
 *
 *   npx tsx scripts/drug-kb/recall-report.ts [kbDir]
 *
 * Exit code 1 when recall is below 100% or any false alarm fires.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { atLeast, checkMedicationSafety, loadDrugKnowledgeBase, type Severity } from '../../services/api/src/modules/drug-safety';

interface RecallPairs {
  oncClasses: { class: number; name: string; expectedSeverity: Severity; pairs: [string, string, string, string][] }[];
  nonInteracting: [string, string, string, string][];
}

const dir = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'services', 'api', 'data', 'drug-kb'));
const kb = loadDrugKnowledgeBase(dir);
const set = JSON.parse(readFileSync(join(dir, 'recall-pairs.json'), 'utf8')) as RecallPairs;

function ddi(a: string, b: string) {
  // Order-independent: check a proposed against b active, and b proposed against a active.
  const one = checkMedicationSafety(kb, { proposed: [{ code: a, system: 'rxnorm' }], active: [{ code: b, system: 'rxnorm' }] });
  const two = checkMedicationSafety(kb, { proposed: [{ code: b, system: 'rxnorm' }], active: [{ code: a, system: 'rxnorm' }] });
  return [...one, ...two];
}

let tested = 0;
let caught = 0;
const rows: string[] = [];
const misses: string[] = [];
for (const c of set.oncClasses) {
  let hit = 0;
  for (const [a, an, b, bn] of c.pairs) {
    const findings = ddi(a, b).filter((f) => f.kind === 'drug-drug');
    const ok = findings.some((f) => atLeast(f.severity, c.expectedSeverity));
    if (ok) hit++;
    else misses.push(`  MISS class ${c.class}: ${an} (${a}) + ${bn} (${b}) -> ${findings.map((f) => `${f.severity}:${f.kind === 'drug-drug' ? f.ruleId : ''}`).join(', ') || 'no finding'}`);
    const worst = findings.map((f) => f.severity).sort((x, y) => (atLeast(x, y) ? -1 : 1))[0] ?? '-';
    rows.push(`    ${ok ? 'ok  ' : 'MISS'} ${an} + ${bn}: ${worst}`);
  }
  tested += c.pairs.length;
  caught += hit;
  console.log(`${String(c.class).padStart(2)}. ${c.name.padEnd(92)} pairs ${String(c.pairs.length).padStart(2)}  caught >= ${c.expectedSeverity} ${String(hit).padStart(2)}  recall ${((100 * hit) / c.pairs.length).toFixed(0)}%`);
  if (process.env.VERBOSE) rows.splice(0).forEach((r) => console.log(r));
  rows.length = 0;
}
console.log(`\nONC high-priority recall: ${caught}/${tested} = ${((100 * caught) / tested).toFixed(1)}%`);
misses.forEach((m) => console.log(m));

let alarms = 0;
console.log(`\nFalse-alarm check (${set.nonInteracting.length} non-interacting pairs):`);
for (const [a, an, b, bn] of set.nonInteracting) {
  const f = ddi(a, b).filter((x) => x.kind !== 'controlled-substance');
  if (f.length) { alarms++; console.log(`  FALSE ALARM ${an} + ${bn}: ${f.map((x) => `${x.kind}/${x.severity}`).join(', ')}`); }
}
console.log(`  false alarms: ${alarms}/${set.nonInteracting.length}`);
process.exit(caught === tested && alarms === 0 ? 0 : 1);
