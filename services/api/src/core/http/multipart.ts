import type { Request } from 'express';
import busboy from 'busboy';
import { AppError, badRequest } from '../errors';

export interface MultipartFile {
  /** The form field the file came in. */
  field: string;
  /** The file name the client sent (untrusted: for display after sanitising, never for paths). */
  name: string;
  data: Buffer;
}

export interface MultipartParts {
  files: MultipartFile[];
  fields: Record<string, string>;
}

export interface MultipartLimits {
  maxFiles: number;
  /** One file's bytes. */
  maxFileBytes: number;
  /** All files' bytes together: what the request may hold in memory. */
  maxTotalBytes: number;
  maxFields?: number;
  maxFieldBytes?: number;
}

const tooLarge = (message: string) => new AppError(413, 'PAYLOAD_TOO_LARGE', message);

/**
 * Reads a multipart/form-data request (busboy, streamed) into memory, bounded per file, in total and in count: once a
 * limit is passed nothing more is kept and the request answers 413 (bytes) or 400 (count) after the body is drained.
 * Files are not interpreted here.
 */
export function readMultipart(req: Request, limits: MultipartLimits): Promise<MultipartParts> {
  return new Promise<MultipartParts>((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fields: limits.maxFields ?? 20,
          fieldSize: limits.maxFieldBytes ?? 64 * 1024,
        },
      });
    } catch (err) {
      reject(badRequest(`Malformed multipart request: ${(err as Error).message}`));
      return;
    }
    const files: MultipartFile[] = [];
    const fields: Record<string, string> = {};
    let total = 0;
    let failed: Error | undefined;
    bb.on('field', (name, value, info) => {
      if (info.valueTruncated) failed ??= badRequest(`The field ${name} is too long`);
      fields[name] = value;
    });
    bb.on('file', (field, stream, info) => {
      const name = (info.filename || `file-${files.length + 1}`).slice(0, 255);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        total += c.length;
        if (total > limits.maxTotalBytes) failed ??= tooLarge(`The upload exceeds ${limits.maxTotalBytes} bytes`);
        if (!failed) chunks.push(c);
      });
      stream.on('limit', () => {
        failed ??= tooLarge(`A file exceeds ${limits.maxFileBytes} bytes`);
      });
      stream.on('close', () => {
        files.push({ field, name, data: Buffer.concat(chunks) });
      });
    });
    bb.on('filesLimit', () => {
      failed ??= badRequest(`At most ${limits.maxFiles} files per upload`);
    });
    bb.on('fieldsLimit', () => {
      failed ??= badRequest('Too many form fields');
    });
    bb.on('error', (err) => reject(badRequest(`Malformed multipart request: ${(err as Error).message}`)));
    bb.on('close', () => (failed ? reject(failed) : resolve({ files, fields })));
    req.pipe(bb);
  });
}
