/**
 * FHIR on the wire. The API passes HAPI's resources through, so a response schema checks only what callers rely
 * on (the resource type and the id) and lets every other element through unchanged; the TypeScript type is the
 * full @types/fhir resource, so the web reads `condition.code?.text` without copying FHIR types.
 * Also the id and date primitives request schemas share.
 */
import { z } from 'zod';

/** R4 `id`: 1–64 of A–Z a–z 0–9 - . (http://hl7.org/fhir/R4/datatypes.html#id). */
export const FHIR_ID_PATTERN = '[A-Za-z0-9\\-.]{1,64}';
export const FHIR_ID_RE = new RegExp(`^${FHIR_ID_PATTERN}$`);
export const FhirId = z.string().regex(FHIR_ID_RE, 'a FHIR resource id');
export type FhirId = z.infer<typeof FhirId>;

export type FhirResourceType = fhir4.FhirResource['resourceType'];
/** The @types/fhir resource of one type, e.g. ResourceOfType<'Condition'> = fhir4.Condition. */
export type ResourceOfType<T extends FhirResourceType> = Extract<fhir4.FhirResource, { resourceType: T }>;
/**
 * A stored resource of one type: `resourceType` and `id` checked at run time, every other element passed through.
 * Typed as the @types/fhir resource (whose id is optional), so API code returning HAPI's answers needs no casts.
 */
export function fhirResource<T extends FhirResourceType>(resourceType: T): z.ZodType<ResourceOfType<T>> {
  return z.object({ resourceType: z.literal(resourceType), id: z.string() }).passthrough() as unknown as z.ZodType<
    ResourceOfType<T>
  >;
}

/** Any FHIR resource (an OperationOutcome, a mixed search result entry). */
export const FhirAnyResource = z
  .object({ resourceType: z.string(), id: z.string().optional() })
  .passthrough() as unknown as z.ZodType<fhir4.FhirResource>;

/**
 * A Bundle. With an entry schema each `entry[].resource` is checked against it (`fhirBundle(fhirResource('Patient'))`);
 * without one, entries may hold any resource.
 */
export function fhirBundle<R extends fhir4.FhirResource = fhir4.FhirResource>(
  resource?: z.ZodType<R>,
): z.ZodType<fhir4.Bundle<R>> {
  return z
    .object({
      resourceType: z.literal('Bundle'),
      id: z.string().optional(),
      type: z.string(),
      total: z.number().int().optional(),
      entry: z
        .array(
          z
            .object({ fullUrl: z.string().optional(), resource: (resource ?? FhirAnyResource).optional() })
            .passthrough(),
        )
        .optional(),
    })
    .passthrough() as unknown as z.ZodType<fhir4.Bundle<R>>;
}

/** True when YYYY-MM-DD names a real calendar day (no 2023-02-30). */
export function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const today = () => new Date().toISOString().slice(0, 10);

/** A real calendar date, not in the future, not before 1900. */
export const PastDate = z
  .string()
  .refine(isRealDate, 'a real date as YYYY-MM-DD')
  .refine((s) => s <= today(), 'cannot be in the future')
  .refine((s) => s >= '1900-01-01', 'cannot be before 1900');

/** An instant (ISO 8601 with offset) that is not in the future (5 minutes of clock skew allowed). */
export const PastDateTime = z.iso
  .datetime({ offset: true })
  .refine((s) => isRealDate(s.slice(0, 10)), 'a real date')
  .refine((s) => Date.parse(s) <= Date.now() + 5 * 60_000, 'cannot be in the future');

/** A date or an instant, not in the future (onset, occurrence). */
export const PastDateOrDateTime = z.union([PastDate, PastDateTime]);

/** A FHIR data type inside business JSON (an Address, a Coding): passed through as is, typed from @types/fhir. */
export function fhirElement<T extends object>(): z.ZodType<T> {
  return z.object({}).passthrough() as unknown as z.ZodType<T>;
}
