/** The endpoints of the authorization server, all absolute (SMART App Launch 2.x §Conformance). */
export function smartUrls(publicBaseUrl: string) {
  return {
    issuer: publicBaseUrl,
    fhirBase: `${publicBaseUrl}/fhir`,
    authorize: `${publicBaseUrl}/oauth/authorize`,
    token: `${publicBaseUrl}/oauth/token`,
    introspect: `${publicBaseUrl}/oauth/introspect`,
    revoke: `${publicBaseUrl}/oauth/revoke`,
    registration: `${publicBaseUrl}/api/smart/clients`,
    jwks: `${publicBaseUrl}/.well-known/jwks.json`,
    style: `${publicBaseUrl}/smart/style.json`,
    manage: `${publicBaseUrl}/api/smart/apps`,
  };
}

export const SMART_CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'authorize-post',
  'client-public',
  'client-confidential-symmetric',
  'client-confidential-asymmetric',
  'context-banner',
  'context-style',
  'context-ehr-patient',
  'context-ehr-encounter',
  'context-standalone-patient',
  'permission-offline',
  'permission-online',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
  'sso-openid-connect',
] as const;

export const SCOPES_SUPPORTED = [
  'openid',
  'fhirUser',
  'launch',
  'launch/patient',
  'launch/encounter',
  'offline_access',
  'online_access',
  'patient/*.rs',
  'patient/*.cruds',
  'user/*.rs',
  'user/*.cruds',
  'system/*.rs',
  'patient/*.read',
  'user/*.read',
  'system/*.read',
];

/** /fhir/.well-known/smart-configuration. */
export function smartConfiguration(publicBaseUrl: string) {
  const u = smartUrls(publicBaseUrl);
  return {
    issuer: u.issuer,
    jwks_uri: u.jwks,
    authorization_endpoint: u.authorize,
    token_endpoint: u.token,
    introspection_endpoint: u.introspect,
    revocation_endpoint: u.revoke,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'none'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: SCOPES_SUPPORTED,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [...SMART_CAPABILITIES],
  };
}

/** /.well-known/openid-configuration: the issuer equals the id_token iss, keys are the service's JWKS. */
export function openidConfiguration(publicBaseUrl: string) {
  const u = smartUrls(publicBaseUrl);
  return {
    issuer: u.issuer,
    jwks_uri: u.jwks,
    authorization_endpoint: u.authorize,
    token_endpoint: u.token,
    introspection_endpoint: u.introspect,
    revocation_endpoint: u.revoke,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'none'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['openid', 'fhirUser', 'profile', 'offline_access', 'online_access'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'fhirUser', 'name', 'preferred_username'],
  };
}

/** The style document smart_style_url points at (SMART §Styling). */
export const SMART_STYLE = {
  color_background: '#f5f7fa',
  color_error: '#c62828',
  color_highlight: '#1565c0',
  color_modal_backdrop: 'rgba(0,0,0,0.4)',
  color_success: '#2e7d32',
  color_text: '#1a1a1a',
  dim_border_radius: '4px',
  dim_font_size: '14px',
  dim_spacing_size: '8px',
  font_family_body: 'Roboto, "Helvetica Neue", Arial, sans-serif',
  font_family_heading: 'Roboto, "Helvetica Neue", Arial, sans-serif',
};
