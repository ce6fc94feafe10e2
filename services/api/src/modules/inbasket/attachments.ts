import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type/core';
import { MESSAGE_ATTACHMENT_LIMITS } from '@wintehr/contracts';
import { AppError, badRequest } from '../../core/errors';

/**
 * Files a patient attaches to a portal message: what they are is read from their bytes (a renamed .exe is not a PDF),
 * their names are made safe to show and to offer as a download name. No I/O.
 */

export const ATTACHMENT_LIMITS = MESSAGE_ATTACHMENT_LIMITS;
export const MAX_TITLE_LENGTH = 120;

/** Types file-type recognises that we keep, under the type we store (HEIF sequences are still photos from phones). */
const SNIFFED: Readonly<Record<string, string>> = {
  'application/pdf': 'application/pdf',
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/heic': 'image/heic',
  'image/heic-sequence': 'image/heic',
  'image/heif': 'image/heif',
  'image/heif-sequence': 'image/heif',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Plain text only when it is valid UTF-8 without NUL bytes (binary formats file-type does not know fail this). */
export function isPlainText(data: Uint8Array): boolean {
  if (data.includes(0)) return false;
  try {
    utf8.decode(data);
    return true;
  } catch {
    return false;
  }
}

/** The stored content type of these bytes, or undefined when they are none of the allowed kinds. */
export async function sniffContentType(data: Uint8Array): Promise<string | undefined> {
  const found = await fileTypeFromBuffer(data);
  if (found) return SNIFFED[found.mime];
  return isPlainText(data) ? 'text/plain' : undefined;
}

// Control and format characters (bidi overrides can make "gpj.exe" read as "exe.jpg").
const UNSAFE_CHARS = /[\p{Cc}\p{Cf}]/gu;

/** A display and download name: no path parts, no control characters, at most 120 characters keeping the extension. */
export function sanitizeFileName(raw: string): string {
  const base = (raw.split(/[/\\]/).pop() ?? '')
    .normalize('NFC')
    .replace(/\s+/g, ' ')
    .replace(UNSAFE_CHARS, '')
    .trim()
    .replace(/^\.+/, '');
  if (!base) return 'attachment';
  const chars = [...base];
  if (chars.length <= MAX_TITLE_LENGTH) return base;
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? [...base.slice(dot)] : [];
  const keep = ext.length > 0 && ext.length <= 10 ? ext : [];
  return chars.slice(0, MAX_TITLE_LENGTH - keep.length).join('') + keep.join('');
}

/** FHIR Attachment.hash: the SHA-1 of the data, base64. */
export const sha1Base64 = (data: Uint8Array): string => createHash('sha1').update(data).digest('base64');

export interface IncomingFile {
  name: string;
  data: Buffer;
}

export interface AcceptedAttachment {
  title: string;
  contentType: string;
  data: Buffer;
  size: number;
  hash: string;
}

const unsupported = (title: string) =>
  new AppError(
    415,
    'UNSUPPORTED_ATTACHMENT',
    `${title} is not a PDF, JPEG, PNG, HEIC image or plain text file; it was not sent`,
    [{ file: title }],
  );

/**
 * Checks every file before any is stored: count (400), empty (400), size per file and in total (413), type from the
 * bytes (415). The first refusal names the file; the message is then not sent at all.
 */
export async function acceptAttachments(
  files: readonly IncomingFile[],
  limits = ATTACHMENT_LIMITS,
): Promise<AcceptedAttachment[]> {
  if (files.length > limits.maxFiles) throw badRequest(`At most ${limits.maxFiles} files per message`);
  let total = 0;
  const out: AcceptedAttachment[] = [];
  for (const f of files) {
    const title = sanitizeFileName(f.name);
    if (f.data.length === 0) throw badRequest(`${title} is empty`, [{ file: title }]);
    if (f.data.length > limits.maxFileBytes)
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `${title} is larger than ${mb(limits.maxFileBytes)}`, [
        { file: title },
      ]);
    total += f.data.length;
    if (total > limits.maxTotalBytes)
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The files together are larger than ${mb(limits.maxTotalBytes)}`);
    const contentType = await sniffContentType(f.data);
    if (!contentType) throw unsupported(title);
    out.push({ title, contentType, data: f.data, size: f.data.length, hash: sha1Base64(f.data) });
  }
  return out;
}

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
