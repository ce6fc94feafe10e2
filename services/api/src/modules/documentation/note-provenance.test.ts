import { provenance } from './note-provenance';

const signer = { reference: 'Practitioner/p1', display: 'Dr. One' };
const now = '2026-12-04T10:00:00.000Z';

describe('note provenance', () => {
  it('records a signature over every target, naming the signer as attester', () => {
    const p = provenance(['DocumentReference/d1', 'Composition/c1'], signer, now, 'sign');
    expect(p.target).toEqual([{ reference: 'DocumentReference/d1' }, { reference: 'Composition/c1' }]);
    expect(p.activity?.coding?.[0]?.code).toBe('UPDATE');
    expect(p.agent[0]!.who).toEqual(signer);
    expect(p.agent[0]!.type?.coding?.[0]?.code).toBe('attester');
    const sig = p.signature![0]!;
    expect(sig.when).toBe(now);
    expect(Buffer.from(sig.data!, 'base64').toString()).toBe(
      `signed DocumentReference/d1,Composition/c1 by Practitioner/p1 at ${now}`,
    );
    expect(p.reason).toBeUndefined();
  });

  it('marks an amendment as a creation and keeps its reason', () => {
    const p = provenance(['urn:uuid:a'], signer, now, 'amend', 'wrong dose recorded');
    expect(p.activity?.coding?.[0]?.code).toBe('CREATE');
    expect(p.activity?.text).toBe('Note amended');
    expect(p.reason).toEqual([{ text: 'wrong dose recorded' }]);
  });
});
