import { cosignTask, withCosigner } from './cosign';

describe('note co-signature', () => {
  test('the co-signer joins the attesters as professional; the legal signature stays first', () => {
    const comp: fhir4.Composition = {
      resourceType: 'Composition',
      status: 'final',
      type: { text: 'Progress note' },
      date: '2026-12-04',
      author: [{ reference: 'Practitioner/a' }],
      title: 'Progress',
      attester: [{ mode: 'legal', time: '2026-12-04T09:00:00Z', party: { reference: 'Practitioner/a' } }],
    };
    const out = withCosigner(comp, { reference: 'Practitioner/b' }, '2026-12-04T10:00:00Z');
    expect(out.attester).toEqual([
      comp.attester![0],
      { mode: 'professional', time: '2026-12-04T10:00:00Z', party: { reference: 'Practitioner/b' } },
    ]);
    expect(comp.attester).toHaveLength(1);
  });

  test('the co-sign Task is owned by the co-signer and points at the note', () => {
    const t = cosignTask({
      docId: 'd1',
      patientId: 'p1',
      title: 'Progress note',
      requesterPractitionerId: 'a',
      cosignerPractitionerId: 'b',
      now: new Date('2026-12-04T10:00:00Z'),
    });
    expect(t).toMatchObject({
      status: 'requested',
      code: { coding: [{ code: 'note-cosign' }] },
      owner: { reference: 'Practitioner/b' },
      requester: { reference: 'Practitioner/a' },
      focus: { reference: 'DocumentReference/d1' },
      description: 'Co-sign: Progress note',
    });
  });
});
