import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refreshDelayMs, session } from './session';
import { can, canAll } from './permissions';
import type { Permission } from './types';

test('silent refresh is scheduled a minute before expiry, never sooner than 5 s', () => {
  assert.equal(refreshDelayMs(15 * 60_000), 14 * 60_000);
  assert.equal(refreshDelayMs(30_000), 5_000);
});

test('the access token is kept in memory and reported stale near its expiry', () => {
  session.clear();
  assert.equal(session.accessToken, undefined);
  assert.ok(session.accessTokenStale());
  session.set({ accessToken: 'a.b.c', expiresIn: 900 });
  assert.equal(session.accessToken, 'a.b.c');
  assert.ok(!session.accessTokenStale());
  assert.ok(session.accessTokenStale(Date.now() + 899_000));
  session.clear();
});

test('clear() tells listeners why the session ended; a late 401 after sign-out expires nothing', () => {
  const seen: string[] = [];
  const off = session.subscribe((e) => seen.push(e));
  session.set({ accessToken: 'a.b.c', expiresIn: 900 });
  session.clear('expired');
  // Signed out (no session left): a request that was in flight comes back 401 — no "session expired" after it.
  session.clear('expired');
  off();
  session.clear();
  assert.deepEqual(seen, ['changed', 'expired']);
});

test('a refresh without a refresh token fails without a network call', async () => {
  session.clear();
  assert.equal(await session.refresh(), false);
});

test('permission checks', () => {
  const user = { permissions: ['patient:read', 'audit:view'] as Permission[] };
  assert.ok(can(user, 'audit:view'));
  assert.ok(!can(user, 'user:manage'));
  assert.ok(!can(undefined, 'audit:view'));
  assert.ok(canAll(user, ['patient:read', 'audit:view']));
  assert.ok(!canAll(user, ['patient:read', 'user:manage']));
});
