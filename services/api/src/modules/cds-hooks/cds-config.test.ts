import { ConfigError, loadConfig } from '../../core/config';

describe('CDS configuration', () => {
  it('defaults to no extra trusted clients and a 3 s FHIR timeout', () => {
    expect(loadConfig({}).cds).toEqual({ trustedClients: [], fhirTimeoutMs: 3000 });
  });

  it('parses CDS_TRUSTED_CLIENTS', () => {
    const clients = [{ iss: 'https://a.example', jwksUrl: 'https://a.example/jwks.json' }, { iss: 'b', jwks: { keys: [{ kty: 'EC', kid: 'k' }] } }];
    expect(loadConfig({ CDS_TRUSTED_CLIENTS: JSON.stringify(clients) }).cds.trustedClients).toEqual(clients);
  });

  it.each([
    'not json',
    JSON.stringify([{ iss: 'a' }]),
    JSON.stringify([{ iss: 'a', jwksUrl: 'https://x', jwks: { keys: [{}] } }]),
    JSON.stringify([{ iss: 'a', jwksUrl: 'file:///etc/keys' }]),
  ])('rejects %s', (value) => {
    expect(() => loadConfig({ CDS_TRUSTED_CLIENTS: value })).toThrow(ConfigError);
  });
});
