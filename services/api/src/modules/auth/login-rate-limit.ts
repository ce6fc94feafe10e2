import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitError } from '../../core/errors';

/**
 * Login attempts are limited per username (small budget: stops guessing one account's password from many
 * addresses) and per client address (large budget: a whole clinic may sit behind one NAT address, so it only
 * stops one machine spraying many usernames). The address is express's req.ip, which honours
 * X-Forwarded-For only from proxies trusted by TRUST_PROXY. Counters live on Redis, so limits hold across
 * API instances; when Redis is down a per-process in-memory limiter (the "insurance" limiter) takes over:
 * login keeps working and is still rate-limited, only per instance instead of globally.
 */
export class LoginRateLimiter {
  private readonly perIp: RateLimiterRedis;
  private readonly perUser: RateLimiterRedis;

  constructor(redis: Redis, opts: { perIp: number; perUser: number; windowSeconds?: number }) {
    const duration = opts.windowSeconds ?? 15 * 60;
    const mk = (prefix: string, points: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: prefix,
        points,
        duration,
        useRedisPackage: false,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: `${prefix}-mem`, points, duration }),
      });
    this.perIp = mk('login-ip', opts.perIp);
    this.perUser = mk('login-user', opts.perUser);
  }

  async consume(ip: string, username: string): Promise<void> {
    try {
      await Promise.all([this.perIp.consume(ip), this.perUser.consume(username.toLowerCase())]);
    } catch (err) {
      if (err instanceof RateLimiterRes)
        throw new RateLimitError(err.msBeforeNext / 1000, 'Too many login attempts; try again later');
      throw err;
    }
  }

  /** A successful login clears the per-user budget (not the per-IP one). */
  async reset(username: string): Promise<void> {
    await this.perUser.delete(username.toLowerCase()).catch(() => undefined);
  }
}
