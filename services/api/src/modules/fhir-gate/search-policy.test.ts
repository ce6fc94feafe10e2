import { checkResultParam, compartmentElements, rewritePatientSearch, SEARCH_POLICIES } from './search-policy';

const A = 'pat-a';
const KEEP = compartmentElements('Observation');
const rw = (type: string, q: string) =>
  rewritePatientSearch(
    type,
    [...new URLSearchParams(q).entries()] as Array<[string, string]>,
    A,
    compartmentElements(type),
  );

describe('rewritePatientSearch: accepted and rewritten', () => {
  test.each([
    ['Observation', '', [['patient', `Patient/${A}`]]],
    [
      'Observation',
      `patient=${A}`,
      [
        ['patient', A],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      `patient=Patient/${A}&category=laboratory`,
      [
        ['patient', `Patient/${A}`],
        ['category', 'laboratory'],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      `subject=Patient/${A}`,
      [
        ['subject', `Patient/${A}`],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      `subject:Patient=${A}`,
      [
        ['subject:Patient', A],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      'performer=Practitioner/p1',
      [
        ['performer', 'Practitioner/p1'],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      'code:text=glucose&_count=10&_sort=-date',
      [
        ['code:text', 'glucose'],
        ['_count', '10'],
        ['_sort', '-date'],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      'category:missing=false',
      [
        ['category:missing', 'false'],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      'encounter:Encounter=e1',
      [
        ['encounter:Encounter', 'e1'],
        ['patient', `Patient/${A}`],
      ],
    ],
    ['Observation', '_format=json&_pretty=true', [['patient', `Patient/${A}`]]],
    ['Observation', '_format=application/fhir+json', [['patient', `Patient/${A}`]]],
    [
      'Observation',
      '_include=Observation:performer',
      [
        ['_include', 'Observation:performer'],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      '_summary=count',
      [
        ['_summary', 'count'],
        ['patient', `Patient/${A}`],
      ],
    ],
    [
      'Observation',
      '_id=o1',
      [
        ['_id', 'o1'],
        ['patient', `Patient/${A}`],
      ],
    ],
    ['Patient', '', [['_id', A]]],
    [
      'Patient',
      `_id=${A}`,
      [
        ['_id', A],
        ['_id', A],
      ],
    ],
    [
      'Patient',
      'name=smith',
      [
        ['name', 'smith'],
        ['_id', A],
      ],
    ],
    [
      'Patient',
      '_revinclude=Provenance:target',
      [
        ['_revinclude', 'Provenance:target'],
        ['_id', A],
      ],
    ],
    [
      'Condition',
      'clinical-status=active',
      [
        ['clinical-status', 'active'],
        ['patient', `Patient/${A}`],
      ],
    ],
    ['Practitioner', 'name=jones', [['name', 'jones']]],
    ['Medication', 'code=123', [['code', '123']]],
  ])('%s?%s', (type, q, expected) => {
    const r = rw(type, q);
    expect(r).toEqual({ ok: true, params: expected });
  });

  test('_elements keeps the fields the response check reads', () => {
    const r = rw('Observation', '_elements=code,valueQuantity');
    expect(r.ok).toBe(true);
    const el = r.ok ? r.params.find(([k]) => k === '_elements')![1].split(',') : [];
    expect(el).toEqual(expect.arrayContaining(['code', 'valueQuantity', ...KEEP]));
    expect(el).toContain('subject');
    expect(el).toContain('performer');
  });
});

describe('rewritePatientSearch: refused', () => {
  test.each([
    ['Observation', 'patient=pat-b', /patient in context/],
    ['Observation', 'patient=Patient/pat-b', /patient in context/],
    ['Observation', `patient=${A},pat-b`, /one patient/],
    ['Observation', `patient=${A},${A}`, /one patient/],
    ['Observation', 'subject=Patient/pat-b', /patient in context/],
    ['Observation', 'subject=pat-b', /patient in context/],
    ['Observation', 'subject:Patient=pat-b', /patient in context/],
    ['Observation', 'performer=Patient/pat-b', /patient in context/],
    ['Observation', 'patient:missing=true', /modifier :missing/],
    ['Observation', 'subject:missing=true', /modifier :missing/],
    ['Observation', 'patient:identifier=urn:x|1', /modifier :identifier/],
    ['Observation', 'patient.name=smith', /chained/],
    ['Observation', 'subject:Patient.name=smith', /chained/],
    ['Observation', 'encounter.status=finished', /chained/],
    ['Patient', '_has:Observation:patient:code=1', /_has/],
    ['Patient', '_id=pat-b', /_id must be/],
    ['Patient', `_id=${A},pat-b`, /_id must be/],
    ['Patient', 'link=Patient/pat-b', /not allowed on Patient/],
    ['Patient', '_revinclude=Observation:subject', /_revinclude=Observation:subject/],
    ['Observation', '_include=*', /_include=\*/],
    ['Observation', '_include=Observation:has-member', /_include/],
    ['Observation', '_include:iterate=Observation:patient', /not allowed/],
    ['Observation', '_format=xml', /JSON/],
    ['Observation', '_format=application/fhir+xml', /JSON/],
    ['Observation', '_summary=text', /_summary/],
    ['Observation', '_elements=subject.reference', /_elements/],
    ['Observation', '_count=1001', /_count/],
    ['Observation', '_count=-1', /_count/],
    ['Observation', '_sort=patient.name', /_sort/],
    ['Observation', '_sort=foo', /_sort/],
    ['Observation', '_total=all', /_total/],
    ['Observation', 'foo=bar', /not allowed on Observation/],
    ['Observation', '_filter=x eq 1', /not allowed/],
    ['Observation', '_content=x', /not allowed/],
    ['Observation', '_text=x', /not allowed/],
    ['Observation', '_list=x', /not allowed/],
    ['Observation', '_query=x', /not allowed/],
    ['Observation', '_type=Patient', /not allowed/],
    ['Observation', '_contained=true', /not allowed/],
    ['Observation', '_security=x', /not allowed/],
    ['Observation', 'code:weird=1', /modifier :weird/],
    ['Observation', 'code:Patient=1', /not allowed/],
    ['Observation', 'a:b:c=1', /not understood/],
    ['Group', 'member=x', /not supported/],
    ['AuditEvent', '', /not supported/],
    ['Practitioner', '_has:Encounter:participant:patient=pat-b', /_has/],
    ['Practitioner', '_revinclude=Observation:performer', /_revinclude/],
  ])('%s?%s', (type, q, why) => {
    const r = rw(type, q);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(why);
  });
});

describe('policy data', () => {
  test('every compartment policy forces the patient, reference data forces nothing', () => {
    for (const [type, p] of Object.entries(SEARCH_POLICIES)) {
      if (['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication'].includes(type))
        expect(p.force).toBeUndefined();
      else expect(p.force).toBeDefined();
      for (const inc of [...p.includes, ...p.revincludes]) expect(inc).toMatch(/^[A-Z][A-Za-z]+:[a-z-]+$/);
    }
  });
  test.each([
    ['_count', '50', undefined],
    ['_count', 'x', /_count/],
    ['_format', 'json', undefined],
    ['_format', 'html', /JSON/],
    ['_pretty', 'yes', /_pretty/],
    ['_summary', 'data', undefined],
    ['_elements', 'id,code', undefined],
    ['_offset', '10', undefined],
  ])('checkResultParam %s=%s', (k, v, bad) => {
    const r = checkResultParam(k, v);
    if (bad) expect(r).toMatch(bad);
    else expect(r).toBeUndefined();
  });
});
