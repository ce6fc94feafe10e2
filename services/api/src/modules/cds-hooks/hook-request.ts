/**
 * Validation of CDS Hooks 2.0 service requests. Strict only where the answer depends on it: the hook, hookInstance,
 * context.patientId (every prefetch query is built from it), context.draftOrders being a Bundle, order-select's
 * selections, and fhirServer / fhirAuthorization.access_token (used to fetch). Members nothing reads are accepted in
 * any shape (a malformed userId or fhirAuthorization.expires_in is ignored, not refused), draft orders are read one
 * by one (draft-orders.ts) and prefetch values are checked per key when they are used (prefetch.ts): a client
 * shows a 400 as "no cards", so refusing a request for a harmless slip would hide every finding.
 */
import { z, type ZodType } from 'zod';
import { zodDetails } from '../../core/http/route';
import { badRequest } from '../../core/errors';
import type { HookRequest } from './cds-types';
import { readDraftOrders, type UncheckedOrder } from './draft-orders';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const fhirId = z.string().regex(FHIR_ID, 'a FHIR id');
const httpUrl = z.url({ protocol: /^https?$/, error: 'an http(s) URL' });
/** A member no rule reads: kept when it is a plausible string, otherwise ignored. */
const ignoredUnlessString = z.string().max(256).optional().catch(undefined);

/** Bounds the work one request can cause; far above any real order session. */
export const MAX_DRAFT_ENTRIES = 200;
const bundle = z
  .looseObject({ resourceType: z.literal('Bundle'), entry: z.unknown().optional() })
  .refine((b) => !Array.isArray(b.entry) || b.entry.length <= MAX_DRAFT_ENTRIES, {
    message: `at most ${MAX_DRAFT_ENTRIES} entries`,
    path: ['entry'],
  });

export const PatientViewContext = z.object({
  userId: ignoredUnlessString,
  patientId: fhirId,
  encounterId: ignoredUnlessString,
});
export const OrderSignContext = PatientViewContext.extend({ draftOrders: bundle });
export const OrderSelectContext = OrderSignContext.extend({
  selections: z.array(z.string().min(1).max(200)).min(1).max(100),
});
export type PatientViewContext = z.infer<typeof PatientViewContext>;
export type OrderSignContext = z.infer<typeof OrderSignContext>;
export type OrderSelectContext = z.infer<typeof OrderSelectContext>;

const Envelope = z
  .object({
    hook: z.string().min(1).max(100),
    hookInstance: z.uuid(),
    fhirServer: httpUrl.optional(),
    fhirAuthorization: z
      .object({
        access_token: z.string().min(1).max(8192),
        // OAuth servers answer "bearer" as often as "Bearer" (RFC 6749 §7.1: case-insensitive), and clients copy it.
        token_type: z.string().regex(/^bearer$/i, 'Bearer'),
        expires_in: z.number().optional().catch(undefined),
        scope: z.string().max(4096).optional().catch(undefined),
        subject: ignoredUnlessString,
        patient: fhirId.optional().catch(undefined),
      })
      .optional(),
    context: z.record(z.string(), z.unknown()),
    prefetch: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((r) => !r.fhirAuthorization || r.fhirServer, {
    message: 'fhirAuthorization requires fhirServer',
    path: ['fhirAuthorization'],
  });

export interface ParsedHookRequest<C> {
  request: HookRequest<C>;
  /** Draft orders that could not be identified (reported as cards, never dropped silently). */
  uncheckedOrders: readonly UncheckedOrder[];
  /** Our reference → the client's, for card actions (see draft-orders.ts). */
  clientRefs: ReadonlyMap<string, string>;
}

/**
 * Parses a hook request for a service of `hook`, with `context` as that hook's context schema. Throws 400.
 * With `prefetchKeys` (the service's template keys), prefetch values under other keys are dropped unread: a
 * client may send what it prefetched for other services, and the spec's own example sends a bare string there.
 */
export function parseHookRequest<C>(
  body: unknown,
  hook: string,
  context: ZodType<C>,
  prefetchKeys?: readonly string[],
): ParsedHookRequest<C> {
  const env = Envelope.safeParse(prefetchKeys ? onlyKeys(body, prefetchKeys) : body);
  if (!env.success) throw badRequest('Invalid CDS Hooks request', zodDetails(env.error, 'body'));
  if (env.data.hook !== hook) {
    throw badRequest(`This service answers the ${hook} hook, not ${env.data.hook}`, [
      { field: 'body.hook', message: `expected ${hook}` },
    ]);
  }
  const ctx = context.safeParse(env.data.context);
  if (!ctx.success) throw badRequest(`Invalid ${hook} context`, zodDetails(ctx.error, 'body.context'));
  const { fhirAuthorization, ...rest } = env.data;
  const request = {
    ...rest,
    ...(fhirAuthorization ? { fhirAuthorization: definedOnly(fhirAuthorization) } : {}),
    context: ctx.data,
  } as HookRequest<C>;

  const c = ctx.data as { draftOrders?: Record<string, unknown>; selections?: string[] };
  if (!c.draftOrders) return { request, uncheckedOrders: [], clientRefs: new Map() };
  const drafts = readDraftOrders(c.draftOrders, c.selections);
  const ours = new Map([...drafts.clientRefs].map(([mine, theirs]) => [theirs, mine]));
  request.context = {
    ...ctx.data,
    draftOrders: drafts.bundle,
    ...(c.selections ? { selections: c.selections.map((s) => ours.get(s) ?? s) } : {}),
  } as C;
  return { request, uncheckedOrders: drafts.unchecked, clientRefs: drafts.clientRefs };
}

/** Optional members are omitted, never undefined (see cds-types.ts). */
function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function onlyKeys(body: unknown, keys: readonly string[]): unknown {
  const b = body as { prefetch?: unknown } | null;
  if (!b || typeof b !== 'object' || !b.prefetch || typeof b.prefetch !== 'object' || Array.isArray(b.prefetch))
    return body;
  const prefetch = Object.fromEntries(Object.entries(b.prefetch).filter(([k]) => keys.includes(k)));
  return { ...b, prefetch };
}
