import { Redis } from 'ioredis';

/**
 * Commands fail fast while Redis is down instead of queueing without bound; callers decide whether that
 * degrades a feature or fails closed. ioredis keeps reconnecting in the background.
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  redis.on('error', () => undefined);
  return redis;
}
