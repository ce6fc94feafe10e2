import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSearchIndex } from './search';
import type {
  AllergenProfile,
  AllergyClass,
  Concept,
  DeaSchedule,
  DrugClass,
  DrugKnowledgeBase,
  IngredientInfo,
  InteractionRule,
  PairMatch,
  PatientRule,
  Severity,
  TermType,
} from './types';

/** Default location of the committed KB files (services/api/data/drug-kb), valid from src/ and dist/. */
export const DEFAULT_KB_DIR = resolve(__dirname, '..', '..', '..', 'data', 'drug-kb');

/** Dose forms that act locally: systemic interaction rules do not apply to them (allergy checks still do). */
const LOCAL_FORM =
  /Ophthalmic|Otic|Topical|Vaginal|Shampoo|Soap|Toothpaste|Mouthwash|Medicated Pad|^Paste$|Medicated Patch|Oral Gel|Oral Cream|Oral Ointment|Dental|Irrigation|Mucous Membrane|Intrauterine|Enema|Cutaneous/;

type Row = unknown[];
export interface RawDrugTable {
  meta: { release: string; generatedAt: string; source: string; licence: string; counts: Record<string, number> };
  doseForms: string[];
  brands: [string, string][];
  ingredients: [string, string, 'IN' | 'PIN', 0 | 1][];
  preciseIngredients: [string, string, string][];
  multipleIngredients: [string, string, string[]][];
  clinicalDrugComponents: [string, string, string][];
  clinicalDrugs: Row[];
  brandedDrugs: [string, string, string, string[]][];
  packs: Row[];
  supplementProducts: [string, TermType, string, string[], string | null, string[], string | null][];
}
export interface RawClasses {
  classes: Record<
    string,
    { name: string; kind: 'therapeutic' | 'pharmacologic'; duplicateSeverity?: Severity; source: string }
  >;
  ingredients: {
    rxcui: string;
    name: string;
    classes: string[];
    deaSchedule?: DeaSchedule;
    combinationSchedule?: IngredientInfo['combinationSchedule'];
  }[];
}
export interface RawAllergyClasses {
  classes: AllergyClass[];
  snomedIngredients: { code: string; display: string; ingredient: { rxcui: string; name: string } }[];
  snomedNoKnownAllergy: { code: string }[];
  snomedNonSpecificDrugAllergy: { code: string }[];
}
export interface RawInteractions {
  rules: InteractionRule[];
}
/** generated-interactions.json, written by scripts/drug-kb/build-interaction-rules.ts (NDF-RT, FDA families, labels). */
export interface RawGeneratedInteractions {
  classes: Record<string, { name: string; kind: 'pharmacologic'; source: string }>;
  /** class id -> member ingredient rxcuis */
  members: Record<string, string[]>;
  /** [rxcui, name, source]: RxNorm ingredients the drug table lacks (withdrawn or outside the prescribable extract) */
  extraIngredients: [string, string, string][];
  rules: InteractionRule[];
}
export interface RawPatientRules {
  rules: PatientRule[];
}
export interface RawKnowledgeBase {
  drugs: RawDrugTable;
  classes: RawClasses;
  allergyClasses: RawAllergyClasses;
  interactions: RawInteractions;
  generated?: RawGeneratedInteractions;
  patientRules?: RawPatientRules;
}

/** Reads the KB files once (the only I/O of the module) and indexes them. */
export function loadDrugKnowledgeBase(dir: string = DEFAULT_KB_DIR): DrugKnowledgeBase {
  const read = <T>(f: string): T => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;
  // The generated and patient-rule files are optional so a KB directory holding only the curated files still loads.
  const optional = <T>(f: string): T | undefined => (existsSync(join(dir, f)) ? read<T>(f) : undefined);
  const generated = optional<RawGeneratedInteractions>('generated-interactions.json');
  const patientRules = optional<RawPatientRules>('patient-rules.json');
  return buildDrugKnowledgeBase({
    drugs: read<RawDrugTable>('rxnorm-drugs.json'),
    classes: read<RawClasses>('classes.json'),
    allergyClasses: read<RawAllergyClasses>('allergy-classes.json'),
    interactions: read<RawInteractions>('interactions.json'),
    ...(generated ? { generated } : {}),
    ...(patientRules ? { patientRules } : {}),
  });
}

export class KnowledgeBaseError extends Error {}

/** Pure: indexes already-parsed KB documents into Maps. Throws KnowledgeBaseError on dangling references. */
export function buildDrugKnowledgeBase(raw: RawKnowledgeBase): DrugKnowledgeBase {
  const { drugs } = raw;
  const problems: string[] = [];
  const concepts = new Map<string, Concept>();
  const ndc = new Map<string, string>();
  const put = (c: Concept) => {
    if (!concepts.has(c.rxcui)) concepts.set(c.rxcui, c);
  };
  const isLocal = (df: string | undefined) => df !== undefined && LOCAL_FORM.test(df);

  for (const [rxcui, name, tty] of drugs.ingredients) put({ rxcui, name, tty, ingredients: [rxcui], local: false });
  for (const [rxcui, name] of raw.generated?.extraIngredients ?? [])
    put({ rxcui, name, tty: 'IN', ingredients: [rxcui], local: false });
  for (const [rxcui, name, inRx] of drugs.preciseIngredients)
    put({ rxcui, name, tty: 'PIN', ingredients: [inRx], local: false });
  for (const [rxcui, name, ins] of drugs.multipleIngredients)
    put({ rxcui, name, tty: 'MIN', ingredients: ins, local: false });
  for (const [rxcui, name, inRx] of drugs.clinicalDrugComponents)
    put({ rxcui, name, tty: 'SCDC', ingredients: [inRx], local: false });
  const brands = new Map(drugs.brands);
  for (const [rxcui, name] of drugs.brands) put({ rxcui, name, tty: 'BN', ingredients: [], brand: name, local: false });

  for (const row of drugs.clinicalDrugs) {
    const [rxcui, name, ins, dfIdx, ndcs, unmapped] = row as [
      string,
      string,
      string[],
      number,
      string[],
      string[] | undefined,
    ];
    const doseForm = dfIdx >= 0 ? drugs.doseForms[dfIdx] : undefined;
    concepts.set(rxcui, {
      rxcui,
      name,
      tty: 'SCD',
      ingredients: ins,
      ...(doseForm ? { doseForm } : {}),
      ...(unmapped ? { unmapped } : {}),
      local: isLocal(doseForm),
    });
    for (const n of ndcs) ndc.set(n, rxcui);
  }
  const brandIngredients = new Map<string, Set<string>>();
  for (const [rxcui, scd, bn, ndcs] of drugs.brandedDrugs) {
    const base = concepts.get(scd);
    const brand = brands.get(bn);
    if (!base || !brand) {
      problems.push(`SBD ${rxcui}: unknown SCD ${scd} or brand ${bn}`);
      continue;
    }
    concepts.set(rxcui, { ...base, rxcui, tty: 'SBD', name: `${base.name} [${brand}]`, brand });
    for (const n of ndcs) ndc.set(n, rxcui);
    const set = brandIngredients.get(bn) ?? new Set<string>();
    base.ingredients.forEach((i) => set.add(i));
    brandIngredients.set(bn, set);
  }
  for (const row of drugs.packs) {
    const [rxcui, tty, name, ins, scds, ndcs, unmapped] = row as [
      string,
      TermType,
      string,
      string[],
      string[],
      string[],
      string[] | undefined,
    ];
    const brand = /\[([^\]]+)\]$/.exec(name)?.[1];
    const local = scds.length > 0 && scds.every((s) => concepts.get(s)?.local === true);
    concepts.set(rxcui, {
      rxcui,
      name,
      tty,
      ingredients: ins,
      doseForm: 'Pack',
      ...(brand && tty === 'BPCK' ? { brand } : {}),
      ...(unmapped ? { unmapped } : {}),
      local,
    });
    for (const n of ndcs) ndc.set(n, rxcui);
  }
  for (const [rxcui, tty, name, ins, scd, , brand] of drugs.supplementProducts) {
    const base = scd ? concepts.get(scd) : undefined;
    concepts.set(rxcui, {
      rxcui,
      name,
      tty,
      ingredients: ins,
      ...(base?.doseForm ? { doseForm: base.doseForm } : tty !== 'SBD' ? { doseForm: 'Pack' } : {}),
      ...(brand ? { brand } : {}),
      local: base?.local ?? false,
    });
  }
  // Brand names resolve to the union of their products' ingredients.
  for (const [bn, set] of brandIngredients) {
    const c = concepts.get(bn);
    if (c?.tty === 'BN') concepts.set(bn, { ...c, ingredients: [...set].sort() });
  }

  // ---- classes and ingredients -------------------------------------------------------------------------
  const classes = new Map<string, DrugClass>();
  for (const [id, c] of Object.entries(raw.classes.classes)) classes.set(id, { id, ...c });
  const familyOf = new Map<string, string[]>();
  for (const [id, c] of Object.entries(raw.generated?.classes ?? {})) {
    if (classes.has(id)) problems.push(`generated class ${id} clashes with a curated class`);
    classes.set(id, { id, ...c });
  }
  for (const [id, members] of Object.entries(raw.generated?.members ?? {})) {
    if (!classes.has(id)) problems.push(`generated members of unknown class ${id}`);
    for (const rx of members) familyOf.set(rx, [...(familyOf.get(rx) ?? []), id]);
  }
  const allergyClasses = new Map<string, AllergyClass>(raw.allergyClasses.classes.map((c) => [c.id, c]));
  const allergyOf = new Map<string, string[]>();
  for (const c of allergyClasses.values())
    for (const m of c.members) {
      if (!concepts.has(m.rxcui)) problems.push(`allergy class ${c.id}: unknown ingredient ${m.rxcui} ${m.name}`);
      allergyOf.set(m.rxcui, [...(allergyOf.get(m.rxcui) ?? []), c.id]);
    }
  for (const c of allergyClasses.values())
    for (const x of c.crossSensitivity ?? [])
      if (!allergyClasses.has(x.classId)) problems.push(`allergy class ${c.id}: unknown cross class ${x.classId}`);

  const curated = new Map(raw.classes.ingredients.map((e) => [e.rxcui, e]));
  for (const e of raw.classes.ingredients) {
    if (!concepts.has(e.rxcui)) problems.push(`classes.json: unknown ingredient ${e.rxcui} ${e.name}`);
    for (const c of e.classes) if (!classes.has(c)) problems.push(`classes.json: ${e.name} has unknown class ${c}`);
  }
  const ingredients = new Map<string, IngredientInfo>();
  for (const c of concepts.values()) {
    if (c.tty !== 'IN' && !(c.tty === 'PIN' && c.ingredients[0] === c.rxcui)) continue;
    const e = curated.get(c.rxcui);
    const cls = [...(e?.classes ?? []), ...(familyOf.get(c.rxcui) ?? [])];
    ingredients.set(c.rxcui, {
      rxcui: c.rxcui,
      name: c.name,
      classes: cls,
      ...(e?.deaSchedule ? { deaSchedule: e.deaSchedule } : {}),
      ...(e?.combinationSchedule ? { combinationSchedule: e.combinationSchedule } : {}),
      keys: [`i:${c.rxcui}`, ...cls.map((k) => `c:${k}`)],
      allergyClasses: allergyOf.get(c.rxcui) ?? [],
    });
  }

  for (const rx of familyOf.keys())
    if (!ingredients.has(rx)) problems.push(`generated members: unknown ingredient ${rx}`);

  // ---- interaction rules -----------------------------------------------------------------------------------
  const rules = [...raw.interactions.rules, ...(raw.generated?.rules ?? [])];
  const rulesById = new Map<string, InteractionRule>();
  const rulesByKey = new Map<string, { rule: InteractionRule; side: 'a' | 'b'; other: ReadonlySet<string> }[]>();
  const rulesByPair = new Map<string, PairMatch[]>();
  const add = <V>(m: Map<string, V[]>, k: string, v: V) => {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
  };
  const keysOf = (s: InteractionRule['a'], id: string): Set<string> => {
    const keys = new Set<string>();
    for (const c of s.classes ?? []) {
      if (!classes.has(c)) problems.push(`rule ${id}: unknown class ${c}`);
      keys.add(`c:${c}`);
    }
    for (const i of s.ingredients ?? []) {
      if (!ingredients.has(i.rxcui)) problems.push(`rule ${id}: unknown ingredient ${i.rxcui} ${i.name}`);
      keys.add(`i:${i.rxcui}`);
    }
    if (keys.size === 0) problems.push(`rule ${id}: empty side`);
    return keys;
  };
  for (const rule of rules) {
    if (rulesById.has(rule.id)) problems.push(`duplicate rule id ${rule.id}`);
    rulesById.set(rule.id, rule);
    const a = keysOf(rule.a, rule.id);
    const b = keysOf(rule.b, rule.id);
    // Ingredient-only rules (thousands, from NDF-RT and labels) are looked up by pair, so a check touches only the
    // rules of the pair at hand instead of every rule naming one of the two ingredients.
    if (!rule.a.classes?.length && !rule.b.classes?.length) {
      for (const x of rule.a.ingredients ?? [])
        for (const y of rule.b.ingredients ?? []) {
          if (x.rxcui === y.rxcui) continue;
          add(rulesByPair, `${x.rxcui}|${y.rxcui}`, { rule, firstIsA: true });
          add(rulesByPair, `${y.rxcui}|${x.rxcui}`, { rule, firstIsA: false });
        }
      continue;
    }
    for (const k of a) add(rulesByKey, k, { rule, side: 'a', other: b });
    for (const k of b) add(rulesByKey, k, { rule, side: 'b', other: a });
  }
  for (const rule of rules)
    for (const s of rule.supersedes ?? [])
      if (!rulesById.has(s)) problems.push(`rule ${rule.id}: supersedes unknown ${s}`);
  const patientRules = raw.patientRules?.rules ?? [];
  for (const r of patientRules) keysOf(r.drugs, r.id);

  // ---- allergens ----------------------------------------------------------------------------------------
  const snomedAllergens = new Map<string, AllergenProfile>();
  const textAllergens = new Map<string, AllergenProfile>();
  for (const c of allergyClasses.values()) {
    const profile: AllergenProfile = { ingredients: new Set(), classes: new Set([c.id]), label: c.name };
    for (const s of c.snomed ?? []) snomedAllergens.set(s.code, profile);
    for (const t of [c.name, ...c.synonyms]) textAllergens.set(normaliseText(t), profile);
  }
  for (const s of raw.allergyClasses.snomedIngredients) {
    if (!ingredients.has(s.ingredient.rxcui))
      problems.push(`snomedIngredients ${s.code}: unknown ingredient ${s.ingredient.rxcui}`);
    snomedAllergens.set(s.code, {
      ingredients: new Set([s.ingredient.rxcui]),
      classes: new Set(),
      label: s.ingredient.name,
    });
  }
  for (const i of ingredients.values()) {
    const key = normaliseText(i.name);
    if (!textAllergens.has(key))
      textAllergens.set(key, { ingredients: new Set([i.rxcui]), classes: new Set(), label: i.name });
  }
  for (const [bn, set] of brandIngredients) {
    const name = brands.get(bn)!;
    const key = normaliseText(name);
    if (!textAllergens.has(key)) textAllergens.set(key, { ingredients: set, classes: new Set(), label: name });
  }

  if (problems.length) throw new KnowledgeBaseError(`drug KB is inconsistent:\n${problems.slice(0, 50).join('\n')}`);

  return {
    meta: drugs.meta,
    concepts,
    ndc,
    ingredients,
    classes,
    rules,
    rulesById,
    rulesByKey,
    rulesByPair,
    patientRules,
    allergyClasses,
    snomedAllergens,
    snomedNoKnownAllergy: new Set(raw.allergyClasses.snomedNoKnownAllergy.map((s) => s.code)),
    snomedNonSpecific: new Set(raw.allergyClasses.snomedNonSpecificDrugAllergy.map((s) => s.code)),
    textAllergens,
    search: buildSearchIndex(concepts.values()),
    pairCache: new Map(),
  };
}

export function normaliseText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
