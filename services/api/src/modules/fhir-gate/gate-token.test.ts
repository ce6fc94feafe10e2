import type { SmartContext } from '../../core/auth/smart-token';
import { gateTokenOf } from './gate-token';

const base: SmartContext = {
  kind: 'user',
  clientId: 'app',
  scopes: [],
  userId: 'u1',
  username: 'u',
  role: 'patient',
  fhirUser: 'Patient/p1',
  patientId: 'p1',
  tokenId: 'j',
  expiresAt: 0,
};
const ctx = (o: Partial<SmartContext>): SmartContext => ({ ...base, ...o });

describe('gateTokenOf', () => {
  test.each([
    ['patient token of a patient user', ctx({ scopes: ['launch/patient', 'patient/*.rs'] }), 'patient'],
    [
      'patient token of a physician',
      ctx({ role: 'physician', fhirUser: 'Practitioner/x', patientId: 'p9', scopes: ['patient/Observation.rs'] }),
      'patient',
    ],
    [
      'user token',
      ctx({ role: 'physician', fhirUser: 'Practitioner/x', patientId: undefined, scopes: ['user/*.rs', 'openid'] }),
      'user',
    ],
    [
      'system token',
      { kind: 'system', clientId: 'b', scopes: ['system/*.rs'], tokenId: 'j', expiresAt: 0 } as SmartContext,
      'system',
    ],
  ])('%s → %s', (_n, c, mode) => {
    const r = gateTokenOf(c);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.token.mode).toBe(mode);
  });

  test.each([
    ['mixed patient/user', ctx({ scopes: ['patient/*.rs', 'user/Observation.rs'] }), /mixes/],
    ['mixed user/system', ctx({ role: 'physician', scopes: ['user/*.rs', 'system/*.rs'] }), /mixes/],
    ['no resource scopes', ctx({ scopes: ['openid', 'fhirUser'] }), /no FHIR resource scopes/],
    ['malformed scope', ctx({ scopes: ['patient/Observation.sr'] }), /malformed/],
    ['patient/ without a patient', ctx({ patientId: undefined, scopes: ['patient/*.rs'] }), /patient in context/],
    ['patient/ with an invalid patient id', ctx({ patientId: 'a b', scopes: ['patient/*.rs'] }), /patient in context/],
    [
      'patient user launched into another record',
      ctx({ patientId: 'p2', scopes: ['patient/*.rs'] }),
      /signed-in patient/,
    ],
    ['system/ scopes on a user token', ctx({ scopes: ['system/*.rs'] }), /Backend Services/],
    [
      'user/ scopes on a system token',
      { kind: 'system', clientId: 'b', scopes: ['user/*.rs'], tokenId: 'j', expiresAt: 0 } as SmartContext,
      /user token/,
    ],
    ['user token without a role', ctx({ role: undefined, scopes: ['user/*.rs'] }), /user and role/],
  ])('refuses %s', (_n, c, why) => {
    const r = gateTokenOf(c);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(why);
  });

  test('the principal of a user token carries practitioner and own-patient ids', () => {
    const r = gateTokenOf(
      ctx({ role: 'physician', fhirUser: 'Practitioner/pr1', patientId: undefined, scopes: ['user/*.rs'] }),
    );
    expect(r.ok && r.token.principal).toMatchObject({
      userId: 'u1',
      role: 'physician',
      practitionerId: 'pr1',
      clientId: 'app',
    });
    const p = gateTokenOf(ctx({ scopes: ['patient/*.rs'] }));
    expect(p.ok && p.token.principal).toMatchObject({ role: 'patient', patientId: 'p1' });
  });
});
