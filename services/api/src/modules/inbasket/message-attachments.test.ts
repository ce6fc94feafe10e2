import { attachmentAt, attachmentsOf, contentDisposition } from './message-attachments';
import { messageTransaction } from './message-bundle';

const comm: fhir4.Communication = {
  resourceType: 'Communication',
  id: 'c1',
  status: 'completed',
  payload: [
    { contentString: 'see attached' },
    { contentAttachment: { contentType: 'application/pdf', url: 'Binary/b1', size: 10, title: 'scan.pdf' } },
    { contentAttachment: { contentType: 'image/png', url: 'http://elsewhere.example/x.png', title: 'x.png' } },
  ],
};

describe('attachmentsOf / attachmentAt', () => {
  it('lists the files by their position among the attachments', () => {
    expect(attachmentsOf(comm)).toEqual([
      { index: 0, communicationId: 'c1', title: 'scan.pdf', contentType: 'application/pdf', size: 10 },
      { index: 1, communicationId: 'c1', title: 'x.png', contentType: 'image/png', size: null },
    ]);
    expect(attachmentsOf({ ...comm, payload: [{ contentString: 'hi' }] })).toEqual([]);
  });

  it('serves only a local Binary', () => {
    expect(attachmentAt(comm, 0)?.binaryId).toBe('b1');
    expect(attachmentAt(comm, 1)).toBeUndefined();
    expect(attachmentAt(comm, 2)).toBeUndefined();
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('Résultat "final" (1).pdf')).toBe(
      `attachment; filename="R_sultat _final_ (1).pdf"; filename*=UTF-8''R%C3%A9sultat%20%22final%22%20%281%29.pdf`,
    );
  });
});

describe('messageTransaction', () => {
  let n = 0;
  const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  const file = {
    title: 'scan.pdf',
    contentType: 'application/pdf',
    data: Buffer.from('%PDF'),
    size: 4,
    hash: 'h',
  };

  it('links Binaries, Communication and Task by urn:uuid in one transaction', () => {
    const tx = messageTransaction(
      {
        patientId: 'p1',
        to: { practitionerId: 'dr' },
        subject: 'Rash',
        text: 'Photo attached',
        now: new Date('2026-01-01T00:00:00Z'),
        sender: 'RelatedPerson/rp',
        files: [file],
      },
      uuid,
    );
    const [bin, c, t] = tx.bundle.entry!;
    expect(tx.bundle.type).toBe('transaction');
    expect(bin!.resource).toMatchObject({
      resourceType: 'Binary',
      contentType: 'application/pdf',
      securityContext: { reference: 'Patient/p1' },
      data: Buffer.from('%PDF').toString('base64'),
    });
    expect((c!.resource as fhir4.Communication).payload).toEqual([
      { contentString: 'Photo attached' },
      {
        contentAttachment: { contentType: 'application/pdf', url: bin!.fullUrl, size: 4, hash: 'h', title: 'scan.pdf' },
      },
    ]);
    expect((c!.resource as fhir4.Communication).sender).toEqual({ reference: 'RelatedPerson/rp' });
    expect((t!.resource as fhir4.Task).focus).toEqual({ reference: c!.fullUrl });
    expect(new Set(tx.bundle.entry!.map((e) => e.fullUrl)).size).toBe(3);
    expect(tx.bundle.entry!.every((e) => e.fullUrl!.startsWith('urn:uuid:'))).toBe(true);
  });

  it('without files is the Communication and the Task only', () => {
    const tx = messageTransaction({
      patientId: 'p1',
      to: { pool: 'nursing' },
      subject: 's',
      text: 't',
      now: new Date(),
      files: [],
    });
    expect(tx.bundle.entry!.map((e) => e.request!.url)).toEqual(['Communication', 'Task']);
    expect(tx.communication.payload).toEqual([{ contentString: 't' }]);
  });
});
