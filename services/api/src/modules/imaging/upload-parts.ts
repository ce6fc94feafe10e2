import type { Request } from 'express';
import yauzl from 'yauzl';
import { AppError, badRequest } from '../../core/errors';
import { readMultipart } from '../../core/http/multipart';

export interface UploadedFile {
  name: string;
  data: Buffer;
}

export interface UploadParts {
  files: UploadedFile[];
  fields: Record<string, string>;
}

const MAX_FILES = 5_000;

/**
 * Reads a multipart/form-data upload (core/http/multipart) into memory, bounded by `maxBytes` in total. Zip archives are
 * expanded (yauzl) so a whole exported study can be sent as one file; directories, DICOMDIR and macOS metadata are
 * skipped. Files are not interpreted here.
 */
export async function readUpload(req: Request, maxBytes: number): Promise<UploadParts> {
  if (!req.is('multipart/form-data')) throw badRequest('Send the DICOM files (or a zip) as multipart/form-data');
  const raw = await readMultipart(req, { maxFiles: MAX_FILES, maxFileBytes: maxBytes, maxTotalBytes: maxBytes });
  const files: UploadedFile[] = [];
  // One budget for everything held in memory: each archive alone within the limit could still add up (zip bombs).
  let budget = maxBytes - raw.files.reduce((n, f) => n + (isZip(f.data) ? 0 : f.data.length), 0);
  for (const f of raw.files) {
    if (!isZip(f.data)) {
      files.push(f);
      continue;
    }
    const inner = await unzip(f, budget);
    budget -= inner.reduce((n, x) => n + x.data.length, 0);
    files.push(...inner);
    if (files.length > MAX_FILES) throw badRequest(`At most ${MAX_FILES} files per upload`);
  }
  if (!files.length) throw badRequest('No files in the upload (field name: files)');
  return { files, fields: raw.fields };
}

export const isZip = (b: Buffer): boolean => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

function skipped(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return (
    name.endsWith('/') || name.startsWith('__MACOSX/') || base.startsWith('.') || base.toUpperCase() === 'DICOMDIR'
  );
}

export function unzip(archive: UploadedFile, maxBytes: number): Promise<UploadedFile[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(archive.data, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip)
        return reject(
          badRequest(`${archive.name}: not a readable zip archive`, [
            { file: archive.name, message: err?.message ?? 'unreadable' },
          ]),
        );
      const out: UploadedFile[] = [];
      let total = 0;
      zip.on('error', (e: Error) =>
        reject(badRequest(`${archive.name}: ${e.message}`, [{ file: archive.name, message: e.message }])),
      );
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (skipped(entry.fileName)) return zip.readEntry();
        total += entry.uncompressedSize;
        if (total > maxBytes) {
          zip.close();
          return reject(new AppError(413, 'PAYLOAD_TOO_LARGE', `${archive.name}: the upload expands beyond its limit`));
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(badRequest(`${archive.name}: ${e?.message ?? 'unreadable entry'}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => reject(badRequest(`${archive.name}: ${se.message}`)));
          stream.on('end', () => {
            out.push({ name: `${archive.name}/${entry.fileName}`.slice(0, 255), data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
