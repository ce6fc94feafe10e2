import { SocialHistoryBody } from '@wintehr/contracts';
import { kindOf, toSocialObservation, type SocialInput } from './social-history';

const parse = (x: unknown) => SocialHistoryBody.parse(x) as SocialInput;

describe('social history observations', () => {
  it('smoking status is LOINC 72166-2 with the SNOMED answer, category social-history', () => {
    const o = toSocialObservation(parse({ kind: 'smoking', status: 'never' }), 'p1');
    expect(o.code.coding![0]!.code).toBe('72166-2');
    expect(o.valueCodeableConcept!.coding![0]).toEqual({
      system: 'http://snomed.info/sct',
      code: '266919005',
      display: 'Never smoked tobacco',
    });
    expect(o.category![0]!.coding![0]!.code).toBe('social-history');
    expect(kindOf(o)).toBe('smoking');
  });
  it('alcohol use carries only the measures given (AUDIT-C score, drinks per day)', () => {
    const o = toSocialObservation(parse({ kind: 'alcohol', drinksPerDay: 3 }), 'p1');
    expect(o.component!.map((c) => c.code.coding![0]!.code)).toEqual(['74013-4']);
    expect(SocialHistoryBody.safeParse({ kind: 'alcohol' }).success).toBe(false);
    expect(SocialHistoryBody.safeParse({ kind: 'alcohol', auditC: 13 }).success).toBe(false);
  });
  it('substance use names the substance in the text', () => {
    const o = toSocialObservation(parse({ kind: 'substance-use', status: 'current', substance: 'cannabis' }), 'p1');
    expect(o.valueCodeableConcept!.text).toBe('Current drug user: cannabis');
    expect(kindOf(o)).toBe('substance-use');
  });
});
