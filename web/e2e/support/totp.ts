import { Secret, TOTP } from 'otpauth';

const PERIOD_MS = 30_000;
const stepAt = (ms: number) => Math.floor(ms / PERIOD_MS);

/**
 * An authenticator for one TOTP secret that never offers a time step it offered before. The API accepts a code
 * of the previous, current or next 30 s step, each step once (no replay), so a second code within the same step
 * is refused. fresh() gives the first step after the last one used, and waits only when that step is more than
 * one step ahead of the clock: the code is then accepted whenever it arrives within the next step too.
 */
export function authenticator(
  secret: string,
  now: () => number = Date.now,
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
) {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: PERIOD_MS / 1000, algorithm: 'SHA1' });
  let lastUsed = -Infinity;
  return {
    async fresh(): Promise<string> {
      const current = stepAt(now());
      const step = Math.max(lastUsed + 1, current);
      // Too far ahead: wait until the step before it begins (plus a margin for the clock read at the server).
      if (step > current + 1) await sleep((step - 1) * PERIOD_MS - now() + 250);
      lastUsed = step;
      return totp.generate({ timestamp: step * PERIOD_MS });
    },
    /** The step of the last code handed out (for failure messages). */
    get lastStep() {
      return lastUsed;
    },
  };
}
