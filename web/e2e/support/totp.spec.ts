/** Run: node --import tsx --test web/e2e/support/totp.spec.ts (npm test runs it with the harness tests). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { authenticator } from './totp';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const totp = new TOTP({ secret: Secret.fromBase32(SECRET), digits: 6, period: 30, algorithm: 'SHA1' });
/** The step a code belongs to, as the API finds it: within ±1 step of `at`. */
const stepOf = (code: string, at: number) => {
  const delta = totp.validate({ token: code, timestamp: at, window: 1 });
  return delta === null ? undefined : Math.floor(at / 30_000) + delta;
};

function clock(start: number) {
  let t = start;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    slept,
  };
}

test('consecutive codes use rising steps, each accepted by the API at the moment it is handed out', async () => {
  const c = clock(1_000_000 * 30_000 + 29_000); // 1 s before a step boundary
  const auth = authenticator(SECRET, c.now, c.sleep);
  const steps: number[] = [];
  for (let i = 0; i < 4; i++) {
    const code = await auth.fresh();
    const step = stepOf(code, c.now());
    assert.notEqual(step, undefined, `code ${i} is valid when used`);
    assert.equal(step, auth.lastStep);
    steps.push(step!);
    c.advance(500);
  }
  assert.deepEqual(steps, [1_000_000, 1_000_001, 1_000_002, 1_000_003]);
});

test('never waits while the next unused step is at most one ahead; waits for the boundary beyond that', async () => {
  const start = 2_000_000 * 30_000 + 1_000;
  const c = clock(start);
  const auth = authenticator(SECRET, c.now, c.sleep);
  await auth.fresh(); // the current step
  await auth.fresh(); // the next one: no wait
  assert.deepEqual(c.slept, []);
  await auth.fresh(); // two ahead: waits until the next step begins
  assert.equal(c.slept.length, 1);
  assert.ok(c.now() >= start - 1_000 + 30_000 && c.now() < start - 1_000 + 31_000, 'woke just after the boundary');
  assert.equal(stepOf(totp.generate({ timestamp: auth.lastStep * 30_000 }), c.now()), auth.lastStep);
});

test('a code handed out at the end of a step is still accepted just after the boundary', async () => {
  const c = clock(3_000_000 * 30_000 + 29_900);
  const auth = authenticator(SECRET, c.now, c.sleep);
  await auth.fresh();
  const code = await auth.fresh(); // step +1
  assert.equal(stepOf(code, c.now() + 30_000), auth.lastStep, 'accepted a whole step later too');
});
