import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KB_DIR } from './load-kb';
import { kb, recallPairs } from './test-helpers.test-util';

const read = (f: string) => JSON.parse(readFileSync(join(DEFAULT_KB_DIR, f), 'utf8'));

describe('drug knowledge base integrity', () => {
  it('loads the generated table with its provenance', () => {
    const k = kb();
    expect(k.meta.release).toBe('2025-10-06');
    expect(k.meta.licence).toMatch(/public domain/i);
    expect(k.meta.counts.clinicalDrugs).toBeGreaterThan(11000);
    expect(k.meta.counts.brandedDrugs).toBeGreaterThan(7000);
    expect(k.concepts.size).toBeGreaterThan(30000);
  });

  it('every ingredient of classes.json exists in the table under the same name', () => {
    for (const e of read('classes.json').ingredients as { rxcui: string; name: string }[]) {
      expect({ rxcui: e.rxcui, name: kb().concepts.get(e.rxcui)?.name.toLowerCase() }).toEqual({
        rxcui: e.rxcui,
        name: e.name,
      });
    }
  });

  it('every RxNorm code of allergy-classes.json and interactions.json exists in the table under the same name', () => {
    const refs: { rxcui: string; name: string }[] = [];
    const ac = read('allergy-classes.json');
    for (const c of ac.classes) refs.push(...c.members);
    for (const s of ac.snomedIngredients) refs.push(s.ingredient);
    for (const r of read('interactions.json').rules)
      for (const side of [r.a, r.b]) refs.push(...(side.ingredients ?? []));
    expect(refs.length).toBeGreaterThan(200);
    for (const r of refs) expect({ rxcui: r.rxcui, name: kb().concepts.get(r.rxcui)?.name.toLowerCase() }).toEqual(r);
  });

  it('every RxNorm code of generated-interactions.json and patient-rules.json exists in the KB under the same name', () => {
    const gen = read('generated-interactions.json');
    const extra = new Set((gen.extraIngredients as [string, string, string][]).map(([rx]) => rx));
    const refs: { rxcui: string; name: string }[] = [];
    for (const r of gen.rules) for (const side of [r.a, r.b]) refs.push(...(side.ingredients ?? []));
    for (const r of read('patient-rules.json').rules) refs.push(...(r.drugs.ingredients ?? []));
    expect(refs.length).toBeGreaterThan(3000);
    for (const r of refs) expect({ rxcui: r.rxcui, name: kb().concepts.get(r.rxcui)?.name.toLowerCase() }).toEqual(r);
    // Ingredients added by RxCUI are only those the drug table lacks.
    for (const [rx, name] of gen.extraIngredients as [string, string, string][])
      expect([rx, name, kb().concepts.get(rx)?.tty]).toEqual([rx, name, 'IN']);
    expect(extra.size).toBe(gen.meta.counts.extraIngredients);
    for (const m of Object.values(gen.members as Record<string, string[]>).flat())
      expect([m, kb().ingredients.has(m)]).toEqual([m, true]);
  });

  it('every generated rule and family names its source and licence', () => {
    const gen = read('generated-interactions.json');
    for (const r of gen.rules) {
      expect([r.id, !!r.source, !!r.licence, ['ndf-rt', 'label', 'family'].includes(r.origin)]).toEqual([
        r.id,
        true,
        true,
        true,
      ]);
    }
    for (const [id, c] of Object.entries(gen.classes as Record<string, { source: string }>))
      expect([id, !!c.source]).toEqual([id, true]);
    for (const r of read('patient-rules.json').rules) expect([r.id, !!r.source]).toEqual([r.id, true]);
  });

  it('every entry of the curated files names its source and licence', () => {
    for (const r of read('interactions.json').rules) {
      expect(r.source).toBeTruthy();
      expect(r.licence).toBeTruthy();
    }
    for (const c of read('allergy-classes.json').classes) {
      expect(c.source).toBeTruthy();
      expect(c.licence).toBeTruthy();
    }
    for (const e of read('classes.json').ingredients) expect(e.source).toBeTruthy();
    expect(read('classes.json').meta.licence).toBeTruthy();
  });

  it('implements all 15 ONC high-priority classes', () => {
    const onc = new Set(
      kb()
        .rules.filter((r) => r.oncClass)
        .map((r) => r.oncClass),
    );
    expect([...onc].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
  });

  it('every code of recall-pairs.json exists in the table', () => {
    const set = recallPairs();
    const pairs = [
      ...set.oncClasses.flatMap((c) => c.pairs),
      ...set.otherCritical.flatMap((c) => c.pairs),
      ...set.nonInterruptive,
      ...set.nonInteracting,
    ];
    for (const c of pairs.flatMap((p) => [p[0], p[2]])) expect([c, kb().concepts.has(c)]).toEqual([c, true]);
  });

  it('every RxNorm code written in the unit tests exists in the table', () => {
    // Every quoted 3-8 digit string of a test file is taken as an RxNorm code, except SNOMED codes written through
    // snomedAllergy(...), { system: SNOMED, code } or (code, SNOMED), and 9+ digit / NDC strings (unknown-code cases).
    const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.ts') && f !== 'kb-integrity.test.ts');
    const codes = new Set<string>();
    const snomed = new Set<string>();
    for (const f of files) {
      const src = readFileSync(join(__dirname, f), 'utf8');
      for (const m of src.matchAll(/'(\d{3,8})'/g)) codes.add(m[1]!);
      for (const m of src.matchAll(/snomedAllergy\('(\d+)'|system: SNOMED, code: '(\d+)'|'(\d+)', SNOMED\)/g))
        snomed.add((m[1] ?? m[2] ?? m[3])!);
    }
    for (const c of snomed) codes.delete(c);
    expect(codes.size).toBeGreaterThan(60);
    const missing = [...codes].filter((c) => !kb().concepts.has(c));
    expect(missing).toEqual([]);
  });
});
