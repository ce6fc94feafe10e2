/**
 * The CDS module's business API: the per-rule feedback report and the web app's CDS client token. The CDS Hooks
 * endpoints themselves (/cds-services) follow the public CDS Hooks specification and are not described here.
 */
import { z } from 'zod';

export const CdsReportQuery = z.object({
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});
export const CdsClientTokenBody = z
  .object({
    serviceId: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/)
      .optional(),
  })
  .strict()
  .optional();

export const CdsRuleReport = z.object({
  ruleId: z.string(),
  serviceIds: z.array(z.string()),
  fired: z.number().int(),
  accepted: z.number().int(),
  overridden: z.number().int(),
  /** overridden / (accepted + overridden), or null without feedback */
  overrideRate: z.number().nullable(),
  topOverrideReasons: z.array(z.object({ code: z.string(), display: z.string().optional(), count: z.number().int() })),
});
export type CdsRuleReport = z.infer<typeof CdsRuleReport>;

/** GET /api/cds/report: cards fired, accepted and overridden per rule in [since, until). */
export const CdsReport = z.object({ since: z.string(), until: z.string(), rules: z.array(CdsRuleReport) });
export type CdsReport = z.infer<typeof CdsReport>;

/** POST /api/cds/client-token: a short-lived bearer token for calling /cds-services (OAuth-style field names). */
export const CdsClientToken = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  /** Expiry as seconds since the epoch. */
  expires_at: z.number().int(),
  /** The CDS service (and its feedback) URLs the token is for, or the CDS base URL. */
  audience: z.union([z.string(), z.array(z.string())]),
});
export type CdsClientToken = z.infer<typeof CdsClientToken>;
