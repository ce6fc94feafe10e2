import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { session } from '../auth/session';
import { ApiError } from './api-error';
import { apiRequest } from './client';

/** A scripted fetch: each call takes the next answer and records what was asked. */
function scriptFetch(answers: Array<{ status: number; body?: unknown }>) {
  const calls: Array<{ url: string; auth?: string; body?: string }> = [];
  globalThis.fetch = (async (url: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    calls.push({ url, auth: headers.authorization, body: init.body as string | undefined });
    const a = answers.shift();
    if (!a) throw new Error(`unexpected fetch ${url}`);
    return new Response(a.body === undefined ? '' : JSON.stringify(a.body), {
      status: a.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return calls;
}

// sessionStorage does not exist in node: give the session one for the refresh token.
const store = new Map<string, string>();
(globalThis as { sessionStorage?: unknown }).sessionStorage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
};
const expired = { error: { code: 'AUTHENTICATION_FAILED', message: 'Token expired', requestId: 'r1' } };
afterEach(() => session.clear());

test('a rejected token is refreshed once and the request retried with the new token', async () => {
  session.set({ accessToken: 'old', expiresIn: 900, refreshToken: 'refresh-token-0123456789' });
  const calls = scriptFetch([
    { status: 401, body: expired },
    { status: 200, body: { accessToken: 'new', expiresIn: 900, refreshToken: 'refresh-token-rotated-0001' } },
    { status: 200, body: { ok: true } },
  ]);
  assert.deepEqual(await apiRequest('/api/x'), { ok: true });
  assert.deepEqual(
    calls.map((c) => [c.url, c.auth]),
    [
      ['/api/x', 'Bearer old'],
      ['/api/auth/refresh', undefined],
      ['/api/x', 'Bearer new'],
    ],
  );
  assert.equal(session.refreshToken, 'refresh-token-rotated-0001');
});

test('a refused refresh ends the session as expired and surfaces the 401', async () => {
  session.set({ accessToken: 'old', expiresIn: 900, refreshToken: 'refresh-token-0123456789' });
  const events: string[] = [];
  const off = session.subscribe((e) => events.push(e));
  scriptFetch([
    { status: 401, body: expired },
    { status: 401, body: { error: { code: 'INVALID_REFRESH_TOKEN', message: 'no' } } },
  ]);
  await assert.rejects(apiRequest('/api/x'), (e: unknown) => e instanceof ApiError && e.status === 401);
  off();
  assert.ok(events.includes('expired'));
  assert.equal(session.accessToken, undefined);
  assert.equal(session.refreshToken, undefined);
});

test('a wrong MFA code (401 INVALID_MFA_CODE) is an answer, not an expired session', async () => {
  session.set({ accessToken: 'tok', expiresIn: 900, refreshToken: 'refresh-token-0123456789' });
  const calls = scriptFetch([
    {
      status: 401,
      body: { error: { code: 'INVALID_MFA_CODE', message: 'Invalid authentication code', requestId: 'r2' } },
    },
  ]);
  await assert.rejects(
    apiRequest('/api/auth/step-up', { method: 'POST', body: { code: '000000' } }),
    (e: unknown) => e instanceof ApiError && e.code === 'INVALID_MFA_CODE' && e.requestId === 'r2',
  );
  assert.equal(calls.length, 1, 'no refresh, no retry');
  assert.equal(session.accessToken, 'tok');
});

test('public calls send no token; an unreachable server is a NETWORK_ERROR', async () => {
  session.set({ accessToken: 'tok', expiresIn: 900 });
  const calls = scriptFetch([{ status: 200, body: { status: 'mfa_required' } }]);
  await apiRequest('/api/auth/login', { method: 'POST', auth: false, body: { username: 'u', password: 'p' } });
  assert.equal(calls[0]!.auth, undefined);
  globalThis.fetch = (async () => {
    throw new TypeError('failed to fetch');
  }) as typeof fetch;
  await assert.rejects(apiRequest('/api/x'), (e: unknown) => e instanceof ApiError && e.code === 'NETWORK_ERROR');
});
