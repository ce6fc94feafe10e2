/**
 * Prefetch for the web app's CDS calls. The browser holds a business-API token, not a SMART token, so it cannot
 * hand the CDS service a fhirServer + fhirAuthorization it could read the chart with; instead it fulfils the
 * service's prefetch templates itself from the chart data the business API returns (the same HAPI resources, read
 * with the user's own access rights and audited there). This module is the pure part: it turns those resources into
 * the Bundles the templates ask for, applying each template's filters (status, code, _sort, _count). A template
 * it cannot answer exactly (an unknown resource type or search parameter) is reported, never approximated.
 */

export type Sources = Partial<{
  Patient: fhir4.Patient;
  MedicationRequest: fhir4.MedicationRequest[];
  MedicationStatement: fhir4.MedicationStatement[];
  AllergyIntolerance: fhir4.AllergyIntolerance[];
  Observation: fhir4.Observation[];
  ServiceRequest: fhir4.ServiceRequest[];
}>;
export type SourceType = keyof Sources;
const SEARCHABLE = new Set<SourceType>([
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Observation',
  'ServiceRequest',
]);

export interface ParsedTemplate {
  type: string;
  id?: string;
  params: [string, string][];
}

/** `Patient/{{context.patientId}}` or `Observation?patient={{context.patientId}}&code=…`, with the tokens filled in. */
export function parseTemplate(template: string, context: Readonly<Record<string, string>>): ParsedTemplate | undefined {
  let unresolved = false;
  const filled = template.replace(/\{\{\s*context\.([A-Za-z]+)\s*\}\}/g, (_m, k: string) => {
    const v = context[k];
    if (v === undefined) unresolved = true;
    return encodeURIComponent(v ?? '');
  });
  if (unresolved || /\{\{/.test(filled)) return undefined;
  const read = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(filled);
  if (read) return { type: read[1]!, id: read[2]!, params: [] };
  const search = /^([A-Z][A-Za-z]+)(?:\?(.*))?$/.exec(filled);
  if (!search) return undefined;
  return { type: search[1]!, params: [...new URLSearchParams(search[2] ?? '').entries()] };
}

/** Which resource types the templates need, so the caller fetches only those. */
export function neededSources(
  templates: Readonly<Record<string, string>>,
  context: Readonly<Record<string, string>>,
): Set<SourceType> {
  const out = new Set<SourceType>();
  for (const t of Object.values(templates)) {
    const p = parseTemplate(t, context);
    if (p && (p.type === 'Patient' || SEARCHABLE.has(p.type as SourceType))) out.add(p.type as SourceType);
  }
  return out;
}

const statusOf = (r: fhir4.FhirResource): string | undefined => {
  if (r.resourceType === 'AllergyIntolerance') return r.clinicalStatus?.coding?.[0]?.code;
  return (r as { status?: string }).status;
};
const codingsOf = (r: fhir4.FhirResource): fhir4.Coding[] => (r as { code?: fhir4.CodeableConcept }).code?.coding ?? [];
const patientRefOf = (r: fhir4.FhirResource): string | undefined => {
  const x = r as { subject?: fhir4.Reference; patient?: fhir4.Reference };
  return (x.subject ?? x.patient)?.reference?.replace(/^.*\/(Patient\/[^/]+)$/, '$1');
};
const dateOf = (r: fhir4.FhirResource): string => {
  const x = r as {
    effectiveDateTime?: string;
    issued?: string;
    authoredOn?: string;
    recordedDate?: string;
    meta?: fhir4.Meta;
  };
  return x.effectiveDateTime ?? x.issued ?? x.authoredOn ?? x.recordedDate ?? x.meta?.lastUpdated ?? '';
};

/** Parameters whose meaning is applied here; `_include` adds referenced Medications, which coded drafts do not use. */
const APPLIED = new Set(['patient', 'subject', 'status', 'code', '_count', '_sort', '_include', 'clinical-status']);

function tokenMatches(c: fhir4.Coding, token: string): boolean {
  const bar = token.indexOf('|');
  if (bar < 0) return c.code === token;
  const system = token.slice(0, bar);
  const code = token.slice(bar + 1);
  return (!system || c.system === system) && (!code || c.code === code);
}

/** Runs one search template over the resources of its type. undefined when a parameter cannot be applied. */
export function searchBundle(
  p: ParsedTemplate,
  resources: readonly fhir4.FhirResource[],
  patientId: string,
): fhir4.Bundle | undefined {
  if (p.params.some(([k]) => !APPLIED.has(k))) return undefined;
  let rows = resources.filter((r) => r.resourceType === p.type && patientRefOf(r) === `Patient/${patientId}`);
  for (const [k, v] of p.params) {
    const values = v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if ((k === 'patient' || k === 'subject') && v.replace(/^Patient\//, '') !== patientId) return undefined;
    if (k === 'status' || k === 'clinical-status') rows = rows.filter((r) => values.includes(statusOf(r) ?? ''));
    if (k === 'code') rows = rows.filter((r) => codingsOf(r).some((c) => values.some((t) => tokenMatches(c, t))));
  }
  const sort = p.params.find(([k]) => k === '_sort')?.[1];
  if (sort) {
    const desc = sort.startsWith('-');
    rows = [...rows].sort((a, b) => (desc ? dateOf(b).localeCompare(dateOf(a)) : dateOf(a).localeCompare(dateOf(b))));
  }
  const count = Number(p.params.find(([k]) => k === '_count')?.[1] ?? NaN);
  if (Number.isFinite(count) && count > 0) rows = rows.slice(0, count);
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: rows.length,
    entry: rows.map((resource) => ({ fullUrl: `${resource.resourceType}/${resource.id}`, resource })),
  };
}

export interface PrefetchResult {
  prefetch: Record<string, fhir4.FhirResource | null>;
  unfulfilled: string[];
}

/** Fulfils each template from `sources`; keys it cannot answer exactly are listed in `unfulfilled` and left out. */
export function fulfilPrefetch(
  templates: Readonly<Record<string, string>>,
  sources: Sources,
  patientId: string,
): PrefetchResult {
  const prefetch: Record<string, fhir4.FhirResource | null> = {};
  const unfulfilled: string[] = [];
  for (const [key, template] of Object.entries(templates)) {
    const p = parseTemplate(template, { patientId });
    if (!p) {
      unfulfilled.push(key);
      continue;
    }
    if (p.id !== undefined) {
      if (p.type === 'Patient' && p.id === patientId && sources.Patient) prefetch[key] = sources.Patient;
      else unfulfilled.push(key);
      continue;
    }
    const list = SEARCHABLE.has(p.type as SourceType)
      ? (sources[p.type as SourceType] as fhir4.FhirResource[] | undefined)
      : undefined;
    const bundle = list ? searchBundle(p, list, patientId) : undefined;
    if (bundle) prefetch[key] = bundle;
    else unfulfilled.push(key);
  }
  return { prefetch, unfulfilled };
}

/** The chart's demographics (GET /api/patients/:id answers a view, not the resource) as the Patient a template reads. */
export function patientFromView(v: {
  id: string;
  birthDate?: string;
  gender?: string;
  active?: boolean;
}): fhir4.Patient {
  const gender =
    v.gender === 'male' || v.gender === 'female' || v.gender === 'other' || v.gender === 'unknown'
      ? v.gender
      : undefined;
  return {
    resourceType: 'Patient',
    id: v.id,
    ...(v.active !== undefined ? { active: v.active } : {}),
    ...(v.birthDate ? { birthDate: v.birthDate } : {}),
    ...(gender ? { gender } : {}),
  };
}
