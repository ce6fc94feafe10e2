import type { NetworkHistoryItem, ReconciliationLine, ReconciliationStatus } from '@wintehr/contracts';
import { RXNORM } from '@wintehr/contracts';
import { resolveIngredients, searchDrugs, type DrugKnowledgeBase, type NamedCode } from '../drug-safety';

/**
 * Medication reconciliation (pure): active orders, outside dispensing history and the patient's own list, lined up
 * by RxNorm ingredient. Each entry is identified through the drug KB (its RxNorm or NDC code, else its name by drug
 * search), so a salt ("metoprolol tartrate 25 MG") and a brand ("Lopressor") meet on the ingredient metoprolol.
 * Strength is compared where both sides state one: same ingredient, other strength = dose differs.
 */

const NDC = 'http://hl7.org/fhir/sid/ndc';
const STRENGTH = /(\d+(?:\.\d+)?)\s*(mg|mcg|ug|g|ml|meq|unt|units?|%)(?:\/(?:ml|actuat|hr))?\b/gi;

export interface Identified {
  key: string;
  ingredients: NamedCode[];
  /** Normalised strengths ("25 mg"), empty when the name states none (a brand name alone). */
  strengths: string[];
  unidentified: boolean;
}

interface Coded {
  system?: string;
  code?: string;
}

export function strengthsOf(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(STRENGTH)) {
    const unit = m[2]!.toLowerCase().replace(/^units?$/, 'unt');
    // Mass to mg, so "0.05 MG" and "50 mcg" are the same strength.
    const factor = unit === 'mcg' || unit === 'ug' ? 0.001 : unit === 'g' ? 1000 : 1;
    const value = Math.round(Number(m[1]) * factor * 1e6) / 1e6;
    out.add(`${value} ${factor === 1 ? unit : 'mg'}`);
  }
  return [...out].sort();
}

/** Identify a drug by its codes, else by its name; unidentifiable drugs get a name key so equal names still meet. */
export function identify(kb: DrugKnowledgeBase, codes: readonly Coded[], text: string): Identified {
  for (const c of [...codes].sort((a, b) => Number(a.system === NDC) - Number(b.system === NDC))) {
    const r = resolveIngredients(kb, c.code, c.system);
    if (r.status === 'resolved' && r.ingredients.length)
      return fromIngredients(r.ingredients, strengthsOf(r.concept.name).concat(strengthsOf(text)));
  }
  // Search by the words that name the drug only: strength and form words would pull in other products
  // ("Lopressor 25 mg" also matches "Lopressor HCT 25 MG / 50 MG"); a partial name is no match ("Vitamin Zed" is
  // not "vitamin A").
  const nameWords = text.trim().split(/\s+/).filter(isNameWord).slice(0, 6);
  if (nameWords.length) {
    const hit = searchDrugs(kb, nameWords.join(' '), 1)[0];
    if (hit?.ingredients.length) return fromIngredients(hit.ingredients, strengthsOf(text));
  }
  const name = text.trim().toLowerCase().replace(/\s+/g, ' ');
  return { key: `text:${name}`, ingredients: [], strengths: strengthsOf(text), unidentified: true };
}

/** Words of a dose, form or sig ("25", "mg", "tablets", "daily"), as opposed to words that name the drug. */
const NOT_A_NAME = new Set(
  (
    'mg mcg ug g ml meq unit units tab tabs tablet tablets cap caps capsule capsules oral by mouth po take takes ' +
    'daily once twice three times a an day days per every morning evening night bedtime as needed prn with food ' +
    'drop drops puff puffs inhaler spray cream ointment patch solution suspension er xr sr dr extended release'
  ).split(' '),
);
const isNameWord = (w: string) => /[a-z]/i.test(w) && !NOT_A_NAME.has(w.toLowerCase()) && !/^\d/.test(w);

function fromIngredients(ingredients: readonly NamedCode[], strengths: string[]): Identified {
  const sorted = [...new Map(ingredients.map((i) => [i.rxcui, i])).values()].sort((a, b) =>
    a.rxcui.localeCompare(b.rxcui),
  );
  return {
    key: sorted.map((i) => i.rxcui).join('+'),
    ingredients: sorted,
    strengths: [...new Set(strengths)].sort(),
    unidentified: false,
  };
}

export interface ReconciliationSources {
  orders: readonly fhir4.MedicationRequest[];
  history: readonly NetworkHistoryItem[];
  statements: readonly fhir4.MedicationStatement[];
}

const conceptText = (cc: fhir4.CodeableConcept | undefined) =>
  cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? cc?.coding?.find((c) => c.code)?.code ?? 'Unnamed drug';
const rxOf = (cc: fhir4.CodeableConcept | undefined) => cc?.coding?.find((c) => c.system === RXNORM && c.code)?.code;

const ORDER_STATUSES = new Set(['active', 'on-hold']);
/** The patient's current list: what they say they take (not what they stopped or never took). */
const STATEMENT_STATUSES = new Set(['active', 'intended', 'on-hold', 'unknown']);

interface Slot {
  id: Identified;
  display: string;
  order?: ReconciliationLine['order'];
  orderStrengths?: string[];
  history?: ReconciliationLine['history'];
  historyStrengths?: string[];
  patientReported?: ReconciliationLine['patientReported'];
  statementStrengths?: string[];
}

/** Lines up the three sources; one line per ingredient set, orders first, then by name. */
export function reconcile(kb: DrugKnowledgeBase, s: ReconciliationSources): ReconciliationLine[] {
  const slots = new Map<string, Slot>();
  const slot = (id: Identified, display: string): Slot => {
    let x = slots.get(id.key);
    if (!x) slots.set(id.key, (x = { id, display }));
    return x;
  };

  for (const mr of s.orders) {
    if (!mr.id || !ORDER_STATUSES.has(mr.status)) continue;
    const cc = mr.medicationCodeableConcept;
    const display = conceptText(cc);
    const id = identify(kb, cc?.coding ?? [], display);
    const x = slot(id, display);
    if (x.order) continue; // the newest order of a drug stands for it (orders come newest first)
    const rx = rxOf(cc);
    const sig = mr.dosageInstruction
      ?.map((d) => d.text)
      .filter(Boolean)
      .join('; ');
    x.order = {
      medicationRequestId: mr.id,
      display,
      status: mr.status,
      ...(rx ? { rxnorm: rx } : {}),
      ...(sig ? { sig } : {}),
      ...(mr.meta?.versionId ? { versionId: mr.meta.versionId } : {}),
    };
    x.orderStrengths = doseStrengths(id.strengths, mr);
  }

  for (const h of s.history) {
    const codes: Coded[] = [
      ...(h.rxnorm ? [{ system: RXNORM, code: h.rxnorm }] : []),
      ...(h.ndc ? [{ system: NDC, code: h.ndc }] : []),
    ];
    const id = identify(kb, codes, h.description);
    const x = slot(id, h.description);
    const prev = x.history;
    if (prev && (prev.lastFillDate ?? '') >= (h.lastFillDate ?? '')) {
      prev.fills++;
      continue;
    }
    x.history = {
      display: h.description,
      fills: (prev?.fills ?? 0) + 1,
      ...(h.rxnorm ? { rxnorm: h.rxnorm } : {}),
      ...(h.ndc ? { ndc: h.ndc } : {}),
      ...(h.sig ? { sig: h.sig } : {}),
      ...(h.lastFillDate ? { lastFillDate: h.lastFillDate } : {}),
      ...(h.pharmacyName ? { pharmacyName: h.pharmacyName } : {}),
    };
    x.historyStrengths = id.strengths;
  }

  for (const ms of s.statements) {
    if (!ms.id || !STATEMENT_STATUSES.has(ms.status)) continue;
    const cc = ms.medicationCodeableConcept;
    const display = conceptText(cc);
    const dosageText = ms.dosage
      ?.map((d) => d.text)
      .filter(Boolean)
      .join('; ');
    const id = identify(kb, cc?.coding ?? [], `${display} ${dosageText ?? ''}`);
    const x = slot(id, display);
    if (x.patientReported) continue;
    const rx = rxOf(cc);
    x.patientReported = {
      medicationStatementId: ms.id,
      display,
      status: ms.status,
      ...(rx ? { rxnorm: rx } : {}),
      ...(dosageText ? { dosageText } : {}),
    };
    x.statementStrengths = id.strengths;
  }

  const lines = [...slots.values()].map((x): ReconciliationLine => ({
    key: x.id.key,
    display: x.id.ingredients.length ? x.id.ingredients.map((i) => i.name).join(' / ') : x.display,
    ingredients: x.id.ingredients,
    status: statusOf(x),
    ...(x.order ? { order: x.order } : {}),
    ...(x.history ? { history: x.history } : {}),
    ...(x.patientReported ? { patientReported: x.patientReported } : {}),
    unidentified: x.id.unidentified,
  }));
  return lines.sort((a, b) => Number(!a.order) - Number(!b.order) || a.display.localeCompare(b.display));
}

/**
 * What one dose of an order amounts to: "2 tablets" of a 25 mg product is 50 mg, "50 mg" is 50 mg. Falls back to the
 * product strength when the dose says neither (so a changed dose is seen as differing from the patient's list).
 */
function doseStrengths(product: string[], mr: fhir4.MedicationRequest): string[] {
  const dose = mr.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity;
  if (typeof dose?.value !== 'number') return product;
  const unit = (dose.code ?? dose.unit ?? '').toLowerCase();
  if (/tablet|capsule|\{tab|\{cap/.test(unit)) {
    if (product.length !== 1) return product;
    const [value, u] = product[0]!.split(' ');
    return [`${Math.round(Number(value) * dose.value * 1e6) / 1e6} ${u}`];
  }
  const stated = strengthsOf(`${dose.value} ${unit}`);
  return stated.length ? stated : product;
}

function statusOf(x: Slot): ReconciliationStatus {
  const present = [
    x.order && x.orderStrengths,
    x.history && x.historyStrengths,
    x.patientReported && x.statementStrengths,
  ].filter((v): v is string[] => v !== undefined);
  if (present.length === 1) return x.order ? 'only-ordered' : x.history ? 'only-in-history' : 'only-patient-reported';
  const stated = present.filter((v) => v.length).map((v) => v.join(','));
  return new Set(stated).size > 1 ? 'dose-differs' : 'matched';
}
