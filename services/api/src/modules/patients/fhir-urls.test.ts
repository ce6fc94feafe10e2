import { rewriteBundleUrls, rewriteHapiUrl } from './fhir-urls';

describe('HAPI URL rewriting', () => {
  const facade = 'https://ehr.example.org/fhir';
  it("rewrites any host that serves HAPI's base path, keeping the rest of the path and the query", () => {
    expect(rewriteHapiUrl('http://localhost:8080/fhir/Patient/1', '/fhir', facade)).toBe(
      'https://ehr.example.org/fhir/Patient/1',
    );
    expect(rewriteHapiUrl('http://127.0.0.1:8080/fhir?_getpages=abc&_count=2', '/fhir', facade)).toBe(
      'https://ehr.example.org/fhir?_getpages=abc&_count=2',
    );
  });
  it('leaves relative and foreign URLs alone', () => {
    expect(rewriteHapiUrl('Patient/1', '/fhir', facade)).toBe('Patient/1');
    expect(rewriteHapiUrl('urn:uuid:1234', '/fhir', facade)).toBe('urn:uuid:1234');
    expect(rewriteHapiUrl('http://x.org/fhirstore/Patient/1', '/fhir', facade)).toBe(
      'http://x.org/fhirstore/Patient/1',
    );
  });
  it('rewrites bundle links and entry fullUrls', () => {
    const b: fhir4.Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'next', url: 'http://localhost:8080/fhir?_getpages=x' }],
      entry: [{ fullUrl: 'http://localhost:8080/fhir/Patient/1', resource: { resourceType: 'Patient', id: '1' } }],
    };
    const out = rewriteBundleUrls(b, '/fhir', facade);
    expect(out.link![0]!.url).toBe('https://ehr.example.org/fhir?_getpages=x');
    expect(out.entry![0]!.fullUrl).toBe('https://ehr.example.org/fhir/Patient/1');
    expect(JSON.stringify(out)).not.toContain('localhost:8080');
  });
});
