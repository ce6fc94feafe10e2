import { facadeCapabilityStatement, OAUTH_URIS } from './metadata';
import { hapiBaseVariants, rewriteUrls } from './urls';

describe('URL rewriting', () => {
  const bases = hapiBaseVariants('http://127.0.0.1:8080/fhir');
  test('covers the names HAPI may write for itself', () => {
    expect(bases).toEqual(expect.arrayContaining(['http://127.0.0.1:8080/fhir', 'http://localhost:8080/fhir']));
  });
  test.each([
    ['{"fullUrl":"http://localhost:8080/fhir/Patient/1"}', '{"fullUrl":"https://ehr.example/fhir/Patient/1"}'],
    ['http://127.0.0.1:8080/fhir?_getpages=1', 'https://ehr.example/fhir?_getpages=1'],
    ['"http://localhost:8080/fhir"', '"https://ehr.example/fhir"'],
    ['http://localhost:8080/fhirish/x', 'http://localhost:8080/fhirish/x'],
    ['http://localhost:8081/fhir/x', 'http://localhost:8081/fhir/x'],
  ])('%s', (input, out) => expect(rewriteUrls(input, bases, 'https://ehr.example/fhir')).toBe(out));
});

describe('façade CapabilityStatement', () => {
  test('moves the implementation URL and adds the SMART security block', () => {
    const cs = facadeCapabilityStatement(
      {
        resourceType: 'CapabilityStatement',
        status: 'active',
        date: '2026',
        kind: 'instance',
        fhirVersion: '4.0.1',
        format: ['json'],
        implementation: { description: 'HAPI', url: 'http://localhost:8080/fhir' },
        rest: [{ mode: 'server' }],
      },
      'https://ehr.example',
    );
    expect(cs.implementation!.url).toBe('https://ehr.example/fhir');
    const sec = cs.rest![0]!.security!;
    expect(sec.service![0]!.coding![0]!.code).toBe('SMART-on-FHIR');
    const ext = sec.extension!.find((e) => e.url === OAUTH_URIS)!;
    expect(Object.fromEntries(ext.extension!.map((e) => [e.url, e.valueUri]))).toEqual({
      authorize: 'https://ehr.example/oauth/authorize',
      token: 'https://ehr.example/oauth/token',
      introspect: 'https://ehr.example/oauth/introspect',
      revoke: 'https://ehr.example/oauth/revoke',
    });
  });
});
