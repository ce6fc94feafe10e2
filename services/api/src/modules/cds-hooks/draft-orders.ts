/**
 * `context.draftOrders` read defensively, one order at a time. Real clients send orders whose shapes vary
 * (the cds-hooks sandbox: `category` as one object; DSTU2 `MedicationOrder`; R5 `medication` as a
 * CodeableReference). A malformed element the rules do not need to identify the order is dropped; an order whose
 * drug (or test) cannot be identified is taken out of the bundle and reported as "not checked", so a malformed order
 * is never answered with silence. The rules then read only well-formed entries.
 */
import { fhirShapeProblems } from '../drug-safety/fhir-shape';
import { medRefOf } from '../drug-safety/patient-safety-context';
import { clampSummary, source } from './cards';
import type { CardDraft } from './cds-types';
import { withRepeatingAsArrays } from './lenient-fhir';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
export const UNCHECKED_ORDER_RULE = 'unable-to-screen:draft-order';

export interface UncheckedOrder {
  /** The order as the client names it (`MedicationRequest/123`), when it has a usable id. */
  ref?: string;
  kind: 'medication' | 'service' | 'unknown';
  /** What a clinician recognises: the drug or test name when readable, else the order's position. */
  label: string;
  why: string;
}

export interface DraftOrders {
  /** The entries the rules can read. */
  bundle: fhir4.Bundle;
  unchecked: UncheckedOrder[];
  /** Our reference → the client's, where they differ (a DSTU2 MedicationOrder is read as a MedicationRequest). */
  clientRefs: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;

/** Elements that say what the order is: if one is malformed, the order cannot be checked. */
const IDENTIFYING: Readonly<Record<string, ReadonlySet<string>>> = {
  MedicationRequest: new Set(['medicationCodeableConcept', 'medicationReference']),
  Medication: new Set(['code']),
  // The category sets the duplicate window, so a malformed one would shorten it silently.
  ServiceRequest: new Set(['code', 'category']),
};

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** `value` without the member at `path` (copy on write; array elements are removed, not emptied). */
function without(value: unknown, path: readonly string[]): unknown {
  if (!path.length || !value || typeof value !== 'object') return value;
  const [k, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || i >= value.length) return value;
    if (!rest.length) return value.filter((_, j) => j !== i);
    const copy = [...value];
    copy[i] = without(value[i], rest);
    return copy;
  }
  const o = value as Json;
  if (!(k in o)) return value;
  if (!rest.length) {
    const { [k]: _dropped, ...others } = o;
    return others;
  }
  return { ...o, [k]: without(o[k], rest) };
}

/**
 * The part of a malformed element that can go without changing what the order is: a label (`display`, `text`), one
 * junk entry of a list of codings or of contained resources, or a whole element the rules do not use to identify it.
 * Undefined when the malformed part is what identifies the order.
 */
function droppable(path: readonly string[], identifying: ReadonlySet<string>): readonly string[] | undefined {
  const last = path[path.length - 1]!;
  if (last === 'display' || last === 'text') return path;
  if (path[0] === 'contained' && /^\d+$/.test(path[1] ?? '')) return path.slice(0, 2);
  const coding = path.indexOf('coding');
  if (coding >= 0 && /^\d+$/.test(path[coding + 1] ?? '')) return path.slice(0, coding + 2);
  return identifying.has(path[0]!) ? undefined : path.slice(0, 1);
}

interface Cleaned {
  resource: Json;
  /** Identifying elements that are malformed. */
  broken: string[];
  /** Junk removed from inside identifying elements (a coding that was not a Coding, ...). */
  dropped: string[];
}

/** Drops what is malformed and harmless; reports what identifies the order and is malformed or was trimmed. */
function clean(resource: Json): Cleaned {
  let r = resource;
  if ('id' in r && (typeof r.id !== 'string' || !FHIR_ID.test(r.id))) r = without(r, ['id']) as Json;
  const identifying = IDENTIFYING[String(r.resourceType)] ?? new Set<string>();
  const dropped: string[] = [];
  // Each round removes one member, so this ends; the bound only guards against a pathological resource.
  for (let round = 0; round < 50; round++) {
    const problems = fhirShapeProblems(r, 'r').map((p) => p.field.split('.').slice(1));
    if (!problems.length) return { resource: r, broken: [], dropped };
    const drop = problems.map((p) => droppable(p, identifying)).find((d) => d !== undefined);
    if (!drop) return { resource: r, broken: [...new Set(problems.map((p) => p.join('.')))], dropped };
    const last = drop[drop.length - 1];
    if ((identifying.has(drop[0]!) || drop[0] === 'contained') && last !== 'display' && last !== 'text')
      dropped.push(drop.join('.'));
    r = without(r, drop) as Json;
  }
  return { resource: r, broken: ['(too many malformed elements)'], dropped };
}

/** DSTU2 MedicationOrder and R5 `medication` (CodeableReference) in the R4 shape the rules read. */
function asR4(r: Json): Json {
  let out = r;
  if (out.resourceType === 'MedicationOrder') {
    const { patient, ...rest } = out;
    out = {
      ...rest,
      resourceType: 'MedicationRequest',
      ...(rest.subject === undefined && patient !== undefined ? { subject: patient } : {}),
    };
  }
  if (
    out.resourceType === 'MedicationRequest' &&
    isObject(out.medication) &&
    out.medicationCodeableConcept === undefined &&
    out.medicationReference === undefined
  ) {
    const { medication, ...rest } = out;
    out = {
      ...rest,
      ...(medication.concept !== undefined ? { medicationCodeableConcept: medication.concept } : {}),
      ...(medication.reference !== undefined ? { medicationReference: medication.reference } : {}),
    };
  }
  return out;
}

function medicationLabel(r: Json): string | undefined {
  const cc = isObject(r.medicationCodeableConcept)
    ? r.medicationCodeableConcept
    : isObject(r.medication) && isObject(r.medication.concept)
      ? r.medication.concept
      : undefined;
  const codings = Array.isArray(cc?.coding) ? cc.coding : isObject(cc?.coding) ? [cc.coding] : [];
  const fromCoding = codings.map((c) => (isObject(c) ? str(c.display) : undefined)).find(Boolean);
  const ref = isObject(r.medicationReference) ? r.medicationReference : undefined;
  return str(cc?.text) ?? fromCoding ?? str(ref?.display);
}

function serviceLabel(r: Json): string | undefined {
  const cc = isObject(r.code) ? r.code : undefined;
  const codings = Array.isArray(cc?.coding) ? cc.coding : [];
  return str(cc?.text) ?? codings.map((c) => (isObject(c) ? str(c.display) : undefined)).find(Boolean);
}

function whyUnidentified(r: fhir4.MedicationRequest, dropped: readonly string[]): string {
  if (dropped.length)
    return `${dropped.length > 1 ? 'these elements are' : 'this element is'} not valid FHIR and nothing else identifies the drug: ${dropped.join(', ')}`;
  if (!r.medicationCodeableConcept && !r.medicationReference)
    return 'it names no medication (no medicationCodeableConcept or medicationReference)';
  if (!r.medicationCodeableConcept && r.medicationReference) {
    return `its medicationReference (${r.medicationReference.reference ?? 'no reference'}) does not lead to a coded Medication contained in the order or included in draftOrders`;
  }
  return 'its medication carries no code';
}

const notValid = (broken: readonly string[]) =>
  `${broken.length > 1 ? 'these elements are' : 'this element is'} not valid FHIR: ${broken.join(', ')}`;

/**
 * Reads a draftOrders Bundle. With `selections` (order-select), an unchecked order is reported only when it is
 * selected or has no id (it might be the selected one), and a selection that names no readable order is reported too.
 */
export function readDraftOrders(draftOrders: Json, selections?: readonly string[]): DraftOrders {
  const bundle = withRepeatingAsArrays(draftOrders);
  const entries: unknown[] = Array.isArray(bundle.entry) ? bundle.entry : [];
  const unchecked: UncheckedOrder[] = [];
  const clientRefs = new Map<string, string>();
  const kept: { resource: Json; label?: string; clientRef?: string; dropped: string[] }[] = [];

  entries.forEach((entry, n) => {
    const raw = isObject(entry) ? entry.resource : undefined;
    if (!isObject(raw) || typeof raw.resourceType !== 'string') {
      unchecked.push({
        kind: 'unknown',
        label: `draft order ${n + 1}`,
        why: 'the Bundle entry holds no FHIR resource',
      });
      return;
    }
    const r4 = asR4(raw);
    const { resource, broken, dropped } = clean(r4);
    const id = typeof resource.id === 'string' ? resource.id : undefined;
    const clientRef = id ? `${String(raw.resourceType)}/${id}` : undefined;
    if (id && raw.resourceType !== resource.resourceType)
      clientRefs.set(`${String(resource.resourceType)}/${id}`, clientRef!);
    if (resource.resourceType === 'MedicationRequest' || resource.resourceType === 'ServiceRequest') {
      const label =
        (resource.resourceType === 'MedicationRequest' ? medicationLabel(r4) : serviceLabel(r4)) ??
        clientRef ??
        `draft order ${n + 1}`;
      // A trimmed ServiceRequest code or category could hide a duplicate (a shorter window, a code not compared).
      const unusable = broken.length ? broken : resource.resourceType === 'ServiceRequest' ? dropped : [];
      if (unusable.length) {
        unchecked.push({
          ...(clientRef ? { ref: clientRef } : {}),
          kind: resource.resourceType === 'MedicationRequest' ? 'medication' : 'service',
          label,
          why: notValid(unusable),
        });
        return;
      }
      kept.push({ resource, label, dropped, ...(clientRef ? { clientRef } : {}) });
      return;
    }
    // A Medication whose code is malformed is left out: the orders that reference it are then reported.
    if (!broken.length) kept.push({ resource, dropped, ...(clientRef ? { clientRef } : {}) });
  });

  const medications = new Map<string, fhir4.Medication>();
  for (const { resource } of kept) {
    if (resource.resourceType === 'Medication' && typeof resource.id === 'string')
      medications.set(`Medication/${resource.id}`, resource as unknown as fhir4.Medication);
  }
  const readable = kept.filter(({ resource, label, clientRef, dropped }) => {
    if (resource.resourceType === 'ServiceRequest') {
      // Duplicates are found by code: an order without one would pass unchecked.
      if ((resource as unknown as fhir4.ServiceRequest).code?.coding?.some((c) => c.code)) return true;
      unchecked.push({
        ...(clientRef ? { ref: clientRef } : {}),
        kind: 'service',
        label: label!,
        why: 'its code carries no coded test (code.coding with a code)',
      });
      return false;
    }
    if (resource.resourceType !== 'MedicationRequest') return true;
    const mr = resource as unknown as fhir4.MedicationRequest;
    if ((medRefOf(mr, medications).codings ?? []).some((c) => c.code)) return true;
    unchecked.push({
      ...(clientRef ? { ref: clientRef } : {}),
      kind: 'medication',
      label: label!,
      why: whyUnidentified(mr, dropped),
    });
    return false;
  });

  let reported = unchecked;
  if (selections) {
    const selected = new Set(selections);
    const known = new Set<string | undefined>([...readable.map((o) => o.clientRef), ...unchecked.map((u) => u.ref)]);
    reported = [
      ...unchecked.filter((u) => !u.ref || selected.has(u.ref)),
      // An order whose id was malformed (and dropped) cannot be matched to its selection: it was not screened.
      ...[...selected]
        .filter((ref) => !known.has(ref))
        .map((ref): UncheckedOrder => ({
          ref,
          kind: 'unknown',
          label: ref,
          why: 'the selection names no order in draftOrders with this id',
        })),
    ];
  }
  const { entry: _entries, ...rest } = bundle;
  return {
    bundle: {
      ...(rest as unknown as fhir4.Bundle),
      entry: readable.map(({ resource }) => ({ resource: resource as unknown as fhir4.FhirResource })),
    },
    unchecked: reported,
    clientRefs,
  };
}

const md = (s: string) => s.replace(/([\\`*_[\]<>#])/g, '\\$1');

/** One warning card per order that could not be checked: the clinician must see that it was not screened. */
export function uncheckedOrderCards(orders: readonly UncheckedOrder[]): CardDraft[] {
  return orders.map((u) => {
    const service = u.kind === 'service';
    return {
      ruleId: UNCHECKED_ORDER_RULE,
      indicator: 'warning',
      summary: clampSummary(
        `Not checked: ${u.label} — the ${service ? 'ordered test' : u.kind === 'medication' ? 'drug' : 'order'} could not be identified`,
      ),
      detail:
        `The draft order **${md(u.label)}**${u.ref ? ` (${md(u.ref)})` : ''} could not be read: ${md(u.why)}.\n\n` +
        (service
          ? '**It was NOT checked for duplicate orders.** Review it manually, or correct the order and check again.'
          : '**Interactions, allergies and duplicate therapy involving it were NOT checked.** Review it manually, or correct the order and check again.'),
      source: source(UNCHECKED_ORDER_RULE, 'Draft order not checked'),
    };
  });
}

/** Card actions name orders as the client does (a DSTU2 MedicationOrder stays a MedicationOrder). */
export function withClientRefs(cards: readonly CardDraft[], clientRefs: ReadonlyMap<string, string>): CardDraft[] {
  if (!clientRefs.size) return [...cards];
  return cards.map((c) =>
    c.suggestions
      ? {
          ...c,
          suggestions: c.suggestions.map((s) =>
            s.actions
              ? {
                  ...s,
                  actions: s.actions.map((a) =>
                    a.resourceId && clientRefs.has(a.resourceId)
                      ? { ...a, resourceId: clientRefs.get(a.resourceId)! }
                      : a,
                  ),
                }
              : s,
          ),
        }
      : c,
  );
}
