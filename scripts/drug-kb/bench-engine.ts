/**
 * Micro-benchmark of checkMedicationSafety: one proposed medication screened against 20 active medications and
 * 3 allergies and a patient context (eGFR, potassium, a condition), over the full rule set (curated + NDF-RT +
 * families/labels; the target is < 100 µs per check). Prints µs/check with a warm and a cold ingredient-pair cache.
 *
 *   npx tsx scripts/drug-kb/bench-engine.ts [iterations]
 */
import {
  checkMedicationSafety,
  loadDrugKnowledgeBase,
  searchDrugs,
  type SafetyCheckInput,
} from '../../services/api/src/modules/drug-safety';

const iterations = Number(process.argv[2] ?? 20000);
const t0 = performance.now();
const kb = loadDrugKnowledgeBase();
const loadMs = performance.now() - t0;

const ACTIVE = [
  '314076',
  '861007',
  '617311',
  '197361',
  '866514',
  '892246',
  '310798',
  '309362',
  '855332',
  '312941',
  '1049621',
  '197591',
  '200224',
  '311372',
  '863669',
  '198051',
  '197319',
  '979492',
  '310431',
  '313782',
].map((code, i) => ({ id: `mr-${i}`, code, system: 'http://www.nlm.nih.gov/research/umls/rxnorm' }));
const input: SafetyCheckInput = {
  proposed: [{ id: 'new-1', code: '197517', system: 'http://www.nlm.nih.gov/research/umls/rxnorm' }],
  active: ACTIVE,
  allergies: [
    {
      id: 'a1',
      codings: [{ system: 'http://snomed.info/sct', code: '91936005', display: 'Allergy to penicillin' }],
      criticality: 'high',
      verificationStatus: 'confirmed',
    },
    {
      id: 'a2',
      codings: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1191', display: 'Aspirin' }],
      criticality: 'low',
      verificationStatus: 'confirmed',
    },
    { id: 'a3', text: 'sulfa drugs', verificationStatus: 'unconfirmed' },
  ],
  patient: { ageYears: 67, egfr: 55, potassium: 5.2, conditions: ['heart-failure'] },
};

function run(label: string, n: number, before?: () => void) {
  let findings = 0;
  for (let i = 0; i < 200; i++) checkMedicationSafety(kb, input); // warm-up (JIT)
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    before?.();
    findings = checkMedicationSafety(kb, input).length;
  }
  const us = ((performance.now() - start) * 1000) / n;
  console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(7)} µs/check   (${n} checks, ${findings} findings each)`);
  return us;
}

const byOrigin = new Map<string, number>();
for (const r of kb.rules) byOrigin.set(r.origin ?? 'curated', (byOrigin.get(r.origin ?? 'curated') ?? 0) + 1);
console.log(
  `KB load: ${loadMs.toFixed(0)} ms (${kb.concepts.size} concepts, ${kb.rules.length} rules: ${[...byOrigin].map(([k, v]) => `${k} ${v}`).join(', ')}; ${kb.patientRules.length} drug-condition rules)`,
);
console.log(`input: 1 proposed vs ${ACTIVE.length} active, ${input.allergies!.length} allergies`);
const warm = run('warm pair cache', iterations);
run('cold pair cache (cache cleared every check)', Math.max(1000, Math.floor(iterations / 4)), () =>
  kb.pairCache.clear(),
);
const sStart = performance.now();
for (let i = 0; i < 1000; i++) searchDrugs(kb, i % 2 ? 'simva' : 'lipitor 20', 10);
console.log(
  `${'searchDrugs (prefix queries)'.padEnd(44)} ${(((performance.now() - sStart) * 1000) / 1000).toFixed(1).padStart(7)} µs/query`,
);
process.exit(warm < 100 ? 0 : 1);
