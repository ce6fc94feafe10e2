import type { Request } from 'express';
import { PortalMessageBody } from '@wintehr/contracts';
import { badRequest } from '../../core/errors';
import { readMultipart } from '../../core/http/multipart';
import { zodDetails } from '../../core/http/route';
import { ATTACHMENT_LIMITS, acceptAttachments, type AcceptedAttachment } from './attachments';

const FILES_FIELD = 'files';

/**
 * A portal message as sent: the JSON body (validated by the route contract), or multipart/form-data with the same
 * fields and up to three files in `files`. Every file is checked before anything is stored.
 */
export async function readMessageInput(
  req: Request,
  json: PortalMessageBody | undefined,
): Promise<{ body: PortalMessageBody; files: AcceptedAttachment[] }> {
  if (!req.is('multipart/form-data')) {
    if (!json) throw badRequest('Invalid request body', [{ field: 'body', message: 'subject and text are required' }]);
    return { body: json, files: [] };
  }
  const parts = await readMultipart(req, { ...ATTACHMENT_LIMITS, maxFields: 4, maxFieldBytes: 16 * 1024 });
  const body = PortalMessageBody.safeParse(parts.fields);
  if (!body.success) throw badRequest('Invalid request body', zodDetails(body.error, 'body'));
  const stray = parts.files.find((f) => f.field !== FILES_FIELD);
  if (stray) throw badRequest(`Send files in the field "${FILES_FIELD}"`, [{ field: stray.field }]);
  return { body: body.data, files: await acceptAttachments(parts.files) };
}
