/**
 * Which patients' charts a request to HAPI may have changed: the input of the chart caches' invalidation. Pure.
 *
 * Every write to HAPI goes through FhirClient (the business API and the FHIR gate alike), so deciding here, once,
 * keeps a cache from depending on each module remembering to invalidate. When a write's patient cannot be told (a
 * DELETE of an Observation, a conditional update without a body we can read), the answer is "every chart": a wasted
 * cache is cheap, a stale allergy list is not.
 */

export type ChartChange = { kind: 'none' } | { kind: 'patients'; ids: string[] } | { kind: 'all' };

/**
 * Types outside the Patient compartment whose changes no cached chart view shows. Anything not listed here, and
 * not traceable to a patient, invalidates every chart.
 */
const NOT_CHART_DATA: ReadonlySet<string> = new Set([
  'Slot',
  'Schedule',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'Endpoint',
  'HealthcareService',
  'Subscription',
  'ValueSet',
  'CodeSystem',
  'ConceptMap',
  'StructureDefinition',
  'SearchParameter',
  'OperationDefinition',
  'Questionnaire',
  'Binary',
  'AuditEvent',
]);

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PATIENT_REF = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

/** Every Patient id a resource names: itself if it is a Patient, and every `reference` to a Patient inside it. */
export function patientIdsIn(value: unknown, out = new Set<string>()): Set<string> {
  const walk = (v: unknown, depth: number): void => {
    if (depth > 40 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    const o = v as Record<string, unknown>;
    if (o.resourceType === 'Patient' && typeof o.id === 'string') out.add(o.id);
    if (typeof o.reference === 'string') {
      const m = PATIENT_REF.exec(o.reference);
      if (m) out.add(m[1]!);
    }
    for (const [k, x] of Object.entries(o)) if (k !== 'text' && typeof x === 'object') walk(x, depth + 1);
  };
  walk(value, 0);
  return out;
}

const READ_ONLY_OPERATION = /(^|\/)\$(summary|everything|validate|expand|lookup|validate-code|translate)$/;

/**
 * The change a request may have made. `requestBody`/`responseBody` are what was sent and what HAPI answered (either
 * may be missing, e.g. after a timeout: then the write may or may not have happened, and it counts as made).
 */
export function chartChangeOf(
  method: string,
  relPath: string,
  requestBody: unknown,
  responseBody: unknown,
): ChartChange {
  const m = method.toUpperCase();
  if (READS.has(m)) return { kind: 'none' };
  const path = relPath.replace(/^\/+/, '').split('?')[0]!;
  // POST Type/_search is a read; a GET-only batch (FhirClient.batchGet) is a read too.
  if (m === 'POST' && /(^|\/)_search$/.test(path)) return { kind: 'none' };
  if (path === '') return bundleChange(requestBody, responseBody);
  const type = path.split('/')[0]!;
  // Read-only operations reached by POST change nothing.
  if (m === 'POST' && READ_ONLY_OPERATION.test(path)) return { kind: 'none' };
  const ids = new Set<string>();
  if (type === 'Patient') {
    const id = path.split('/')[1];
    if (id && !id.startsWith('$')) ids.add(id);
  }
  patientIdsIn(requestBody, ids);
  patientIdsIn(responseBody, ids);
  if (ids.size) return { kind: 'patients', ids: [...ids].sort() };
  if (NOT_CHART_DATA.has(type)) return { kind: 'none' };
  return { kind: 'all' };
}

function bundleChange(requestBody: unknown, responseBody: unknown): ChartChange {
  const bundle = requestBody as fhir4.Bundle | undefined;
  const entries = bundle?.resourceType === 'Bundle' ? (bundle.entry ?? []) : undefined;
  if (!entries) return { kind: 'all' };
  const writes = entries.filter((e) => !READS.has(String(e.request?.method ?? 'GET').toUpperCase()));
  if (!writes.length) return { kind: 'none' };
  // Patients created by this very bundle (plain POST, no If-None-Exist) have no cached chart yet; what refers to
  // them by their urn:uuid changes no existing chart. A conditional create may match an existing patient: it counts.
  const isNewPatient = (e: fhir4.BundleEntry) =>
    e.resource?.resourceType === 'Patient' && e.request?.method === 'POST' && !e.request.ifNoneExist;
  const newPatients = new Set(
    writes
      .filter(isNewPatient)
      .map((e) => e.fullUrl)
      .filter((u): u is string => !!u?.startsWith('urn:uuid:')),
  );
  const ids = patientIdsIn(responseBody);
  for (const e of writes) {
    if (isNewPatient(e)) continue;
    const part = chartChangeOf(String(e.request?.method), String(e.request?.url ?? ''), e.resource, undefined);
    if (part.kind === 'patients') for (const id of part.ids) ids.add(id);
    else if (part.kind === 'all' && !refersToNew(e.resource, newPatients)) return { kind: 'all' };
  }
  return ids.size ? { kind: 'patients', ids: [...ids].sort() } : { kind: 'none' };
}

/** True when the resource refers to at least one of `urns` (a patient new in this bundle). */
function refersToNew(resource: unknown, urns: ReadonlySet<string>): boolean {
  if (!urns.size || !resource) return false;
  return (
    JSON.stringify(resource)
      .match(/"reference":"(urn:uuid:[^"]+)"/g)
      ?.some((m) => urns.has(m.slice(13, -1))) ?? false
  );
}
