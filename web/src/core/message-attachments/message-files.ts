import type { MessageAttachment, PortalMessageBody, PortalRequest } from '@wintehr/contracts';
import { ApiError, isApiErrorBody } from '../api/api-error';
import { session } from '../auth/session';

/**
 * The two message calls the JSON client cannot make: sending a message with files (multipart) and downloading a file
 * (bytes). The token goes in the Authorization header as on every call, never into a URL; a download becomes a
 * temporary object URL that is revoked straight after.
 */

async function authedFetch(path: string, init: { method: string; body?: FormData; headers?: Record<string, string> }) {
  if (session.accessTokenStale() && session.hasRefreshToken()) await session.refresh();
  const go = () =>
    fetch(path, {
      method: init.method,
      body: init.body,
      headers: {
        accept: 'application/json',
        ...init.headers,
        ...(session.accessToken ? { authorization: `Bearer ${session.accessToken}` } : {}),
      },
    });
  let res: Response;
  try {
    res = await go();
    if (res.status === 401 && session.hasRefreshToken() && (await session.refresh())) res = await go();
  } catch {
    throw new ApiError(0, undefined, 'The WintEHR server cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => undefined);
    throw new ApiError(res.status, isApiErrorBody(body) ? body : undefined);
  }
  return res;
}

export async function sendMessageWithFiles(
  body: PortalMessageBody,
  files: readonly File[],
  headers: Record<string, string> = {},
): Promise<PortalRequest> {
  const form = new FormData();
  form.set('subject', body.subject);
  form.set('text', body.text);
  for (const f of files) form.append('files', f, f.name);
  const res = await authedFetch('/api/portal/messages', { method: 'POST', body: form, headers });
  return (await res.json()) as PortalRequest;
}

export async function downloadAttachment(a: MessageAttachment, headers: Record<string, string> = {}): Promise<void> {
  const res = await authedFetch(`/api/messages/${encodeURIComponent(a.communicationId)}/attachments/${a.index}`, {
    method: 'GET',
    headers: { ...headers, accept: '*/*' },
  });
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = a.title;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
