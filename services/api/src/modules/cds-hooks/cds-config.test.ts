import { ConfigError, loadConfig } from '../../core/config';

describe('CDS configuration', () => {
  it("defaults to no extra trusted clients, a 3 s FHIR timeout and fetching only from this façade's /fhir", () => {
    expect(loadConfig({}).cds).toEqual({
      trustedClients: [],
      fhirTimeoutMs: 3000,
      fhirServers: ['http://localhost:8000/fhir'],
    });
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://ehr.example.org/' }).cds.fhirServers).toEqual([
      'https://ehr.example.org/fhir',
    ]);
  });

  it('parses CDS_FHIR_SERVERS as a comma-separated list', () => {
    expect(loadConfig({ CDS_FHIR_SERVERS: 'https://a.example/fhir, http://hapi:8080/fhir' }).cds.fhirServers).toEqual([
      'https://a.example/fhir',
      'http://hapi:8080/fhir',
    ]);
  });

  it('parses CDS_TRUSTED_CLIENTS', () => {
    const clients = [
      { iss: 'https://a.example', jwksUrl: 'https://a.example/jwks.json' },
      { iss: 'b', jwks: { keys: [{ kty: 'EC', kid: 'k' }] } },
    ];
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
