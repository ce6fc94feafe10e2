import { BASE_URL, DEMO_PASSWORD } from './browser';

/** Direct API calls for test set-up and clean-up (never for the steps under test). */
export async function apiCall<T>(method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(BASE_URL + path, {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Logs the demo admin in for set-up; waits out a 429 (shared stack) a few times, as the server asks. */
export async function adminToken(): Promise<string> {
  let r: { status: string; accessToken?: string } | undefined;
  for (let attempt = 0; !r; attempt++) {
    const res = await fetch(`${BASE_URL}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }),
    });
    const body = (await res.json()) as {
      status: string;
      accessToken?: string;
      error?: { details?: { retryAfterSeconds?: number } };
    };
    if (res.status === 429 && attempt < 4) {
      await new Promise((done) =>
        setTimeout(done, Math.min(body.error?.details?.retryAfterSeconds ?? 15, 120) * 1000 + 500),
      );
      continue;
    }
    if (!res.ok) throw new Error(`admin login → ${res.status} ${JSON.stringify(body)}`);
    r = body;
  }
  if (r.status !== 'authenticated' || !r.accessToken)
    throw new Error(`admin login gave ${r.status}; the e2e tests expect the demo admin without MFA`);
  return r.accessToken;
}

export async function userByName(token: string, username: string): Promise<{ id: string; mfaEnabled: boolean }> {
  const { users } = await apiCall<{ users: Array<{ id: string; username: string; mfaEnabled: boolean }> }>(
    'GET',
    '/api/users?limit=200',
    token,
  );
  const u = users.find((x) => x.username === username);
  if (!u) throw new Error(`user ${username} not found (is DEMO_MODE on?)`);
  return u;
}

/** Puts a demo account back the way the README describes it: no MFA. */
export async function resetMfa(token: string, username: string): Promise<void> {
  const u = await userByName(token, username);
  if (u.mfaEnabled) await apiCall('PATCH', `/api/users/${u.id}`, token, { resetMfa: true });
}
