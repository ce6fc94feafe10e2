/**
 * The public CapabilityStatement at /fhir/metadata: HAPI's statement with every URL moved to the façade and the
 * SMART security block (service SMART-on-FHIR + the oauth-uris extension) pointing at the authorization server
 * (modules/smart/discovery.ts smartUrls). Pure.
 */
import { smartUrls } from '../smart/discovery';

export const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

export function facadeCapabilityStatement(
  hapi: fhir4.CapabilityStatement,
  publicBaseUrl: string,
): fhir4.CapabilityStatement {
  const u = smartUrls(publicBaseUrl);
  const security: fhir4.CapabilityStatementRestSecurity = {
    cors: true,
    service: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
        text: 'OAuth2 using SMART-on-FHIR profile',
      },
    ],
    extension: [
      {
        url: OAUTH_URIS,
        extension: [
          { url: 'authorize', valueUri: u.authorize },
          { url: 'token', valueUri: u.token },
          { url: 'introspect', valueUri: u.introspect },
          { url: 'revoke', valueUri: u.revoke },
        ],
      },
    ],
    description: 'Every request needs a SMART access token (Bearer). See .well-known/smart-configuration.',
  };
  const rest = (hapi.rest ?? [{ mode: 'server' as const }]).map((r) => ({ ...r, security }));
  return {
    ...hapi,
    ...(hapi.implementation
      ? { implementation: { ...hapi.implementation, url: u.fhirBase } }
      : { implementation: { description: 'WintEHR FHIR API', url: u.fhirBase } }),
    rest,
  };
}
