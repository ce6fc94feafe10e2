/**
 * Ingredient-name resolution shared by the rule build and the recall report: NDF-RT / label spellings to RxNorm
 * ingredients of the drug table (IN, or PIN -> IN), then ndfrt-rxnorm-mapping.csv, after normalising case, `_`,
 * salts and forms, and the spellings of knowledge/ndfrt-aliases.json. Ingredients RxNorm knows but the table lacks
 * are returned by RxCUI and collected in `extra`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Ref {
  rxcui: string;
  name: string;
}
export type Resolved =
  | { kind: 'ingredient'; ref: Ref; via: string }
  | { kind: 'family'; id: string; via: string }
  | { kind: 'unresolved'; why: string };

const SALTS = [
  'hydrochloride',
  'hcl',
  'sodium',
  'potassium',
  'calcium',
  'acetate',
  'maleate',
  'mesylate',
  'besylate',
  'tartrate',
  'succinate',
  'citrate',
  'sulfate',
  'bromide',
  'iodide',
  'triethiodide',
  'patch',
  'fumarate',
  'phosphate',
  'hydrobromide',
  'disodium',
  'magnesium',
  'medoxomil',
  'recombinant',
  'dipropionate',
  'propionate',
  'hyclate',
  'monohydrate',
  'decanoate',
  'nitrate',
  'lactate',
  'gluconate',
  'pamoate',
  'estolate',
  'ethylsuccinate',
  'stearate',
  'lactobionate',
  'napsylate',
  'dihydrochloride',
  'tromethamine',
  'bitartrate',
  'chloride',
  'mesilate',
  'besilate',
];

export const normalise = (s: string) => s.toLowerCase().replace(/_/g, ' ').replace(/\s+/g, ' ').trim();

export function createResolver(kbDir: string, ndfrtDir: string, knowledgeDir: string = join(__dirname, 'knowledge')) {
  const readJson = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;
  const table = readJson<{
    ingredients: [string, string, string, number][];
    preciseIngredients: [string, string, string][];
  }>(join(kbDir, 'rxnorm-drugs.json'));
  const inByName = new Map<string, Ref>();
  for (const [rxcui, name] of table.ingredients) inByName.set(name.toLowerCase(), { rxcui, name: name.toLowerCase() });
  const tableIn = new Map([...inByName.values()].map((r) => [r.rxcui, r]));
  const pinByName = new Map<string, string>();
  const pinIn = new Map<string, string>();
  for (const [pin, name, inRx] of table.preciseIngredients) {
    pinByName.set(name.toLowerCase(), inRx);
    pinIn.set(pin, inRx);
  }

  // NDF-RT spelling and "[Chemical/Ingredient]" name -> RxCUI (and the RxCUI's chemical name); VA products skipped.
  const csvByName = new Map<string, string>();
  const chemName = new Map<string, string>();
  for (const line of readFileSync(join(ndfrtDir, 'ndfrt-rxnorm-mapping.csv'), 'utf8').split('\n').slice(1)) {
    const [rxcui, , raw] = line.split(';');
    if (!rxcui || !raw) continue;
    if (/\[VA Product\]|^\[/.test(raw)) continue;
    const chem = /^(.*) \[Chemical\/Ingredient\]$/.exec(raw.trim());
    const name = (chem ? chem[1]! : raw).trim().toLowerCase();
    if (!csvByName.has(name)) csvByName.set(name, rxcui);
    if (chem && !chemName.has(rxcui)) chemName.set(rxcui, name);
  }
  const aliases = readJson<{ aliases: Record<string, string> }>(join(knowledgeDir, 'ndfrt-aliases.json')).aliases;
  const extra = new Map<string, { name: string; source: string }>();

  function fromTable(n: string): Ref | undefined {
    const direct = inByName.get(n);
    if (direct) return direct;
    const pin = pinByName.get(n);
    return pin ? tableIn.get(pin) : undefined;
  }

  function resolveName(raw: string): Resolved {
    const n0 = normalise(raw);
    const alias = aliases[n0];
    if (alias?.startsWith('family:')) return { kind: 'family', id: alias.slice(7), via: 'alias' };
    const n = alias ?? n0;
    const t = fromTable(n);
    if (t) return { kind: 'ingredient', ref: t, via: alias ? 'alias' : 'table' };
    // Salts and forms: drop trailing salt words one at a time.
    const words = n.split(' ');
    for (let k = words.length - 1; k >= 1; k--) {
      if (!SALTS.includes(words[k]!)) break;
      const t2 = fromTable(words.slice(0, k).join(' '));
      if (t2) return { kind: 'ingredient', ref: t2, via: 'salt' };
    }
    const rx = csvByName.get(n) ?? csvByName.get(n0);
    if (rx) {
      const inTable = tableIn.get(rx) ?? (pinIn.has(rx) ? tableIn.get(pinIn.get(rx)!) : undefined);
      if (inTable) return { kind: 'ingredient', ref: inTable, via: 'ndfrt-rxnorm-mapping' };
      const name = chemName.get(rx) ?? n;
      // Salt-form concepts of an ingredient the table knows map to that ingredient, not beside it.
      const base = fromTable(name);
      if (base) return { kind: 'ingredient', ref: base, via: 'ndfrt-rxnorm-mapping' };
      if (!extra.has(rx))
        extra.set(rx, {
          name,
          source: `RxNorm RxCUI ${rx} via NDF-RT/RxNorm mapping (not in the prescribable extract)`,
        });
      return { kind: 'ingredient', ref: { rxcui: rx, name: extra.get(rx)!.name }, via: 'rxnorm-extra' };
    }
    return { kind: 'unresolved', why: `no RxNorm ingredient for "${n}"` };
  }

  return { resolveName, extra };
}

export interface NdfRow {
  line: number;
  object: string;
  precipitant: string;
  severity: 'Critical' | 'Significant';
  label: string;
  uri: string;
}

export function readNdfrtRows(ndfrtDir: string): NdfRow[] {
  return readFileSync(join(ndfrtDir, 'ndf-rt-interactions.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l, i) => {
      const [object, precipitant, severity, label, uri] = l.split('\t');
      return {
        line: i + 2,
        object: object!,
        precipitant: precipitant!,
        severity: severity as NdfRow['severity'],
        label: label!,
        uri: uri!,
      };
    });
}
