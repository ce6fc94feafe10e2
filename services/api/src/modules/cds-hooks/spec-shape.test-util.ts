/**
 * The CDS Hooks 2.0 response and discovery shapes as the specification's field tables define them
 * (https://cds-hooks.hl7.org/2.0/#cds-service-response), strict: unknown members (other than the spec's
 * `extension`) and nulls fail. Used by the unit and integration tests to check every response we send.
 */
import { z } from 'zod';

const extension = z.record(z.string(), z.unknown()).optional();
const url = z.string().regex(/^https?:\/\/\S+$/);
const coding = z.strictObject({
  code: z.string().min(1),
  system: z.string().optional(),
  display: z.string().optional(),
});

const action = z
  .strictObject({
    type: z.enum(['create', 'update', 'delete']),
    description: z.string().min(1),
    resource: z.looseObject({ resourceType: z.string().min(1) }).optional(),
    resourceId: z
      .string()
      .regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/)
      .optional(),
    extension,
  })
  .refine((a) => a.type !== 'create' || a.resource, 'a create action carries the resource')
  .refine((a) => a.type !== 'update' || a.resource, 'an update action carries the whole resource')
  .refine((a) => a.type !== 'delete' || a.resourceId, 'a delete action names resourceId');

const suggestion = z.strictObject({
  label: z.string().min(1),
  uuid: z.string().optional(),
  isRecommended: z.boolean().optional(),
  actions: z.array(action).optional(),
  extension,
});

const link = z
  .strictObject({
    label: z.string().min(1),
    url,
    type: z.enum(['absolute', 'smart']),
    appContext: z.string().optional(),
    extension,
  })
  .refine((l) => l.type === 'smart' || l.appContext === undefined, 'appContext only on smart links');

export const CardSchema = z
  .strictObject({
    uuid: z.string().optional(),
    summary: z.string().min(1).max(139),
    detail: z.string().optional(),
    indicator: z.enum(['info', 'warning', 'critical']),
    source: z.strictObject({
      label: z.string().min(1),
      url: url.optional(),
      icon: url.optional(),
      topic: coding.optional(),
    }),
    suggestions: z.array(suggestion).optional(),
    selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
    // The spec requires a display on every override reason.
    overrideReasons: z.array(coding.extend({ display: z.string().min(1) })).optional(),
    links: z.array(link).optional(),
    extension,
  })
  .refine(
    (c) => !c.suggestions?.length || c.selectionBehavior,
    'selectionBehavior is required when suggestions are present',
  );

export const ResponseSchema = z.strictObject({
  cards: z.array(CardSchema),
  systemActions: z.array(action).optional(),
  extension,
});

export const DiscoverySchema = z.strictObject({
  services: z.array(
    z.strictObject({
      hook: z.string().min(1),
      title: z.string().optional(),
      description: z.string().min(1),
      id: z.string().regex(/^[A-Za-z0-9\-._~]+$/),
      prefetch: z.record(z.string(), z.string()).optional(),
      usageRequirements: z.string().optional(),
      extension,
    }),
  ),
});

/** The zod issues as `path: message` lines (empty when the value fits the shape). */
export function shapeProblems(schema: z.ZodType, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}
