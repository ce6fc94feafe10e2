import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors';
import { acceptAttachments, isPlainText, sanitizeFileName, sha1Base64, sniffContentType } from './attachments';
import { EXE, HEIC, JPEG, PNG, pdfBytes } from './test-files';

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

describe('sniffContentType', () => {
  it.each([
    ['PDF', pdfBytes(), 'application/pdf'],
    ['PNG', PNG, 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['HEIC', HEIC, 'image/heic'],
    ['UTF-8 text', Buffer.from('Blood pressure log: 128/82 ✓\n'), 'text/plain'],
  ])('knows a %s from its bytes', async (_name, bytes, type) => {
    expect(await sniffContentType(bytes)).toBe(type);
  });

  it('refuses an executable, a zip, and bytes that are neither a known type nor text', async () => {
    expect(await sniffContentType(EXE)).toBeUndefined();
    expect(await sniffContentType(Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(40)]))).toBeUndefined();
    expect(await sniffContentType(Buffer.from([0x01, 0x02, 0x00, 0x03]))).toBeUndefined();
  });
});

describe('isPlainText', () => {
  it('needs valid UTF-8 without NUL bytes', () => {
    expect(isPlainText(Buffer.from('héllo'))).toBe(true);
    expect(isPlainText(Buffer.from('a\0b'))).toBe(false);
    expect(isPlainText(Buffer.from([0x68, 0xc3, 0x28]))).toBe(false);
    expect(isPlainText(Buffer.from([0xff, 0xfe, 0x41]))).toBe(false);
  });
});

describe('sanitizeFileName', () => {
  it('drops path parts, control and bidi characters, and leading dots', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\Users\\me\\scan.pdf')).toBe('scan.pdf');
    expect(sanitizeFileName('lab\u0000 re\nsult\t.pdf')).toBe('lab re sult .pdf');
    expect(sanitizeFileName('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(sanitizeFileName('.hidden')).toBe('hidden');
    expect(sanitizeFileName('  /  ')).toBe('attachment');
  });

  it('keeps a name to 120 characters, extension included', () => {
    const out = sanitizeFileName(`${'x'.repeat(300)}.pdf`);
    expect([...out]).toHaveLength(120);
    expect(out.endsWith('.pdf')).toBe(true);
    expect(sanitizeFileName('é'.repeat(130))).toBe('é'.repeat(120));
  });
});

describe('acceptAttachments', () => {
  const limits = { maxFiles: 3, maxFileBytes: 1000, maxTotalBytes: 1500 };

  it('keeps the sniffed type, size, SHA-1 (base64) and a safe title', async () => {
    const pdf = pdfBytes(700);
    const [a, b] = await acceptAttachments(
      [
        { name: 'dir/scan.pdf', data: pdf },
        { name: 'rash.png', data: PNG },
      ],
      limits,
    );
    expect(a).toMatchObject({ title: 'scan.pdf', contentType: 'application/pdf', size: 700 });
    expect(a!.hash).toBe(createHash('sha1').update(pdf).digest('base64'));
    expect(b).toMatchObject({ title: 'rash.png', contentType: 'image/png', size: PNG.length });
  });

  it('names the renamed executable in a 415', async () => {
    const err = await refusal(acceptAttachments([{ name: 'invoice.pdf', data: EXE }], limits));
    expect(err).toMatchObject({ status: 415, code: 'UNSUPPORTED_ATTACHMENT', details: [{ file: 'invoice.pdf' }] });
    expect(err.message).toContain('invoice.pdf');
  });

  it('refuses too many (400), empty (400), too big (413) and too much together (413)', async () => {
    const f = { name: 'a.png', data: PNG };
    expect((await refusal(acceptAttachments([f, f, f, f], limits))).status).toBe(400);
    expect(await refusal(acceptAttachments([{ name: 'e.txt', data: Buffer.alloc(0) }], limits))).toMatchObject({
      status: 400,
      details: [{ file: 'e.txt' }],
    });
    expect((await refusal(acceptAttachments([{ name: 'b.pdf', data: pdfBytes(1001) }], limits))).status).toBe(413);
    const together = [800, 800].map((n) => ({ name: 'p.pdf', data: pdfBytes(n) }));
    expect((await refusal(acceptAttachments(together, limits))).status).toBe(413);
  });
});

describe('sha1Base64', () => {
  it('is the FHIR Attachment.hash of the bytes', () => {
    expect(sha1Base64(Buffer.from('abc'))).toBe('qZk+NkcGgWq6PiVxeFDCbJzQ2J0=');
  });
});
