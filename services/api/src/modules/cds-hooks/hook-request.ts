/**
 * Validation of CDS Hooks 2.0 service requests: the envelope (hook, hookInstance, fhirServer, fhirAuthorization,
 * prefetch) and each hook's context. Failures become 400s with field details.
 */
import { z, type ZodType } from 'zod';
import { zodDetails } from '../../core/http/route';
import { badRequest } from '../../core/errors';
import { fhirShapeProblems } from '../drug-safety/fhir-shape';
import type { HookRequest } from './cds-types';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const fhirId = z.string().regex(FHIR_ID, 'a FHIR id');
/** `Practitioner/123`, `PractitionerRole/..`, `Patient/..` or `RelatedPerson/..` (CDS Hooks 2.0 userId). */
const userRef = z.string().regex(/^(Practitioner|PractitionerRole|Patient|RelatedPerson)\/[A-Za-z0-9\-.]{1,64}$/, 'a relative reference to Practitioner, PractitionerRole, Patient or RelatedPerson');
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });

const bundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.looseObject({ resource: z.looseObject({ resourceType: z.string().min(1), id: fhirId.optional() }).optional() })).max(200).optional(),
});

export const PatientViewContext = z.object({ userId: userRef, patientId: fhirId, encounterId: fhirId.optional() });
export const OrderSignContext = z.object({ userId: userRef, patientId: fhirId, encounterId: fhirId.optional(), draftOrders: bundle });
export const OrderSelectContext = OrderSignContext.extend({
  selections: z.array(z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/, 'a relative reference like MedicationRequest/123')).min(1).max(100),
});
export type PatientViewContext = z.infer<typeof PatientViewContext>;
export type OrderSignContext = z.infer<typeof OrderSignContext>;
export type OrderSelectContext = z.infer<typeof OrderSelectContext>;

/** A prefetch value: a FHIR resource (or Bundle), or null when the client had no data for the key. */
const prefetchValue = z.union([z.null(), z.looseObject({ resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/, 'a FHIR resource type') })]);

const Envelope = z.object({
  hook: z.string().min(1).max(100),
  hookInstance: z.uuid(),
  fhirServer: httpUrl.optional(),
  fhirAuthorization: z.object({
    access_token: z.string().min(1).max(8192),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().positive(),
    scope: z.string().max(4096),
    subject: z.string().min(1).max(256),
    patient: fhirId.optional(),
  }).optional(),
  context: z.record(z.string(), z.unknown()),
  prefetch: z.record(z.string(), prefetchValue).optional(),
}).refine((r) => !r.fhirAuthorization || r.fhirServer, { message: 'fhirAuthorization requires fhirServer', path: ['fhirAuthorization'] });

/**
 * Parses a hook request for a service of `hook`, with `context` as that hook's context schema. Throws 400.
 * With `prefetchKeys` (the service's template keys), prefetch values under other keys are dropped unchecked: a
 * client may send what it prefetched for other services, and the spec's own example sends a bare string there.
 */
export function parseHookRequest<C>(body: unknown, hook: string, context: ZodType<C>, prefetchKeys?: readonly string[]): HookRequest<C> {
  const env = Envelope.safeParse(prefetchKeys ? onlyKeys(body, prefetchKeys) : body);
  if (!env.success) throw badRequest('Invalid CDS Hooks request', zodDetails(env.error, 'body'));
  if (env.data.hook !== hook) {
    throw badRequest(`This service answers the ${hook} hook, not ${env.data.hook}`, [{ field: 'body.hook', message: `expected ${hook}` }]);
  }
  const ctx = context.safeParse(env.data.context);
  if (!ctx.success) throw badRequest(`Invalid ${hook} context`, zodDetails(ctx.error, 'body.context'));
  // The FHIR inside (draft orders, prefetch) must have the datatypes the rules read, or the rules cannot run.
  const problems = fhirShapeProblems((ctx.data as { draftOrders?: unknown }).draftOrders ?? { resourceType: 'Bundle' }, 'body.context.draftOrders');
  for (const [k, v] of Object.entries(env.data.prefetch ?? {})) if (v) fhirShapeProblems(v, `body.prefetch.${k}`, problems);
  if (problems.length) throw badRequest('FHIR data in the request does not have the expected structure', problems);
  return { ...env.data, context: ctx.data } as HookRequest<C>;
}

function onlyKeys(body: unknown, keys: readonly string[]): unknown {
  const b = body as { prefetch?: unknown } | null;
  if (!b || typeof b !== 'object' || !b.prefetch || typeof b.prefetch !== 'object' || Array.isArray(b.prefetch)) return body;
  const prefetch = Object.fromEntries(Object.entries(b.prefetch).filter(([k]) => keys.includes(k)));
  return { ...b, prefetch };
}
