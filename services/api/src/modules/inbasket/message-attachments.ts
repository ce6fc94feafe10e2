import type { MessageAttachment } from '@wintehr/contracts';

/** The files of a patient's message as the portal and the in-basket list them, and the one a download names. Pure. */

const attached = (c: fhir4.Communication | undefined): fhir4.Attachment[] =>
  (c?.payload ?? []).flatMap((p) => (p.contentAttachment ? [p.contentAttachment] : []));

export function attachmentsOf(c: fhir4.Communication | undefined): MessageAttachment[] {
  if (!c?.id) return [];
  return attached(c).map((a, index) => ({
    index,
    communicationId: c.id!,
    title: a.title ?? `attachment-${index + 1}`,
    contentType: a.contentType ?? 'application/octet-stream',
    size: a.size ?? null,
  }));
}

/** The attachment at `index` with the id of the Binary holding its bytes, or undefined when there is none. */
export function attachmentAt(
  c: fhir4.Communication,
  index: number,
): { attachment: fhir4.Attachment; binaryId: string } | undefined {
  const attachment = attached(c)[index];
  const binaryId = attachment?.url?.match(/^Binary\/([A-Za-z0-9\-.]{1,64})$/)?.[1];
  return attachment && binaryId ? { attachment, binaryId } : undefined;
}

/** RFC 6266/5987 download name: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(title: string): string {
  const ascii = title.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(title).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
