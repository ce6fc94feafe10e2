/**
 * The committed knowledge base against its validation sets: every VA NDF-RT Critical pair at major or above, the
 * critical pairs named in issue 13 at their expected grade, and no alarm (>= major, or blocking) on control pairs.
 * Pairs are screened both ways round (proposed vs active), coded as RxNorm ingredients (IN) or clinical drugs (SCD).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockingFindings } from './override-policy';
import { checkMedicationSafety } from './check';
import { DEFAULT_KB_DIR } from './load-kb';
import { atLeast } from './severity';
import { kb, ofKind, recallPairs, rx } from './test-helpers.test-util';
import type { Finding, InteractionRule, Severity } from './types';

const read = <T>(f: string): T => JSON.parse(readFileSync(join(DEFAULT_KB_DIR, f), 'utf8')) as T;
const generated = read<{ meta: { counts: Record<string, number> }; rules: InteractionRule[] }>(
  'generated-interactions.json',
);
const ingredientPairs = read<{
  issueExamples: {
    a: { rxcui: string; name: string };
    b: { rxcui: string; name: string };
    expectedSeverity: Severity;
  }[];
  controlPairs: { a: { rxcui: string; name: string }; b: { rxcui: string; name: string } }[];
}>('recall-ingredient-pairs.json');

const both = (a: string, b: string): Finding[] => [
  ...checkMedicationSafety(kb(), { proposed: [rx(a)], active: [rx(b)] }),
  ...checkMedicationSafety(kb(), { proposed: [rx(b)], active: [rx(a)] }),
];
const worst = (f: Finding[]): Severity | 'none' =>
  ofKind(f, 'drug-drug')
    .map((x) => x.severity)
    .sort((x, y) => (atLeast(x, y) ? -1 : 1))[0] ?? 'none';
const reaches = (f: Finding[], s: Severity) => ofKind(f, 'drug-drug').some((x) => atLeast(x.severity, s));

/** A member ingredient of a generated family (NDF-RT element concepts such as CALCIUM map to a family). */
function membersOf(side: InteractionRule['a']): string[] {
  const out = (side.ingredients ?? []).map((i) => i.rxcui);
  for (const c of side.classes ?? []) {
    const m = [...kb().ingredients.values()].find((i) => i.keys.includes(`c:${c}`));
    if (m) out.push(m.rxcui);
  }
  return out;
}

describe('NDF-RT Critical pairs', () => {
  const critical = generated.rules.filter((r) => r.origin === 'ndf-rt' && r.source.includes('(Critical,'));

  it('every row was mapped and every Critical row is carried by a rule', () => {
    expect(generated.meta.counts.ndfrtUnmappedRows).toBe(0);
    const rows = critical.reduce((n, r) => n + (r.source.match(/\(Critical,/g) ?? []).length, 0);
    expect(rows).toBe(generated.meta.counts.ndfrtCritical);
    expect(rows).toBe(897);
  });

  it('all reach major or above, as ingredients, both ways round', () => {
    const misses: string[] = [];
    for (const r of critical) {
      const [x, y] = [membersOf(r.a)[0], membersOf(r.b)[0]];
      if (!x || !y) {
        misses.push(`${r.id}: no member`);
        continue;
      }
      const f = both(x, y);
      if (!reaches(f, 'major')) misses.push(`${r.id}: ${worst(f)}`);
    }
    expect(misses).toEqual([]);
  });
});

describe('issue 13 examples', () => {
  it.each(ingredientPairs.issueExamples.map((e) => [`${e.a.name} + ${e.b.name}`, e] as const))('%s', (_label, e) => {
    expect([_label, worst(both(e.a.rxcui, e.b.rxcui))]).toEqual([
      _label,
      expect.stringMatching(e.expectedSeverity === 'major' ? /^(major|contraindicated)$/ : /^contraindicated$/),
    ]);
  });

  it('sacubitril/valsartan as a clinical drug is contraindicated with lisinopril (36-hour washout)', () => {
    const entresto = [...kb().concepts.values()].find((c) => c.tty === 'SCD' && /sacubitril/.test(c.name) && !c.local)!;
    const lisinopril = [...kb().concepts.values()].find(
      (c) => c.tty === 'SCD' && c.ingredients.length === 1 && c.ingredients[0] === '29046',
    )!;
    const f = ofKind(both(entresto.rxcui, lisinopril.rxcui), 'drug-drug');
    expect(f.map((x) => x.severity)).toContain('contraindicated');
    expect(f.find((x) => x.severity === 'contraindicated')!.management).toMatch(/36 hours/);
  });
});

describe('control pairs', () => {
  it('commonly co-prescribed non-interacting ingredient pairs raise nothing at major or above', () => {
    const alarms = ingredientPairs.controlPairs
      .map((c) => [`${c.a.name} + ${c.b.name}`, worst(both(c.a.rxcui, c.b.rxcui))])
      .filter(([, w]) => w === 'major' || w === 'contraindicated');
    expect(ingredientPairs.controlPairs.length).toBeGreaterThan(30);
    expect(alarms).toEqual([]);
  });

  it('Phansalkar 2013 non-interruptive pairs stay below major and never block, whatever NDF-RT says', () => {
    for (const [a, an, b, bn] of recallPairs().nonInterruptive) {
      const f = both(a, b);
      expect([an, bn, reaches(f, 'major'), blockingFindings(f).length]).toEqual([an, bn, false, 0]);
    }
  });
});
