import { AUTHOR_USER_EXT, authorOf, isDraftAuthor, signatureOf } from './note-authorship';

const draft = (o: Partial<fhir4.DocumentReference> = {}): fhir4.DocumentReference => ({
  resourceType: 'DocumentReference',
  status: 'current',
  docStatus: 'preliminary',
  content: [],
  author: [{ reference: 'Practitioner/p1', display: 'Dr. One' }],
  extension: [{ url: AUTHOR_USER_EXT, valueString: 'user-1' }],
  ...o,
});

describe('note authorship', () => {
  it('gives a draft to the user who wrote it, not to others sharing the Practitioner', () => {
    expect(isDraftAuthor(draft(), { userId: 'user-1', practitionerId: 'p1' })).toBe(true);
    expect(isDraftAuthor(draft(), { userId: 'user-2', practitionerId: 'p1' })).toBe(false);
    expect(isDraftAuthor(draft(), { userId: 'user-2' })).toBe(false);
  });

  it('falls back to the author Practitioner for notes without the user extension; nobody owns an authorless draft', () => {
    const old = draft({ extension: [] });
    expect(isDraftAuthor(old, { userId: 'x', practitionerId: 'p1' })).toBe(true);
    expect(isDraftAuthor(old, { userId: 'x', practitionerId: 'p2' })).toBe(false);
    expect(isDraftAuthor(old, { userId: 'x' })).toBe(false);
    expect(isDraftAuthor(draft({ extension: [], author: undefined }), { userId: 'x', practitionerId: 'p1' })).toBe(
      false,
    );
  });

  it('keeps the author when a draft is rewritten', () => {
    expect(authorOf(draft())).toEqual({ reference: 'Practitioner/p1', display: 'Dr. One', userId: 'user-1' });
  });

  it('names signer and signing time of signed notes only', () => {
    const comp = {
      attester: [
        { mode: 'legal', time: '2026-12-04T10:00:00Z', party: { reference: 'Practitioner/p1', display: 'Dr. One' } },
      ],
    } as fhir4.Composition;
    expect(signatureOf(draft(), comp)).toBeUndefined();
    const signed = draft({ docStatus: 'final', authenticator: { reference: 'Practitioner/p1', display: 'Dr. One' } });
    expect(signatureOf(signed, comp)).toEqual({ by: 'Practitioner/p1', byName: 'Dr. One', at: '2026-12-04T10:00:00Z' });
    expect(signatureOf(signed)).toEqual({ by: 'Practitioner/p1', byName: 'Dr. One', at: undefined });
  });
});
