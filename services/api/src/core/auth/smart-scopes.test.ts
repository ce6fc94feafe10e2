import {
  allows,
  allowsUnfiltered,
  filterValueNarrowerOrEqual,
  formatScope,
  isMixedContext,
  isNarrowerOrEqual,
  parseScope,
  parseScopes,
  scopeErrorMessage,
  singleContext,
  type ResourceScope,
} from './smart-scopes';

const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';

function resource(raw: string): ResourceScope {
  const p = parseScope(raw);
  if (!p.ok || 'special' in p.scope) throw new Error(`not a resource scope: ${raw}`);
  return p.scope;
}
const letters = (s: ResourceScope) => ['c', 'r', 'u', 'd', 's'].filter((l) => s.interactions.has(l as never)).join('');

describe('parseScope: valid resource scopes', () => {
  test.each([
    // raw, context, type, letters, filters, version
    ['patient/Observation.read', 'patient', 'Observation', 'rs', {}, 1],
    ['patient/Observation.write', 'patient', 'Observation', 'cud', {}, 1],
    ['patient/Observation.*', 'patient', 'Observation', 'cruds', {}, 1],
    ['user/*.read', 'user', '*', 'rs', {}, 1],
    ['system/*.*', 'system', '*', 'cruds', {}, 1],
    ['patient/Observation.rs', 'patient', 'Observation', 'rs', {}, 2],
    ['patient/Observation.r', 'patient', 'Observation', 'r', {}, 2],
    ['patient/Observation.s', 'patient', 'Observation', 's', {}, 2],
    ['user/*.cruds', 'user', '*', 'cruds', {}, 2],
    ['system/*.rs', 'system', '*', 'rs', {}, 2],
    ['user/MedicationRequest.cu', 'user', 'MedicationRequest', 'cu', {}, 2],
    ['patient/Condition.d', 'patient', 'Condition', 'd', {}, 2],
    [`patient/Observation.rs?category=${LAB}`, 'patient', 'Observation', 'rs', { category: [LAB] }, 2],
    ['patient/Observation.rs?category=laboratory', 'patient', 'Observation', 'rs', { category: ['laboratory'] }, 2],
    [
      'patient/Observation.rs?category=laboratory,vital-signs',
      'patient',
      'Observation',
      'rs',
      { category: ['laboratory', 'vital-signs'] },
      2,
    ],
    [
      'patient/Observation.rs?category=laboratory&status=final',
      'patient',
      'Observation',
      'rs',
      { category: ['laboratory'], status: ['final'] },
      2,
    ],
    [
      'patient/Observation.rs?category=http%3A%2F%2Fx%7Clab',
      'patient',
      'Observation',
      'rs',
      { category: ['http://x|lab'] },
      2,
    ],
    ['patient/Condition.rs?code:in=http://vs', 'patient', 'Condition', 'rs', { 'code:in': ['http://vs'] }, 2],
  ])('%s', (raw, context, type, l, filters, version) => {
    const s = resource(raw);
    expect(s.raw).toBe(raw);
    expect(s.context).toBe(context);
    expect(s.resourceType).toBe(type);
    expect(letters(s)).toBe(l);
    expect(s.filters).toEqual(filters);
    expect(s.version).toBe(version);
  });
});

describe('parseScope: malformed scopes are errors', () => {
  test.each([
    ['patient/Observation', /permissions/],
    ['patient/Observation.', /not read, write/],
    ['patient/Observation.sr', /in that order/],
    ['patient/Observation.rr', /in that order/],
    ['patient/Observation.x', /not read, write/],
    ['patient/Observation.READ', /not read, write/],
    ['patient/Observation.readwrite', /not read, write/],
    ['doctor/Observation.rs', /unknown context/],
    ['Patient/Observation.rs', /unknown context/],
    ['patient/observation.rs', /not a resource type/],
    ['patient/Obs-ervation.rs', /not a resource type/],
    ['patient/.rs', /not a resource type/],
    ['patient/**.rs', /not a resource type/],
    ['patient/Observation.read?category=laboratory', /v2 permissions/],
    ['patient/Observation.rs?', /empty granular/],
    ['patient/Observation.rs?category', /name=value/],
    ['patient/Observation.rs?category=', /no value/],
    ['patient/Observation.rs?=laboratory', /name=value/],
    ['patient/Observation.rs?category=a,,b', /empty or invalid/],
    ['patient/Observation.rs?category=a&category=b', /twice/],
    ['patient/Observation.rs?_id=1', /cannot restrict/],
    ['patient/Observation.rs?Category=lab', /not a search parameter/],
    ['patient/Observation.rs?category=%E0%A4%A', /no value/],
    ['launch/other', /unknown context/],
    ['offline', /unknown scope/],
    ['profile', /unknown scope/],
  ])('%s', (raw, why) => {
    const p = parseScope(raw);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toMatch(why);
  });
});

describe('parseScopes', () => {
  test('special scopes set the launch flags', () => {
    const p = parseScopes(
      'launch launch/patient launch/encounter openid fhirUser offline_access online_access patient/*.rs',
    );
    expect(p.errors).toEqual([]);
    expect(p.special).toEqual([
      'launch',
      'launch/patient',
      'launch/encounter',
      'openid',
      'fhirUser',
      'offline_access',
      'online_access',
    ]);
    expect(p.launch).toEqual({
      launch: true,
      launchPatient: true,
      launchEncounter: true,
      openid: true,
      fhirUser: true,
      offlineAccess: true,
      onlineAccess: true,
    });
    expect(p.resourceScopes.map((s) => s.raw)).toEqual(['patient/*.rs']);
  });

  test('flags are false when absent; extra whitespace and duplicates are ignored', () => {
    const p = parseScopes('  patient/Observation.rs   patient/Observation.rs\topenid ');
    expect(p.resourceScopes).toHaveLength(1);
    expect(p.launch.launch).toBe(false);
    expect(p.launch.openid).toBe(true);
  });

  test('every malformed scope is listed', () => {
    const p = parseScopes('patient/Observation.rs bogus user/Foo.xyz openid');
    expect(p.errors).toHaveLength(2);
    expect(scopeErrorMessage(p)).toMatch(/bogus: .*user\/Foo\.xyz: /);
    expect(p.resourceScopes).toHaveLength(1);
  });

  test('no error message when all parse', () => {
    expect(scopeErrorMessage(parseScopes('openid'))).toBeUndefined();
  });

  test('accepts an array (a token claim already split)', () => {
    expect(parseScopes(['system/*.rs', 'system/Patient.r']).resourceScopes).toHaveLength(2);
  });

  test('empty input', () => {
    const p = parseScopes('');
    expect(p).toMatchObject({ resourceScopes: [], special: [], errors: [] });
    expect(parseScopes(undefined).errors).toEqual([]);
  });
});

describe('contexts', () => {
  test.each([
    ['patient/*.rs launch/patient', 'patient', false],
    ['user/*.cruds openid fhirUser', 'user', false],
    ['system/*.rs', 'system', false],
    ['openid fhirUser', 'none', false],
    ['patient/*.rs user/Observation.rs', 'mixed', true],
    ['user/*.rs system/*.rs', 'mixed', true],
    ['patient/Observation.rs system/Patient.r', 'mixed', true],
  ])('%s → %s', (s, single, mixed) => {
    expect(singleContext(parseScopes(s))).toBe(single);
    expect(isMixedContext(parseScopes(s))).toBe(mixed);
  });
});

describe('allows', () => {
  const scopes = parseScopes(
    `patient/Patient.r patient/Observation.rs?category=${LAB} patient/Condition.read patient/MedicationRequest.c user/Encounter.rs`,
  );
  test.each([
    ['patient', 'Patient', 'r', ['patient/Patient.r']],
    ['patient', 'Patient', 's', []],
    ['patient', 'Observation', 's', [`patient/Observation.rs?category=${LAB}`]],
    ['patient', 'Observation', 'c', []],
    ['patient', 'Condition', 'r', ['patient/Condition.read']],
    ['patient', 'Condition', 's', ['patient/Condition.read']],
    ['patient', 'Condition', 'u', []],
    ['patient', 'MedicationRequest', 'c', ['patient/MedicationRequest.c']],
    ['patient', 'MedicationRequest', 'r', []],
    ['patient', 'Encounter', 'r', []],
    ['user', 'Encounter', 's', ['user/Encounter.rs']],
    ['system', 'Encounter', 's', []],
    ['patient', 'AllergyIntolerance', 'r', []],
  ] as const)('%s %s %s', (ctx, type, i, expected) => {
    expect(allows(scopes, ctx, type, i).map((s) => s.raw)).toEqual(expected);
  });

  test('wildcard type matches any type; several matches are all returned', () => {
    const p = parseScopes('patient/*.rs patient/Observation.r');
    expect(allows(p, 'patient', 'Observation', 'r').map((s) => s.raw)).toEqual([
      'patient/*.rs',
      'patient/Observation.r',
    ]);
    expect(allows(p.resourceScopes, 'patient', 'Goal', 's').map((s) => s.raw)).toEqual(['patient/*.rs']);
  });

  test('allowsUnfiltered tells whether a filter check is needed', () => {
    expect(allowsUnfiltered(allows(scopes, 'patient', 'Observation', 'r'))).toBe(false);
    expect(allowsUnfiltered(allows(scopes, 'patient', 'Condition', 'r'))).toBe(true);
    expect(allowsUnfiltered([])).toBe(false);
  });
});

describe('filterValueNarrowerOrEqual', () => {
  test.each([
    ['laboratory', 'laboratory', true],
    [LAB, 'laboratory', true],
    [LAB, LAB, true],
    ['laboratory', LAB, false],
    ['http://other|laboratory', LAB, false],
    ['vital-signs', 'laboratory', false],
    ['x|laboratoryx', 'laboratory', false],
  ])('%s ⊆ %s: %s', (g, r, expected) => expect(filterValueNarrowerOrEqual(g, r)).toBe(expected));
});

describe('isNarrowerOrEqual (consent)', () => {
  test.each([
    // granted, requested, expected
    ['patient/Observation.rs', 'patient/Observation.rs', true],
    [`patient/Observation.rs?category=${LAB}`, 'patient/Observation.rs', true],
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs', true],
    ['patient/Observation.rs', `patient/Observation.rs?category=${LAB}`, false],
    [`patient/Observation.rs?category=${LAB}`, 'patient/Observation.rs?category=laboratory', true],
    ['patient/Observation.rs?category=laboratory', `patient/Observation.rs?category=${LAB}`, false],
    ['patient/Observation.rs?category=laboratory', 'patient/Observation.rs?category=laboratory,vital-signs', true],
    ['patient/Observation.rs?category=laboratory,vital-signs', 'patient/Observation.rs?category=laboratory', false],
    ['patient/Observation.rs?category=laboratory&status=final', 'patient/Observation.rs?category=laboratory', true],
    ['patient/Observation.rs?status=final', 'patient/Observation.rs?category=laboratory', false],
    ['patient/Observation.r', 'patient/Observation.rs', true],
    ['patient/Observation.rs', 'patient/Observation.read', true],
    ['patient/Observation.read', 'patient/Observation.rs', true],
    ['patient/Observation.rs', 'patient/Observation.r', false],
    ['patient/Observation.cruds', 'patient/Observation.rs', false],
    ['patient/Observation.rs', 'patient/*.rs', true],
    ['patient/*.rs', 'patient/Observation.rs', false],
    ['user/Observation.rs', 'patient/Observation.rs', false],
    ['patient/Observation.rs', 'user/*.cruds', false],
    ['patient/Observation.rs patient/Condition.rs', 'patient/*.rs', true],
    ['patient/Observation.rs launch/patient', 'patient/*.rs launch/patient openid', true],
    ['patient/Observation.rs openid', 'patient/*.rs launch/patient', false],
    ['', 'patient/*.rs', true],
    [
      'patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs',
      'patient/Observation.rs',
      true,
    ],
    ['patient/Observation.rs bogus', 'patient/Observation.rs bogus', false],
    ['system/*.rs', 'system/*.*', true],
  ])('granted "%s" within requested "%s": %s', (g, r, expected) => {
    expect(isNarrowerOrEqual(g, r)).toBe(expected);
  });

  test('accepts parsed sets and arrays', () => {
    expect(
      isNarrowerOrEqual(['patient/Observation.rs?category=laboratory'], parseScopes('patient/Observation.rs')),
    ).toBe(true);
  });
});

describe('formatScope', () => {
  test.each([
    ['patient/Observation.read', 'patient/Observation.rs'],
    ['user/*.*', 'user/*.cruds'],
    [
      'patient/Observation.rs?category=laboratory,vital-signs',
      'patient/Observation.rs?category=laboratory,vital-signs',
    ],
  ])('%s → %s', (raw, out) => expect(formatScope(resource(raw))).toBe(out));
});
