import type { Principal } from '../../core/auth/principal';
import { AUTHOR_USER_EXT } from './note-authorship';
import { NOTE_TEMPLATES } from './note-templates';
import { noteView } from './note-view';

const who = (o: Partial<Principal>): Principal =>
  ({ userId: 'user-1', username: 'u', role: 'physician', tokenId: 't', tokenExpiresAt: 0, ...o }) as Principal;

const doc = (o: Partial<fhir4.DocumentReference> = {}): fhir4.DocumentReference => ({
  resourceType: 'DocumentReference',
  id: 'd1',
  meta: { versionId: '3' },
  status: 'current',
  docStatus: 'preliminary',
  description: 'Progress note',
  subject: { reference: 'Patient/p9' },
  content: [],
  author: [{ reference: 'Practitioner/p1', display: 'Dr. One' }],
  context: { related: [{ reference: 'Composition/c1' }] },
  extension: [
    { url: AUTHOR_USER_EXT, valueString: 'user-1' },
    { url: 'urn:wintehr:note-template', valueString: 'progress-soap' },
  ],
  ...o,
});

describe('note view', () => {
  it('lets only the draft author with write permission edit a draft', () => {
    expect(noteView(doc(), who({})).editable).toBe(true);
    expect(noteView(doc(), who({ userId: 'user-2' })).editable).toBe(false);
    expect(noteView(doc(), who({ role: 'patient' })).editable).toBe(false);
    expect(noteView(doc({ docStatus: 'final' }), who({})).editable).toBe(false);
  });

  it('names the note, its patient, author and composition; sections need the template', () => {
    const v = noteView(doc(), who({}));
    expect(v).toMatchObject({
      id: 'd1',
      version: '3',
      template: 'progress-soap',
      patientId: 'p9',
      author: 'Practitioner/p1',
      authorName: 'Dr. One',
      compositionId: 'c1',
    });
    expect(v.signedBy).toBeUndefined();
    const comp = { resourceType: 'Composition', section: [] } as unknown as fhir4.Composition;
    expect(noteView(doc(), who({}), comp).sections).toBeUndefined();
    expect(noteView(doc(), who({}), comp, NOTE_TEMPLATES['progress-soap'])).toHaveProperty('sections');
  });

  it('names signer and signing time of a signed note', () => {
    const signed = doc({ docStatus: 'final', authenticator: { reference: 'Practitioner/p1', display: 'Dr. One' } });
    const comp = {
      resourceType: 'Composition',
      attester: [{ mode: 'legal', time: '2026-12-04T10:00:00Z' }],
    } as unknown as fhir4.Composition;
    expect(noteView(signed, who({}), comp)).toMatchObject({
      signedBy: 'Practitioner/p1',
      signedByName: 'Dr. One',
      signedAt: '2026-12-04T10:00:00Z',
    });
  });
});
