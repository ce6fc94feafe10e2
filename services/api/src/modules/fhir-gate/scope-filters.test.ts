import { parseScopes } from '../../core/auth/smart-scopes';
import { admittedByAny, tokenMatches } from './scope-filters';

const SYS = 'http://terminology.hl7.org/CodeSystem/observation-category';
const obs = (code: string, system = SYS) => ({
  resourceType: 'Observation',
  status: 'final',
  category: [{ coding: [{ system, code }] }],
});
const scopes = (s: string) => parseScopes(s).resourceScopes;

describe('granular scope filters', () => {
  test.each([
    [{ code: 'a', system: 's' }, 's|a', true],
    [{ code: 'a', system: 's' }, 'a', true],
    [{ code: 'a', system: 's' }, '|a', false],
    [{ code: 'a' }, '|a', true],
    [{ code: 'a', system: 's' }, 's|', true],
    [{ code: 'a', system: 's' }, 't|a', false],
  ])('tokenMatches(%j, %s) = %s', (c, v, ok) => expect(tokenMatches(c, v)).toBe(ok));

  test.each([
    ['patient/Observation.rs', obs('vital-signs'), true],
    [`patient/Observation.rs?category=${SYS}|laboratory`, obs('laboratory'), true],
    [`patient/Observation.rs?category=${SYS}|laboratory`, obs('vital-signs'), false],
    [`patient/Observation.rs?category=${SYS}|laboratory`, obs('laboratory', 'http://other'), false],
    ['patient/Observation.rs?category=laboratory', obs('laboratory', 'http://other'), true],
    ['patient/Observation.rs?category=laboratory,vital-signs', obs('vital-signs'), true],
    ['patient/Observation.rs?category=laboratory&status=final', obs('laboratory'), true],
    ['patient/Observation.rs?category=laboratory&status=amended', obs('laboratory'), false],
    ['patient/Observation.rs?category=laboratory', { resourceType: 'Observation' }, false],
    ['patient/Observation.rs?value-quantity=5', obs('laboratory'), false],
    [
      'patient/Observation.rs?category=laboratory patient/Observation.rs?category=vital-signs',
      obs('vital-signs'),
      true,
    ],
  ])('%s admits %j: %s', (s, r, ok) => expect(admittedByAny(r, scopes(s))).toBe(ok));
});
