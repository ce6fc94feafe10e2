import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { eventsChannel, EVENTS_STREAM, type DomainEvent } from './events';

export interface EventRelay {
  /** Run soon (an event was just queued in this process). */
  kick(): void;
  /** Moves one batch; resolves to how many events were published. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Moves outbox rows to Redis in id order: XADD to a capped stream (replay for late consumers) and PUBLISH
 * (live fan-out to every API instance). Rows are locked with SKIP LOCKED so several API instances can relay
 * without publishing an event twice; a failed Redis call rolls the batch back and it is retried.
 */
export function startEventRelay(o: {
  pg: Pool;
  redis: Redis;
  logger: Pick<Logger, 'warn' | 'info'>;
  intervalMs?: number;
  batchSize?: number;
}): EventRelay {
  const interval = o.intervalMs ?? 250;
  const batch = o.batchSize ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;
  let failing = false;

  async function moveBatch(): Promise<number> {
    const client = await o.pg.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        id: string;
        type: string;
        payload: Omit<DomainEvent, 'id' | 'occurredAt'>;
        created_at: Date;
      }>(
        'SELECT id, type, payload, created_at FROM event_outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [batch],
      );
      if (!rows.length) {
        await client.query('COMMIT');
        return 0;
      }
      const multi = o.redis.multi();
      for (const r of rows) {
        const event: DomainEvent = { ...r.payload, id: r.id, occurredAt: r.created_at.toISOString() };
        const json = JSON.stringify(event);
        multi.xadd(EVENTS_STREAM, 'MAXLEN', '~', '100000', '*', 'event', json);
        multi.publish(eventsChannel(o.redis.options.db), json);
      }
      const res = await multi.exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error('redis transaction aborted');
      await client.query('UPDATE event_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [
        rows.map((r) => r.id),
      ]);
      await client.query('COMMIT');
      if (failing) {
        failing = false;
        o.logger.info('event relay to Redis recovered');
      }
      return rows.length;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      if (!failing) {
        failing = true;
        o.logger.warn(
          { err: { message: (err as Error).message } },
          'event relay to Redis failing; events wait in the outbox',
        );
      }
      return 0;
    } finally {
      client.release(broken);
    }
  }

  const runOnce = () => {
    running ??= moveBatch().finally(() => {
      running = undefined;
    });
    return running;
  };
  const loop = async () => {
    if (stopped) return;
    let n = await runOnce().catch(() => 0);
    while (n === batch && !stopped) n = await runOnce().catch(() => 0);
    if (!stopped) {
      timer = setTimeout(loop, interval);
      timer.unref();
    }
  };
  timer = setTimeout(loop, interval);
  timer.unref();

  return {
    kick() {
      if (stopped || running) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(loop, 0);
      timer.unref();
    },
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
