import type { PatientAccess } from '../../core/auth/patient-access';
import type { SmartContext } from '../../core/auth/smart-token';
import { gateTokenOf } from './gate-token';
import { permissionsFor, ResourceChecker } from './resource-check';

/** PatientAccess stand-in: the user reaches exactly these patients (the real one is tested against PG and HAPI). */
const accessTo = (...ids: string[]) =>
  ({
    check: async (_p: unknown, id: string) =>
      ids.includes(id) ? { allowed: true, basis: 'assignment' } : { allowed: false, reason: 'no relationship' },
  }) as unknown as PatientAccess;

function checker(ctx: Partial<SmartContext>, access = accessTo()) {
  const t = gateTokenOf({
    kind: 'user',
    clientId: 'c',
    scopes: [],
    userId: 'u',
    role: 'patient',
    fhirUser: 'Patient/a',
    patientId: 'a',
    tokenId: 'j',
    expiresAt: 0,
    ...ctx,
  } as SmartContext);
  if (!t.ok) throw new Error(t.reason);
  return new ResourceChecker(t.token, access);
}
const obs = (pid: string, cat = 'laboratory') => ({
  resourceType: 'Observation',
  subject: { reference: `Patient/${pid}` },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: cat }] }],
});

describe('ResourceChecker.admit', () => {
  const patient = checker({ scopes: ['patient/Observation.rs', 'patient/Patient.r', 'patient/Practitioner.r'] });
  test.each([
    ['own Observation', obs('a'), ['s'], true],
    ["other patient's Observation", obs('b'), ['s'], false],
    ['own Patient', { resourceType: 'Patient', id: 'a' }, ['r'], true],
    ['other Patient', { resourceType: 'Patient', id: 'b' }, ['r'], false],
    ['Patient with search only (scope is r)', { resourceType: 'Patient', id: 'a' }, ['s'], false],
    ['Practitioner (reference data)', { resourceType: 'Practitioner', id: 'p' }, ['r'], true],
    ['Condition (no scope)', { resourceType: 'Condition', subject: { reference: 'Patient/a' } }, ['r', 's'], false],
    ['OperationOutcome', { resourceType: 'OperationOutcome' }, ['s'], true],
    ['no resource', undefined, ['s'], false],
  ])('patient token: %s', async (_n, r, i, ok) => {
    expect((await patient.admit(r as never, i as never)).ok).toBe(ok);
  });

  test('granular scopes filter by category', async () => {
    const lab = checker({
      scopes: ['patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory'],
    });
    expect((await lab.admit(obs('a'), ['s'])).ok).toBe(true);
    expect((await lab.admit(obs('a', 'vital-signs'), ['s'])).ok).toBe(false);
  });

  test('system tokens: scopes only', async () => {
    const sys = checker({
      kind: 'system',
      userId: undefined,
      role: undefined,
      fhirUser: undefined,
      patientId: undefined,
      scopes: ['system/Observation.rs'],
    });
    expect((await sys.admit(obs('b'), ['r'])).ok).toBe(true);
    expect((await sys.admit({ resourceType: 'Patient', id: 'b' }, ['r'])).ok).toBe(false);
  });

  test('user tokens: relationship per patient and role permission per type', async () => {
    const doc = checker(
      { role: 'physician', fhirUser: 'Practitioner/p', patientId: undefined, scopes: ['user/*.cruds'] },
      accessTo('a'),
    );
    expect((await doc.admit(obs('a'), ['r'])).ok).toBe(true);
    expect((await doc.admit(obs('b'), ['r'])).ok).toBe(false);
    expect((await doc.admit({ resourceType: 'Organization', id: 'o' }, ['r'])).ok).toBe(true);
    const lab = checker(
      { role: 'lab_technician', fhirUser: undefined, patientId: undefined, scopes: ['user/*.cruds'] },
      accessTo('a'),
    );
    expect(
      (await lab.admit({ resourceType: 'MedicationRequest', subject: { reference: 'Patient/a' } }, ['r'])).ok,
    ).toBe(false);
  });
});

describe('ResourceChecker.mayWrite', () => {
  const patient = checker({ scopes: ['patient/*.cruds'] });
  test.each([
    ['own Observation', obs('a'), 'Observation', 'c', true],
    ['Observation for another patient', obs('b'), 'Observation', 'c', false],
    [
      'own Observation naming another patient as performer',
      { ...obs('a'), performer: [{ reference: 'Patient/b' }] },
      'Observation',
      'c',
      false,
    ],
    ['body of another type', obs('a'), 'Condition', 'c', false],
    ['create a Patient', { resourceType: 'Patient', id: 'a' }, 'Patient', 'c', false],
    ['update own Patient', { resourceType: 'Patient', id: 'a' }, 'Patient', 'u', true],
    [
      'update own Patient linking another',
      { resourceType: 'Patient', id: 'a', link: [{ other: { reference: 'Patient/b' }, type: 'seealso' }] },
      'Patient',
      'u',
      false,
    ],
    ['reference data', { resourceType: 'Practitioner' }, 'Practitioner', 'c', false],
    [
      'subject by urn:uuid',
      { resourceType: 'Observation', subject: { reference: 'urn:uuid:1' } },
      'Observation',
      'c',
      false,
    ],
  ])('patient token: %s', async (_n, r, type, i, ok) => {
    expect((await patient.mayWrite(r as never, type, i as 'c' | 'u')).ok).toBe(ok);
  });

  test('user token writes need the role permission and a relationship with every named patient', async () => {
    const doc = checker(
      { role: 'physician', fhirUser: 'Practitioner/p', patientId: undefined, scopes: ['user/*.cruds'] },
      accessTo('a'),
    );
    expect((await doc.mayWrite(obs('a'), 'Observation', 'c')).ok).toBe(true);
    expect((await doc.mayWrite({ ...obs('a'), performer: [{ reference: 'Patient/b' }] }, 'Observation', 'c')).ok).toBe(
      false,
    );
    expect((await doc.mayWrite({ resourceType: 'Observation', code: {} }, 'Observation', 'c')).ok).toBe(false);
  });

  test.each([
    ['Observation', 'r', ['results:view']],
    ['Observation', 'c', ['results:create', 'vitals:record']],
    ['MedicationRequest', 'c', ['medication:prescribe']],
    ['Condition', 'u', ['patient:write']],
    ['Condition', 'd', ['patient:delete']],
    ['Condition', 's', ['patient:read']],
  ])('permissionsFor(%s, %s)', (type, i, perms) => expect(permissionsFor(type, i as never)).toEqual(perms));
});
