/**
 * Structural check of FHIR JSON that comes from outside (CDS Hooks prefetch and draft orders, data fetched from a
 * client's FHIR server, SMART apps' MedicationRequest writes) before the engine and the CDS rules read it. Only the
 * elements they read are checked, with their R4 datatypes and cardinality; everything else passes untouched.
 * This turns "coding is a string" into a 400 naming the element instead of a TypeError deep in a rule.
 */
import { z } from 'zod';

const coding = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
const cc = z.looseObject({ coding: z.array(coding).optional(), text: z.string().optional() });
const ref = z.looseObject({ reference: z.string().optional(), display: z.string().optional() });
const period = z.looseObject({ start: z.string().optional(), end: z.string().optional() });
const quantity = z.looseObject({
  value: z.number().optional(),
  unit: z.string().optional(),
  code: z.string().optional(),
  system: z.string().optional(),
});

const common = {
  resourceType: z.string(),
  id: z.string().optional(),
  extension: z.array(z.looseObject({ url: z.string() })).optional(),
  status: z.string().optional(),
  subject: ref.optional(),
  patient: ref.optional(),
};

const medicationUse = {
  medicationCodeableConcept: cc.optional(),
  medicationReference: ref.optional(),
  contained: z.array(z.looseObject({ resourceType: z.string() })).optional(),
};

const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  Patient: z.looseObject({ ...common, birthDate: z.string().optional(), gender: z.string().optional() }),
  MedicationRequest: z.looseObject({
    ...common,
    ...medicationUse,
    intent: z.string().optional(),
    authoredOn: z.string().optional(),
    category: z.array(cc).optional(),
    dosageInstruction: z.array(z.looseObject({ text: z.string().optional() })).optional(),
  }),
  MedicationStatement: z.looseObject({ ...common, ...medicationUse }),
  Medication: z.looseObject({ ...common, code: cc.optional() }),
  AllergyIntolerance: z.looseObject({
    ...common,
    code: cc.optional(),
    criticality: z.string().optional(),
    verificationStatus: cc.optional(),
    clinicalStatus: cc.optional(),
    type: z.string().optional(),
    category: z.array(z.string()).optional(),
  }),
  Observation: z.looseObject({
    ...common,
    code: cc.optional(),
    category: z.array(cc).optional(),
    interpretation: z.array(cc).optional(),
    valueQuantity: quantity.optional(),
    effectiveDateTime: z.string().optional(),
    effectivePeriod: period.optional(),
    issued: z.string().optional(),
  }),
  Condition: z.looseObject({
    ...common,
    code: cc.optional(),
    clinicalStatus: cc.optional(),
    category: z.array(cc).optional(),
  }),
  Procedure: z.looseObject({
    ...common,
    code: cc.optional(),
    performedDateTime: z.string().optional(),
    performedPeriod: period.optional(),
  }),
  DiagnosticReport: z.looseObject({
    ...common,
    code: cc.optional(),
    category: z.array(cc).optional(),
    effectiveDateTime: z.string().optional(),
    effectivePeriod: period.optional(),
    issued: z.string().optional(),
  }),
  Immunization: z.looseObject({ ...common, vaccineCode: cc.optional(), occurrenceDateTime: z.string().optional() }),
  ServiceRequest: z.looseObject({
    ...common,
    code: cc.optional(),
    category: z.array(cc).optional(),
    intent: z.string().optional(),
    authoredOn: z.string().optional(),
    occurrenceDateTime: z.string().optional(),
  }),
};
const ANY = z.looseObject(common);
const BUNDLE = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.looseObject({ resource: z.looseObject({ resourceType: z.string() }).optional() })).optional(),
});

export interface ShapeProblem {
  field: string;
  message: string;
}

const MAX_PROBLEMS = 20;

/**
 * Problems with a resource (or Bundle, recursing into entries and contained resources), each with its JSON path
 * under `path`. Empty when the elements the rules read have their FHIR types.
 */
export function fhirShapeProblems(value: unknown, path: string, out: ShapeProblem[] = []): ShapeProblem[] {
  if (out.length >= MAX_PROBLEMS) return out;
  const type = (value as { resourceType?: unknown } | null)?.resourceType;
  const schema = type === 'Bundle' ? BUNDLE : (SCHEMAS[String(type)] ?? ANY);
  const r = schema.safeParse(value);
  if (!r.success) {
    for (const i of r.error.issues.slice(0, MAX_PROBLEMS - out.length))
      out.push({ field: [path, ...i.path.map(String)].join('.'), message: i.message });
    return out;
  }
  if (type === 'Bundle') {
    (value as fhir4.Bundle).entry?.forEach((e, n) => {
      if (e.resource) fhirShapeProblems(e.resource, `${path}.entry.${n}.resource`, out);
    });
  }
  (value as { contained?: unknown[] }).contained?.forEach((c, n) =>
    fhirShapeProblems(c, `${path}.contained.${n}`, out),
  );
  return out;
}
