import { fhirServerAllowed } from './prefetch';

describe('fhirServerAllowed', () => {
  const allowed = ['https://ehr.example.org/fhir', 'http://127.0.0.1:8080/fhir/'];
  it.each([
    ['https://ehr.example.org/fhir', true],
    ['https://ehr.example.org/fhir/', true],
    ['https://ehr.example.org/fhir/R4', true],
    ['http://127.0.0.1:8080/fhir', true],
    ['https://ehr.example.org/fhirx', false],
    ['https://ehr.example.org.evil.test/fhir', false],
    ['https://ehr.example.org', false],
    ['http://169.254.169.254/latest/meta-data', false],
    ['http://127.0.0.1:8081/fhir', false],
  ])('%s → %s', (url, ok) => {
    expect(fhirServerAllowed(url, allowed)).toBe(ok);
  });
  it('"*" allows any server; an empty list none', () => {
    expect(fhirServerAllowed('http://anything.test/fhir', ['*'])).toBe(true);
    expect(fhirServerAllowed('http://anything.test/fhir', [])).toBe(false);
  });
});
