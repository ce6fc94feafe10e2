import type { AppDeps } from '../../core/deps';
import type { TrustedCdsClient } from './cds-client-auth';

/** Claim that marks tokens minted by POST /api/cds/client-token, so no other token of the service key passes. */
export const WEB_CLIENT_PURPOSE = 'cds_client';
export const WEB_CLIENT_SUB = 'wintehr-web';

/**
 * The trusted CDS clients: the configured ones (CDS_TRUSTED_CLIENTS) plus the local web app, whose tokens are
 * minted server-side by POST /api/cds/client-token with the service's own key (a browser cannot keep a private key).
 * TokenService signs every token with iss = PUBLIC_BASE_URL, so the web client is that issuer, restricted to
 * tokens carrying purpose=cds_client and addressed to a /cds-services URL.
 */
export function trustedCdsClients(deps: Pick<AppDeps, 'config' | 'tokens'>): TrustedCdsClient[] {
  const web: TrustedCdsClient = {
    iss: deps.tokens.issuerUrl,
    jwks: deps.tokens.publicJwks as TrustedCdsClient['jwks'],
    requiredClaims: { purpose: WEB_CLIENT_PURPOSE },
  };
  return [
    web,
    ...deps.config.cds.trustedClients.map((c) => ({
      ...c,
      ...(c.jwks ? { jwks: c.jwks as unknown as TrustedCdsClient['jwks'] } : {}),
    })),
  ];
}

export const cdsBaseUrl = (publicBaseUrl: string) => `${publicBaseUrl}/cds-services`;
export const serviceUrl = (publicBaseUrl: string, id: string) => `${cdsBaseUrl(publicBaseUrl)}/${id}`;
export const feedbackUrl = (publicBaseUrl: string, id: string) => `${serviceUrl(publicBaseUrl, id)}/feedback`;
