import { z } from 'zod';
import { FhirId } from './fhir';

/**
 * Portal proxy access (issue 16): a person with a portal account acts for another patient (a parent for a child, a
 * caregiver for an adult). Staff grant and revoke from the chart; the portal sends the subject in one header.
 */

/** The header the portal sends on every request made while acting for someone (absent = the signed-in patient). */
export const ACTING_FOR_HEADER = 'X-Acting-For';

export const PROXY_RELATIONSHIPS = ['parent', 'guardian', 'caregiver'] as const;
export type ProxyRelationship = (typeof PROXY_RELATIONSHIPS)[number];

/** self: the signed-in patient; full: everything the subject could see; limited: the 12–17 subset. */
export const PORTAL_TIERS = ['self', 'full', 'limited'] as const;
export type PortalTier = (typeof PORTAL_TIERS)[number];

/** The portal's areas, each checked against the tier (portal-policy.ts says which tier reaches which). */
export const PORTAL_AREAS = [
  'record',
  'problems',
  'medications',
  'vitals',
  'notes',
  'results',
  'access-log',
  'download',
  'messages',
  'refills',
  'requests',
  'coverage',
  'appointments',
  'allergies',
  'immunizations',
  'visits',
] as const;
export type PortalArea = (typeof PORTAL_AREAS)[number];

/** POST /api/patients/:id/proxies */
export const ProxyGrantBody = z
  .object({
    /** The proxy's portal account (a patient-role user). */
    proxyUsername: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9._-]{3,64}$/, 'a portal username'),
    relationship: z.enum(PROXY_RELATIONSHIPS),
    /** Optional end date (ISO date or date-time); none = until revoked (or, for a minor, the 18th birthday). */
    validUntil: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
  })
  .strict();
export type ProxyGrantBody = z.infer<typeof ProxyGrantBody>;

export const ProxyGrantParams = z.object({ id: FhirId }).strict();
export const ProxyGrantItemParams = z.object({ id: FhirId, grantId: z.string().uuid() }).strict();

export const ProxyGrantStatus = z.enum(['active', 'expired', 'aged-out', 'revoked']);
export type ProxyGrantStatus = z.infer<typeof ProxyGrantStatus>;

export const ProxyGrant = z.object({
  id: z.string(),
  patientId: z.string(),
  proxyUsername: z.string(),
  proxyName: z.string(),
  relationship: z.enum(PROXY_RELATIONSHIPS),
  relatedPersonId: z.string().nullable(),
  grantedBy: z.string(),
  grantedAt: z.string(),
  validUntil: z.string().nullable(),
  revokedAt: z.string().nullable(),
  status: ProxyGrantStatus,
  /** What the proxy may see today (null when the grant is not active). */
  tier: z.enum(['full', 'limited']).nullable(),
});
export type ProxyGrant = z.infer<typeof ProxyGrant>;
export const ProxyGrants = z.object({ grants: z.array(ProxyGrant) });
export type ProxyGrants = z.infer<typeof ProxyGrants>;

/** GET /api/portal/proxies: whom the signed-in person may act for (themselves first). */
export const PortalActor = z.object({
  patientId: z.string(),
  name: z.string(),
  actingAs: z.enum(['self', 'proxy']),
  tier: z.enum(PORTAL_TIERS),
  relationship: z.enum(PROXY_RELATIONSHIPS).nullable(),
  /** The areas this tier reaches, so the portal hides the rest instead of showing an error. */
  areas: z.array(z.enum(PORTAL_AREAS)),
});
export type PortalActor = z.infer<typeof PortalActor>;
export const PortalProxies = z.object({ subjects: z.array(PortalActor) });
export type PortalProxies = z.infer<typeof PortalProxies>;
