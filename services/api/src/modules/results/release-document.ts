import type { ReleaseView } from '../fhir-gate/resource-check';

const LIST_EMPTY_REASON = 'http://terminology.hl7.org/CodeSystem/list-empty-reason';
const XHTML = 'http://www.w3.org/1999/xhtml';

const keyOf = (r: fhir4.FhirResource | undefined) => (r?.id ? `${r.resourceType}/${r.id}` : undefined);
/** `DiagnosticReport/1`, `http://x/fhir/DiagnosticReport/1/_history/2` → `DiagnosticReport/1`. */
const keyOfReference = (ref: string | undefined) =>
  ref ? /(?:^|\/)((?:DiagnosticReport|Observation)\/[^/]+)(?:\/_history\/[^/]+)?$/.exec(ref)?.[1] : undefined;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A row per kept result when the generated table cannot be trimmed row by row (a row without an id). */
function plainNarrative(title: string, kept: readonly fhir4.FhirResource[]): string {
  const rows = kept.map((r) => {
    const x = r as { code?: fhir4.CodeableConcept; valueQuantity?: fhir4.Quantity; effectiveDateTime?: string };
    const name = x.code?.text ?? x.code?.coding?.[0]?.display ?? x.code?.coding?.[0]?.code ?? r.resourceType;
    const value = x.valueQuantity ? `${x.valueQuantity.value ?? ''} ${x.valueQuantity.unit ?? ''}`.trim() : '';
    return `<tr><td>${esc(name)}</td><td>${esc(value)}</td><td>${esc(x.effectiveDateTime ?? '')}</td></tr>`;
  });
  return `<div xmlns="${XHTML}"><h5>${esc(title)}</h5><table><thead><tr><th>Test</th><th>Result</th><th>Date</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/**
 * An International Patient Summary (HAPI's Patient/$summary reads everything HAPI holds) as the patient may see it:
 * results that are held or not final are removed from the bundle, from the Composition's section entries, and from the
 * section narratives (the generated tables carry one row per resource, with its id); a section left without results
 * says so with the list-empty-reason "withheld". Pure: the release view comes from the results module.
 */
export function releasedDocument(doc: fhir4.Bundle, view: ReleaseView): { bundle: fhir4.Bundle; withheld: number } {
  const resources = (doc.entry ?? []).map((e) => e.resource).filter((r): r is fhir4.FhirResource => !!r);
  const observations = resources.filter((r): r is fhir4.Observation => r.resourceType === 'Observation');
  const keptObservations = new Set(view.observations(observations).map((o) => o.id));
  const drop = new Set<string>();
  for (const r of resources) {
    if (r.resourceType === 'DiagnosticReport' && !view.report(r)) drop.add(keyOf(r)!);
    if (r.resourceType === 'Observation' && !keptObservations.has(r.id)) drop.add(keyOf(r)!);
  }
  if (!drop.size) return { bundle: doc, withheld: 0 };

  const kept = (doc.entry ?? []).filter((e) => !drop.has(keyOf(e.resource) ?? ''));
  const byKey = new Map(kept.map((e) => [keyOf(e.resource), e.resource!]));
  const entry = kept.map((e) => {
    if (e.resource?.resourceType !== 'Composition') return e;
    const section = (e.resource.section ?? []).map((s) => {
      const refs = s.entry ?? [];
      const left = refs.filter((ref) => !drop.has(keyOfReference(ref.reference) ?? ''));
      if (left.length === refs.length) return s;
      const title = s.title ?? 'Results';
      if (!left.length)
        return {
          ...s,
          entry: undefined,
          emptyReason: { coding: [{ system: LIST_EMPTY_REASON, code: 'withheld', display: 'Information Withheld' }] },
          text: { status: 'generated' as const, div: `<div xmlns="${XHTML}"><p>No results released yet.</p></div>` },
        };
      const div = s.text?.div ?? '';
      let unidentified = false;
      const trimmed = div.replace(/<tr(\s[^>]*)?>[\s\S]*?<\/tr>/g, (row, attrs: string | undefined) => {
        if (/<th[\s>]/.test(row)) return row;
        const id = /\sid="([^"]*)"/.exec(attrs ?? '')?.[1];
        if (!id) {
          unidentified = true;
          return row;
        }
        return drop.has(keyOfReference(id.replace(/^[A-Za-z]+-/, '')) ?? '') ? '' : row;
      });
      const keptResources = left.map((ref) => byKey.get(keyOfReference(ref.reference))).filter((r) => !!r);
      return {
        ...s,
        entry: left,
        text: { status: 'generated' as const, div: unidentified ? plainNarrative(title, keptResources) : trimmed },
      };
    });
    return { ...e, resource: { ...e.resource, section } };
  });
  return { bundle: { ...doc, entry }, withheld: drop.size };
}
