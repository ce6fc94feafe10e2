import {
  applyConsent,
  checkRequestedScopes,
  checkRoleScopes,
  covers,
  describeScope,
  narrowingOptions,
  needsPatient,
  parseScope,
  parseScopeString,
  type ParsedScope,
} from './scope-policy';

const p = (s: string) => parseScope(s)!;
const many = (s: string) => {
  const r = parseScopeString(s);
  if (!r.ok) throw new Error(r.bad);
  return r.scopes;
};
const LAB = 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
const VITALS = 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs';

describe('scope syntax (SMART v1 and v2)', () => {
  it.each([
    'patient/Observation.read',
    'patient/Observation.rs',
    'user/*.cruds',
    'system/*.rs',
    'user/Patient.*',
    'patient/Condition.write',
    LAB,
    'launch',
    'launch/patient',
    'openid',
    'fhirUser',
    'offline_access',
    'online_access',
  ])('accepts %s', (s) => {
    expect(parseScope(s)).toBeDefined();
  });
  it.each([
    'patient/Observation.sr',
    'patient/Observation.rr',
    'patient/observation.rs',
    'admin/*.rs',
    'patient/Observation',
    'patient/Observation.read?category=x',
    'launch/other',
    'patient/*.rs?',
    '',
  ])('rejects %s', (s) => {
    expect(parseScope(s)).toBeUndefined();
  });
  it('normalises v1 permissions to v2 letters', () => {
    expect(p('patient/Observation.read')).toMatchObject({ permissions: 'rs' });
    expect(p('user/*.write')).toMatchObject({ permissions: 'cud' });
    expect(p('user/*.*')).toMatchObject({ permissions: 'cruds' });
  });
  it('names the first malformed scope of a string and drops duplicates', () => {
    expect(parseScopeString('openid patient/X.zz launch')).toEqual({ ok: false, bad: 'patient/X.zz' });
    expect(many('openid openid').length).toBe(1);
  });
});

describe('what a client may request', () => {
  it('covers by context, type, permission subset and granular query', () => {
    expect(covers(p('patient/*.rs'), p('patient/Observation.read'))).toBe(true);
    expect(covers(p('patient/*.rs'), p(LAB))).toBe(true);
    expect(covers(p('patient/*.rs'), p('patient/Observation.cruds'))).toBe(false);
    expect(covers(p('patient/*.rs'), p('user/Observation.rs'))).toBe(false);
    expect(covers(p(LAB), p('patient/Observation.rs'))).toBe(false);
    expect(covers(p('launch'), p('launch/patient'))).toBe(false);
  });
  it('refuses scopes the client was not registered for, system/ at authorize, mixed patient/user, empty', () => {
    const allowed = ['openid', 'launch/patient', 'patient/*.rs', 'user/*.rs', 'system/*.rs'];
    expect(checkRequestedScopes(many('openid patient/Observation.rs'), allowed, 'authorization_code').ok).toBe(true);
    expect(checkRequestedScopes(many('fhirUser'), allowed, 'authorization_code').ok).toBe(false);
    expect(checkRequestedScopes(many('system/*.rs'), allowed, 'authorization_code').ok).toBe(false);
    expect(checkRequestedScopes(many('patient/*.rs user/*.rs'), allowed, 'authorization_code').ok).toBe(false);
    expect(checkRequestedScopes([], allowed, 'authorization_code').ok).toBe(false);
  });
  it('Backend Services: system/ only', () => {
    expect(checkRequestedScopes(many('system/*.rs'), ['system/*.rs'], 'client_credentials').ok).toBe(true);
    expect(checkRequestedScopes(many('system/*.rs openid'), ['system/*.rs', 'openid'], 'client_credentials').ok).toBe(
      false,
    );
  });
  it('role rule: a patient grants patient/ only; staff anything', () => {
    expect(checkRoleScopes('patient', many('openid patient/*.rs')).ok).toBe(true);
    expect(checkRoleScopes('patient', many('user/*.rs')).ok).toBe(false);
    expect(checkRoleScopes('nurse', many('user/*.rs')).ok).toBe(true);
  });
  it('a patient is needed for patient/ scopes and launch/patient', () => {
    expect(needsPatient(many('openid user/*.rs'))).toBe(false);
    expect(needsPatient(many('launch/patient'))).toBe(true);
    expect(needsPatient(many('patient/Observation.rs'))).toBe(true);
  });
});

describe('consent narrowing', () => {
  const requested = many(`launch/patient openid patient/Observation.rs patient/Patient.rs patient/Condition.rs`);
  it('offers categories only for searchable, read-only, not yet granular scopes', () => {
    expect(narrowingOptions(p('patient/Observation.rs')).map((o) => o.code)).toContain('laboratory');
    expect(narrowingOptions(p('patient/Observation.cruds'))).toEqual([]);
    expect(narrowingOptions(p(LAB))).toEqual([]);
    expect(narrowingOptions(p('patient/Patient.rs'))).toEqual([]);
  });
  it('unticking removes a scope; narrowing replaces it with one granular scope per category', () => {
    const granted = applyConsent(requested, {
      granted: ['launch/patient', 'patient/Observation.rs', 'patient/Condition.rs'],
      narrowed: { 'patient/Observation.rs': ['laboratory', 'vital-signs'] },
    });
    expect(granted).toEqual(['launch/patient', LAB, VITALS, 'patient/Condition.rs']);
  });
  it('a form cannot add scopes or invent categories', () => {
    const granted = applyConsent(requested, {
      granted: ['patient/*.cruds', 'patient/Observation.rs'],
      narrowed: { 'patient/Observation.rs': ['made-up'] },
    });
    expect(granted).toEqual(['patient/Observation.rs']);
  });
  it('describes scopes for people', () => {
    expect(describeScope(p('patient/Observation.rs'))).toBe("read, search the selected patient's Observation");
    expect(describeScope(p('offline_access') as ParsedScope)).toMatch(/offline/);
  });
});
