import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitError } from '../../core/errors';

/** Messages and refill requests one patient may send per hour: plenty for a person, not enough to flood a clinic. */
export const PORTAL_WRITES_PER_HOUR = 20;

const limiters = new WeakMap<Redis, RateLimiterRedis>();

/**
 * Every portal message or refill request lands in a clinician's in-basket: a per-patient budget on Redis (shared by
 * every API instance; in memory per instance while Redis is down) keeps one account from burying the clinic's work.
 */
export async function consumePortalWrite(redis: Redis, patientId: string): Promise<void> {
  let limiter = limiters.get(redis);
  if (!limiter) {
    const opts = { keyPrefix: 'portal-writes', points: PORTAL_WRITES_PER_HOUR, duration: 3600 };
    limiter = new RateLimiterRedis({
      ...opts,
      storeClient: redis,
      useRedisPackage: false,
      insuranceLimiter: new RateLimiterMemory({ ...opts, keyPrefix: 'portal-writes-mem' }),
    });
    limiters.set(redis, limiter);
  }
  try {
    await limiter.consume(patientId);
  } catch (err) {
    if (err instanceof RateLimiterRes)
      throw new RateLimitError(err.msBeforeNext / 1000, 'Too many messages and requests for now; try again later');
    throw err;
  }
}
