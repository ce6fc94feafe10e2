/**
 * Harmless shape slips that real CDS clients make in FHIR JSON, repaired before the strict structural check
 * (drug-safety/fhir-shape.ts): a repeating element sent as a single value (the cds-hooks sandbox sends
 * `MedicationRequest.category` as one CodeableConcept) and `null` members (JavaScript clients serialise "absent" as
 * null). A repair never guesses a value: it only changes a container or drops a member that carries nothing.
 * Copy on write: the input is never modified, and unchanged subtrees are shared.
 */

/** Elements of a resource that FHIR defines as 0..* and that the rules read (or that hold resources they read). */
const REPEATING_IN_RESOURCE = new Set([
  'category',
  'dosageInstruction',
  'interpretation',
  'contained',
  'extension',
  'entry',
  'identifier',
]);

export function withRepeatingAsArrays<T>(value: T): T {
  return fix(value) as T;
}

function fix(v: unknown): unknown {
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((x, i) => {
      const y = fix(x);
      if (y !== x) (out ??= [...v])[i] = y;
    });
    return out ?? v;
  }
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const isResource = typeof o.resourceType === 'string';
  let out: Record<string, unknown> | undefined;
  for (const [k, x] of Object.entries(o)) {
    if (x === null) {
      delete (out ??= { ...o })[k];
      continue;
    }
    let y = fix(x);
    // CodeableConcept.coding is 0..* wherever it occurs.
    if ((k === 'coding' || (isResource && REPEATING_IN_RESOURCE.has(k))) && y !== undefined && !Array.isArray(y))
      y = [y];
    if (y !== x) (out ??= { ...o })[k] = y;
  }
  return out ?? o;
}
