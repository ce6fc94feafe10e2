/**
 * Structural checks for the generated transaction bundles. Used by the unit tests and by
 * `load-demo-data.ts --dry-run`. Returns a list of human-readable problems (empty = OK).
 */

import { ALLOWED_RXNORM, LABS, SYS, VITALS, interpret, type InterpretationCode } from './catalog';

/** LOINC codes whose Observations legitimately have a value but no normal range. */
export const NO_RANGE_LOINCS: ReadonlySet<string> = new Set([VITALS.height.loinc, VITALS.weight.loinc]);

const CRITICAL_BY_LOINC = new Map<string, { low?: number; high?: number }>();
for (const def of [...Object.values(LABS), ...Object.values(VITALS)]) {
  const d = def as { loinc: string; criticalLow?: number; criticalHigh?: number };
  CRITICAL_BY_LOINC.set(d.loinc, { low: d.criticalLow, high: d.criticalHigh });
}

/** Every `reference` string anywhere inside `value`. */
export function collectReferences(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else collectReferences(v, out);
    }
  }
  return out;
}

function loincOf(cc: fhir4.CodeableConcept | undefined): string | undefined {
  return cc?.coding?.find((c) => c.system === SYS.LOINC)?.code;
}

/** Expected interpretation for a quantity against the first (normal) referenceRange + catalog critical limits. */
export function expectedInterpretation(
  loinc: string,
  value: number,
  range: fhir4.ObservationReferenceRange,
): InterpretationCode {
  const crit = CRITICAL_BY_LOINC.get(loinc) ?? {};
  return interpret(value, { low: range.low?.value, high: range.high?.value }, crit.low, crit.high);
}

function checkValued(
  where: string,
  loinc: string | undefined,
  q: fhir4.Quantity,
  ranges: fhir4.ObservationReferenceRange[] | undefined,
  interpretation: fhir4.CodeableConcept[] | undefined,
  problems: string[],
): void {
  if (typeof q.value !== 'number') problems.push(`${where}: valueQuantity without numeric value`);
  if (q.system !== SYS.UCUM || !q.code) problems.push(`${where}: valueQuantity is not UCUM-coded`);
  if (!loinc) {
    problems.push(`${where}: no LOINC code`);
    return;
  }
  if (NO_RANGE_LOINCS.has(loinc)) return;
  const rr = ranges?.[0];
  const code = interpretation?.[0]?.coding?.find((c) => c.system === SYS.V3_INTERPRETATION)?.code;
  if (!rr) problems.push(`${where}: value without referenceRange`);
  if (!code) problems.push(`${where}: value without interpretation`);
  if (rr && code && typeof q.value === 'number') {
    const expected = expectedInterpretation(loinc, q.value, rr);
    if (expected !== code)
      problems.push(
        `${where}: interpretation ${code} but value ${q.value} vs range ${rr.low?.value ?? '-'}..${rr.high?.value ?? '-'} implies ${expected}`,
      );
  }
}

/**
 * @param external references allowed to point outside the bundle (the directory refs).
 */
export function validateTransactionBundle(bundle: fhir4.Bundle, external: Iterable<string> = []): string[] {
  const problems: string[] = [];
  if (bundle.resourceType !== 'Bundle' || bundle.type !== 'transaction') problems.push('not a transaction Bundle');
  const entries = bundle.entry ?? [];
  const fullUrls = new Set<string>();
  const typeByUrl = new Map<string, string>();
  for (const [i, e] of entries.entries()) {
    if (!e.fullUrl || !/^urn:uuid:[0-9a-f-]{36}$/.test(e.fullUrl))
      problems.push(`entry ${i}: fullUrl is not a urn:uuid`);
    else if (fullUrls.has(e.fullUrl)) problems.push(`entry ${i}: duplicate fullUrl ${e.fullUrl}`);
    if (e.fullUrl) {
      fullUrls.add(e.fullUrl);
      if (e.resource) typeByUrl.set(e.fullUrl, e.resource.resourceType);
    }
  }
  const allowed = new Set<string>([...fullUrls, ...external]);
  const ifNoneExist = new Set<string>();

  for (const [i, e] of entries.entries()) {
    const r = e.resource;
    const where = `entry ${i} (${r?.resourceType ?? '?'})`;
    if (!r) {
      problems.push(`${where}: no resource`);
      continue;
    }
    const demo = (r as { identifier?: fhir4.Identifier[] }).identifier?.filter((x) => x.system === SYS.DEMO) ?? [];
    if (demo.length !== 1 || !demo[0]!.value) problems.push(`${where}: expected exactly one ${SYS.DEMO} identifier`);
    const req = e.request;
    if (!req || req.method !== 'POST' || req.url !== r.resourceType)
      problems.push(`${where}: request must be POST ${r.resourceType}`);
    const expectedIne = `identifier=${SYS.DEMO}|${demo[0]?.value ?? ''}`;
    if (req?.ifNoneExist !== expectedIne)
      problems.push(`${where}: ifNoneExist ${req?.ifNoneExist ?? '(missing)'} != ${expectedIne}`);
    else if (ifNoneExist.has(expectedIne)) problems.push(`${where}: duplicate ifNoneExist ${expectedIne}`);
    else ifNoneExist.add(expectedIne);

    for (const ref of collectReferences(r)) {
      if (!allowed.has(ref)) problems.push(`${where}: unresolved reference ${ref}`);
    }

    if (r.resourceType === 'Observation') {
      const loinc = loincOf(r.code);
      if (r.valueQuantity) checkValued(where, loinc, r.valueQuantity, r.referenceRange, r.interpretation, problems);
      for (const [ci, c] of (r.component ?? []).entries()) {
        if (c.valueQuantity)
          checkValued(
            `${where} component ${ci}`,
            loincOf(c.code),
            c.valueQuantity,
            c.referenceRange,
            c.interpretation,
            problems,
          );
      }
      const cat = r.category?.[0]?.coding?.[0]?.code;
      if (cat !== 'laboratory' && cat !== 'vital-signs') problems.push(`${where}: unexpected category ${cat}`);
    }
    if (r.resourceType === 'MedicationRequest') {
      const rx = r.medicationCodeableConcept?.coding?.find((c) => c.system === SYS.RXNORM);
      if (!rx?.code || !ALLOWED_RXNORM.has(rx.code))
        problems.push(`${where}: RxNorm code ${rx?.code} not in the allowed list`);
      else if (ALLOWED_RXNORM.get(rx.code) !== rx.display)
        problems.push(`${where}: RxNorm ${rx.code} display "${rx.display}" != "${ALLOWED_RXNORM.get(rx.code)}"`);
      if (r.status !== 'active' || r.intent !== 'order')
        problems.push(`${where}: expected status active, intent order`);
      const d = r.dosageInstruction?.[0];
      if (!d?.timing?.repeat || !d.route || !d.doseAndRate?.[0]?.doseQuantity)
        problems.push(`${where}: incomplete structured dosage`);
      const dr = r.dispenseRequest;
      if (!dr?.quantity || dr.numberOfRepeatsAllowed === undefined || !dr.expectedSupplyDuration)
        problems.push(`${where}: incomplete dispenseRequest`);
      const reason = r.reasonReference?.[0]?.reference;
      if (!reason || typeByUrl.get(reason) !== 'Condition')
        problems.push(`${where}: reasonReference must point to a Condition in the bundle`);
    }
    if (r.resourceType === 'DiagnosticReport') {
      if (!r.result?.length) problems.push(`${where}: no results`);
      for (const res of r.result ?? []) {
        if (!res.reference || typeByUrl.get(res.reference) !== 'Observation')
          problems.push(`${where}: result ${res.reference} is not an Observation in the bundle`);
      }
    }
  }
  return problems;
}
