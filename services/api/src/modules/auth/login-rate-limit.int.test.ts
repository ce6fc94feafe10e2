import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { buildTestApp } from '../../test-support/app-harness';
import { createTestUser, TEST_PASSWORD } from '../../test-support/users';

jest.setTimeout(120_000);

interface Reply {
  status: number;
  body: { status?: string; error?: { code?: string } };
  retryAfter?: string;
}

/**
 * Every test talks to a real listening server from its own source address (all of 127.0.0.0/8 is loopback on
 * Linux) and uses its own usernames, so the Redis counters it reads are its own: no dependence on what other
 * test runs on the same Redis do, and no clock in the assertions.
 */
const freshLoopback = () => `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;
const freshPublic = () => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;

async function serve(env: Record<string, string>) {
  const h = await buildTestApp({ env: { LOGIN_MAX_FAILURES: '100', ...env } });
  const server = http.createServer(h.app);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const login = (from: string, username: string, password: string, forwardedFor?: string) =>
    new Promise<Reply>((resolve, reject) => {
      const data = JSON.stringify({ username, password });
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          localAddress: from,
          method: 'POST',
          path: '/api/auth/login',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(data),
            ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: text ? JSON.parse(text) : {},
              retryAfter: res.headers['retry-after'] as string | undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  return {
    h,
    login,
    close: async () => {
      await new Promise((ok) => server.close(ok));
      await h.close();
    },
  };
}

const ghost = (tag: string) => `ghost.${tag}.${randomInt(1e9)}`;

describe('login rate limits: per username, per client address, TRUST_PROXY', () => {
  describe('default budgets (300 per address, 10 per username)', () => {
    let s: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => {
      s = await serve({ LOGIN_RATE_PER_IP: '300', LOGIN_RATE_PER_USER: '10' });
    });
    afterAll(() => s.close());

    it('lets a whole clinic behind one address sign in (more users than the old per-address limit of 30)', async () => {
      const clinic = freshLoopback();
      const staff = await Promise.all(
        Array.from({ length: 35 }, (_, i) => createTestUser(s.h.deps, { role: i % 2 ? 'nurse' : 'physician' })),
      );
      const statuses: number[] = [];
      for (const u of staff) statuses.push((await s.login(clinic, u.user.username, TEST_PASSWORD)).status);
      expect(statuses).toEqual(staff.map(() => 200));
    });

    it('stops guessing one username after its budget, from whatever addresses (429 + Retry-After), leaving others alone', async () => {
      const { user } = await createTestUser(s.h.deps, { role: 'nurse' });
      for (let i = 0; i < 10; i++)
        expect((await s.login(freshLoopback(), user.username, 'Wrong-Passw0rd!!')).status).toBe(401);
      const limited = await s.login(freshLoopback(), user.username, TEST_PASSWORD);
      expect(limited.status).toBe(429);
      expect(limited.body.error?.code).toBe('RATE_LIMIT_EXCEEDED');
      expect(Number(limited.retryAfter)).toBeGreaterThan(0);
      const { user: colleague } = await createTestUser(s.h.deps, { role: 'nurse' });
      expect((await s.login(freshLoopback(), colleague.username, TEST_PASSWORD)).status).toBe(200);
    });
  });

  describe('without TRUST_PROXY (default)', () => {
    let s: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => {
      s = await serve({ LOGIN_RATE_PER_IP: '3', LOGIN_RATE_PER_USER: '1000' });
    });
    afterAll(() => s.close());

    it('limits the connecting address and ignores X-Forwarded-For, so a forged header buys no new budget', async () => {
      const client = freshLoopback();
      for (let i = 0; i < 3; i++) expect((await s.login(client, ghost('spoof'), 'x', freshPublic())).status).toBe(401);
      const limited = await s.login(client, ghost('spoof'), 'x', freshPublic());
      expect(limited.status).toBe(429);
      // Another machine is unaffected.
      expect((await s.login(freshLoopback(), ghost('other'), 'x')).status).toBe(401);
    });
  });

  describe('with TRUST_PROXY (the proxy is trusted to name the client)', () => {
    let s: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => {
      s = await serve({ LOGIN_RATE_PER_IP: '3', LOGIN_RATE_PER_USER: '1000', TRUST_PROXY: 'loopback' });
    });
    afterAll(() => s.close());

    it('limits the X-Forwarded-For client, not the proxy that all clients share, and audits the client address', async () => {
      const proxy = freshLoopback();
      const [a, b] = [freshPublic(), freshPublic()];
      const last = ghost('xff');
      for (let i = 0; i < 2; i++) expect((await s.login(proxy, ghost('xff'), 'x', a)).status).toBe(401);
      expect((await s.login(proxy, last, 'x', a)).status).toBe(401);
      expect((await s.login(proxy, ghost('xff'), 'x', a)).status).toBe(429);
      // Same proxy, another client behind it: its own budget.
      expect((await s.login(proxy, ghost('xff'), 'x', b)).status).toBe(401);
      await s.h.deps.audit.flush();
      const { rows } = await s.h.deps.pg.query<{ client_ip: string }>(
        "SELECT client_ip FROM audit_log WHERE action = 'auth.login' AND username = $1",
        [last],
      );
      expect(rows.map((r) => r.client_ip)).toEqual([a]);
    });
  });
});
