/** /api/smart: SMART client administration, the launchable app list and the EHR launch. */
import { z } from 'zod';
import { FhirId } from './fhir';

const Jwk = z
  .looseObject({ kty: z.enum(['RSA', 'EC']), kid: z.string().min(1).max(256).optional() })
  .refine((k) => !('d' in k), 'private key material is not accepted');
const Jwks = z.object({ keys: z.array(Jwk).min(1).max(20) });
const Url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => !u.includes('#'), 'must not contain a fragment');
const Scopes = z.array(z.string().min(1).max(300)).max(100);
const ClientId = z.string().regex(/^[A-Za-z0-9._~-]{3,128}$/);

export const SmartClientType = z.enum(['public', 'confidential', 'backend']);
export type SmartClientType = z.infer<typeof SmartClientType>;
export const SmartAuthMethod = z.enum(['none', 'client_secret_basic', 'private_key_jwt']);
export type SmartAuthMethod = z.infer<typeof SmartAuthMethod>;

export const NewSmartClientBody = z.object({
  clientId: ClientId.optional(),
  name: z.string().min(1).max(200),
  type: SmartClientType,
  /** confidential only: 'client_secret_basic' (default; a secret is returned once) or 'private_key_jwt' (needs jwks or jwksUri). */
  tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'private_key_jwt']).optional(),
  redirectUris: z.array(Url).max(20).default([]),
  allowedScopes: Scopes.min(1),
  launchUrl: Url.optional(),
  jwks: Jwks.optional(),
  jwksUri: Url.optional(),
});
export type NewSmartClientBody = z.input<typeof NewSmartClientBody>;

export const PatchSmartClientBody = z.object({
  name: z.string().min(1).max(200).optional(),
  redirectUris: z.array(Url).max(20).optional(),
  allowedScopes: Scopes.min(1).optional(),
  launchUrl: Url.nullable().optional(),
  jwks: Jwks.nullable().optional(),
  jwksUri: Url.nullable().optional(),
  disabled: z.boolean().optional(),
  rotateSecret: z.boolean().optional(),
});
export type PatchSmartClientBody = z.input<typeof PatchSmartClientBody>;

export const SmartClientParams = z.object({ clientId: ClientId });
export const SmartLaunchBody = z.object({ clientId: ClientId, patientId: FhirId, encounterId: FhirId.optional() });
export type SmartLaunchBody = z.input<typeof SmartLaunchBody>;

/** A registered client as the admin sees it: never the secret hash. */
export const SmartClient = z
  .object({
    clientId: z.string(),
    name: z.string(),
    type: SmartClientType,
    tokenEndpointAuthMethod: SmartAuthMethod,
    redirectUris: z.array(z.string()),
    allowedScopes: z.array(z.string()),
    launchUrl: z.string().nullable(),
    jwks: z.object({ keys: z.array(z.looseObject({ kty: z.string().optional() })) }).nullable(),
    jwksUri: z.string().nullable(),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    /** Only in the answer to a registration or a secret rotation, once. */
    clientSecret: z.string().optional(),
  })
  .strict();
export type SmartClient = z.infer<typeof SmartClient>;
export const SmartClientList = z.object({ clients: z.array(SmartClient) }).strict();
export type SmartClientList = z.infer<typeof SmartClientList>;

/** GET /api/smart/apps: clients with a launch URL, not disabled. */
export const SmartApp = z.object({ clientId: z.string(), name: z.string(), launchUrl: z.string().nullable() }).strict();
export type SmartApp = z.infer<typeof SmartApp>;
export const SmartAppList = z.object({ apps: z.array(SmartApp) }).strict();
export type SmartAppList = z.infer<typeof SmartAppList>;

/** A single-use launch value bound to this user and patient, already in the app's launch URL (iss + launch). */
export const SmartLaunch = z.object({ launchUrl: z.string(), expiresIn: z.number().int() }).strict();
export type SmartLaunch = z.infer<typeof SmartLaunch>;
