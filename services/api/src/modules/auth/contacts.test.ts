import { contactsOf, destinationsOf, maskEmail, maskPhone, toE164 } from './contacts';

describe('patient contacts', () => {
  it('normalises phone numbers to E.164 or refuses them', () => {
    expect(toE164('(555) 555-0123')).toBe('+15555550123');
    expect(toE164('1-555-555-0123')).toBe('+15555550123');
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
    expect(toE164('555-0123')).toBeUndefined();
    expect(toE164('+0123')).toBeUndefined();
  });

  it('takes the best-ranked live email and a mobile number, ignoring ended and landline entries', () => {
    const c = contactsOf(
      {
        telecom: [
          { system: 'email', value: 'old@example.org', period: { end: '2020-01-01' } },
          { system: 'email', value: 'Second@Example.org', rank: 2 },
          { system: 'email', value: 'first@example.org', rank: 1 },
          { system: 'phone', use: 'home', value: '555-555-0100' },
          { system: 'phone', use: 'mobile', value: '(555) 555-0123' },
        ],
      },
      new Date('2026-12-04T00:00:00Z'),
    );
    expect(c).toEqual({ email: 'first@example.org', sms: '+15555550123' });
    expect(contactsOf({ telecom: [{ system: 'phone', use: 'home', value: '555-555-0100' }] })).toEqual({});
    expect(contactsOf({})).toEqual({});
  });

  it('masks addresses and numbers', () => {
    expect(maskEmail('maria.garcia@example.org')).toBe('m***@example.org');
    expect(maskPhone('+15555551234')).toBe('***-***-1234');
    expect(destinationsOf({ email: 'a@b.io', sms: '+15555551234' }).map((d) => d.sentTo)).toEqual([
      'a***@b.io',
      '***-***-1234',
    ]);
  });
});
