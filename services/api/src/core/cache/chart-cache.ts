import client from 'prom-client';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ChartChange } from '../fhir/patients-touched';

/**
 * Short-lived per-patient views (the chart summary, the drug-safety context) in Redis, keyed by the chart's version.
 *
 * Every write to HAPI passes through FhirClient, which reports the patients it touched (`changed`); each touched
 * chart's version counter moves on, so the next read misses and recomputes — no module has to remember to
 * invalidate. A write whose patient cannot be told moves the global epoch (every chart). The TTL only bounds what no
 * invalidation can see: writes made to HAPI behind the API's back (HAPI is never exposed; the demo seed loader is one).
 *
 * Redis trouble never fails a request: reads fall back to computing. If a version could not be moved (Redis down
 * during a write), the cache is not trusted again until the global epoch has been moved, so no instance can serve a
 * view older than the write.
 */
export interface ChartCache {
  changed(change: ChartChange): Promise<void>;
  get<T>(kind: string, patientId: string, compute: () => Promise<T>): Promise<T>;
  /** Values for many patients; `compute` gets only the misses. Errors it returns are passed on, never cached. */
  getMany<T>(
    kind: string,
    patientIds: readonly string[],
    compute: (missing: readonly string[]) => Promise<Map<string, T | Error>>,
  ): Promise<Map<string, T | Error>>;
}

const EPOCH = 'wintehr:chart:epoch';
const versionKey = (id: string) => `wintehr:chart:v:${id}`;
const valueKey = (kind: string, id: string, epoch: string | null, v: string | null) =>
  `wintehr:chart:c:${kind}:${id}:${epoch ?? 0}.${v ?? 0}`;

export function createChartCache(o: {
  redis: Redis;
  ttlSeconds: number;
  logger: Logger;
  registry?: client.Registry;
}): ChartCache {
  const { redis, ttlSeconds, logger } = o;
  const lookups = new client.Counter({
    name: 'wintehr_chart_cache_lookups_total',
    help: 'Chart cache lookups by view and outcome (hit, miss, bypass while Redis is unavailable or untrusted)',
    labelNames: ['kind', 'outcome'],
    registers: o.registry ? [o.registry] : [],
  });
  // Untrusted until the first lookup moves the epoch: HAPI may have changed while no instance was running (the demo
  // seed loader writes to it directly before the API starts).
  let untrusted = true;

  /** After a lost invalidation: trust the cache again only once every chart's entries are unreachable. */
  async function trusted(): Promise<boolean> {
    if (!untrusted) return true;
    try {
      await redis.incr(EPOCH);
      untrusted = false;
      logger.info('chart cache trusted again (global epoch moved after a lost invalidation)');
      return true;
    } catch {
      return false;
    }
  }

  async function lookup(kind: string, ids: readonly string[]): Promise<Map<string, { key: string; hit?: unknown }>> {
    const [epoch, ...versions] = await redis.mget(EPOCH, ...ids.map(versionKey));
    const keys = ids.map((id, i) => valueKey(kind, id, epoch ?? null, versions[i] ?? null));
    const values = await redis.mget(...keys);
    const out = new Map<string, { key: string; hit?: unknown }>();
    ids.forEach((id, i) => {
      const raw = values[i];
      out.set(id, raw == null ? { key: keys[i]! } : { key: keys[i]!, hit: JSON.parse(raw) as unknown });
    });
    return out;
  }

  async function store(entries: Array<[string, unknown]>): Promise<void> {
    if (!entries.length) return;
    const p = redis.pipeline();
    for (const [key, value] of entries) p.set(key, JSON.stringify(value), 'EX', ttlSeconds);
    await p.exec().catch(() => undefined);
  }

  const cache: ChartCache = {
    async changed(change) {
      if (ttlSeconds <= 0 || change.kind === 'none') return;
      try {
        if (change.kind === 'all') await redis.incr(EPOCH);
        else {
          const p = redis.multi();
          for (const id of change.ids) p.incr(versionKey(id)).expire(versionKey(id), 86_400 + ttlSeconds);
          const res = await p.exec();
          if (!res || res.some(([err]) => err)) throw new Error('version bump failed');
        }
      } catch (err) {
        untrusted = true;
        logger.warn({ err: { message: (err as Error).message } }, 'chart cache invalidation failed; cache bypassed');
      }
    },

    async get<T>(kind: string, patientId: string, compute: () => Promise<T>) {
      // getMany asks compute only for misses: here that is this one patient or nobody.
      const one = await cache.getMany<T>(kind, [patientId], async () => new Map([[patientId, await compute()]]));
      return one.get(patientId) as T;
    },

    async getMany<T>(
      kind: string,
      patientIds: readonly string[],
      compute: (missing: readonly string[]) => Promise<Map<string, T | Error>>,
    ) {
      const ids = [...new Set(patientIds)];
      if (ttlSeconds <= 0 || !ids.length) return compute(ids);
      let found: Map<string, { key: string; hit?: unknown }> | undefined;
      if (await trusted()) found = await lookup(kind, ids).catch(() => undefined);
      if (!found) {
        lookups.inc({ kind, outcome: 'bypass' }, ids.length);
        return compute(ids);
      }
      const out = new Map<string, T | Error>();
      const missing: string[] = [];
      for (const id of ids) {
        const f = found.get(id)!;
        if (f.hit !== undefined) out.set(id, f.hit as T);
        else missing.push(id);
      }
      lookups.inc({ kind, outcome: 'hit' }, ids.length - missing.length);
      if (missing.length) {
        lookups.inc({ kind, outcome: 'miss' }, missing.length);
        const computed = await compute(missing);
        const toStore: Array<[string, unknown]> = [];
        for (const [id, v] of computed) {
          out.set(id, v);
          if (!(v instanceof Error) && v !== undefined) toStore.push([found.get(id)!.key, v]);
        }
        await store(toStore);
      }
      return out;
    },
  };
  return cache;
}
