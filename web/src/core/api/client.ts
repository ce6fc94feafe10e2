import { session } from '../auth/session';
import { ApiError, isApiErrorBody } from './api-error';
import { toQueryString, type QueryValue } from './query-string';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, QueryValue>;
  /** Send the session's bearer token (default true). */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function send(path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.auth !== false && session.accessToken) headers.authorization = `Bearer ${session.accessToken}`;
  try {
    return await fetch(path + toQueryString(opts.query), {
      method: opts.method ?? 'GET',
      headers,
      signal: opts.signal,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, undefined, 'The WintEHR server cannot be reached. Check your connection and try again.');
  }
}

/**
 * Calls the business API. Refreshes a stale access token first, retries once after a 401 with a fresh
 * token, and turns every failure into an ApiError with the server's message and request id.
 */
export async function apiRequest<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const authed = opts.auth !== false;
  if (authed && session.accessTokenStale() && session.hasRefreshToken()) await session.refresh();
  let { res, body } = await read(await send(path, opts));
  if (authed && tokenRejected(res, body) && session.hasRefreshToken() && (await session.refresh())) {
    ({ res, body } = await read(await send(path, opts)));
  }
  if (!res.ok) {
    if (authed && tokenRejected(res, body)) session.clear('expired');
    throw new ApiError(res.status, isApiErrorBody(body) ? body : undefined);
  }
  return body as T;
}

async function read(res: Response): Promise<{ res: Response; body: unknown }> {
  const text = await res.text();
  try {
    return { res, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { res, body: undefined };
  }
}

/** A 401 about the token itself (expired, revoked), not a wrong MFA code during step-up. */
function tokenRejected(res: Response, body: unknown): boolean {
  return res.status === 401 && (!isApiErrorBody(body) || body.error.code === 'AUTHENTICATION_FAILED');
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) =>
    apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body' | 'method'> = {}) =>
    apiRequest<T>(path, { ...opts, method: 'POST', body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  put: <T>(path: string, body: unknown, headers?: Record<string, string>) =>
    apiRequest<T>(path, { method: 'PUT', body, headers }),
  delete: <T>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};
