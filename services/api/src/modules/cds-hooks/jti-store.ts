/**
 * One-time use of CDS client JWT ids: Redis `SET NX` with a TTL to the token's expiry, shared by every API
 * instance; while Redis is unreachable, an in-memory LRU keeps replay protection on this instance.
 */
import type { Redis } from 'ioredis';

export interface JtiStore {
  /** True when the id was not seen before (and is now recorded until ttlSeconds pass). */
  claim(id: string, ttlSeconds: number): Promise<boolean>;
}

export class MemoryJtiStore implements JtiStore {
  private readonly seen = new Map<string, number>();
  constructor(private readonly max = 50_000) {}

  async claim(id: string, ttlSeconds: number): Promise<boolean> {
    const now = Date.now();
    const until = this.seen.get(id);
    if (until !== undefined && until > now) return false;
    this.seen.delete(id);
    this.seen.set(id, now + ttlSeconds * 1000);
    if (this.seen.size > this.max) {
      // Map keeps insertion order: drop expired entries first, then the oldest.
      for (const [k, t] of this.seen) {
        if (t <= now || this.seen.size > this.max) this.seen.delete(k);
        else break;
      }
    }
    return true;
  }
}

export class RedisJtiStore implements JtiStore {
  constructor(
    private readonly redis: Redis,
    private readonly fallback = new MemoryJtiStore(),
    private readonly timeoutMs = 250,
  ) {}

  async claim(id: string, ttlSeconds: number): Promise<boolean> {
    const key = `wintehr:cds:jti:${id}`;
    const ttl = Math.max(1, Math.ceil(ttlSeconds));
    try {
      if (this.redis.status !== 'ready') throw new Error('redis not ready');
      const r = await Promise.race([
        this.redis.set(key, '1', 'EX', ttl, 'NX'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('redis timeout')), this.timeoutMs).unref()),
      ]);
      // Also remember locally, so a replay during a later Redis outage is still caught on this instance.
      if (r === 'OK') void this.fallback.claim(id, ttl);
      return r === 'OK';
    } catch {
      return this.fallback.claim(id, ttl);
    }
  }
}
