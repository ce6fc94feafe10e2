import { MESSAGE_ATTACHMENT_LIMITS } from '@wintehr/contracts';

/** How message attachments read on screen, and the checks the composer makes before sending. Pure. */

export function formatBytes(n: number | null): string {
  if (n === null) return 'size unknown';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG image',
  'image/png': 'PNG image',
  'image/heic': 'HEIC photo',
  'image/heif': 'HEIF photo',
  'text/plain': 'Text',
};
export const typeLabel = (contentType: string) => TYPE_LABELS[contentType] ?? contentType;

/**
 * Why these chosen files cannot be sent, or null. The server decides what a file really is (from its bytes); this
 * only saves a pointless upload of too many, empty or too large files.
 */
export function chosenFilesProblem(
  files: ReadonlyArray<{ name: string; size: number }>,
  limits = MESSAGE_ATTACHMENT_LIMITS,
): string | null {
  if (files.length > limits.maxFiles) return `Attach at most ${limits.maxFiles} files.`;
  const empty = files.find((f) => f.size === 0);
  if (empty) return `${empty.name} is empty.`;
  const big = files.find((f) => f.size > limits.maxFileBytes);
  if (big) return `${big.name} is larger than ${formatBytes(limits.maxFileBytes)}.`;
  if (files.reduce((n, f) => n + f.size, 0) > limits.maxTotalBytes)
    return `The files together are larger than ${formatBytes(limits.maxTotalBytes)}.`;
  return null;
}
