import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { buildTestApp } from '../../test-support/app-harness';
import { BATCH_QUEUE, startEligibilityBatch } from './batch-scheduler';

/** The nightly job is a BullMQ job scheduler in Redis, with the configured cron in the clinic's zone, and stops cleanly. */
jest.setTimeout(30_000);

let h: Awaited<ReturnType<typeof buildTestApp>>;
beforeAll(async () => {
  h = await buildTestApp();
});
afterAll(() => h?.close());

it('registers the repeatable job once (re-starting replaces it) and closes its worker', async () => {
  const cfg = { cron: '30 1 * * *', concurrency: 2, enabled: true };
  const stopFirst = startEligibilityBatch(h.deps, cfg, 'America/Chicago');
  const stopSecond = startEligibilityBatch(h.deps, cfg, 'America/Chicago');
  const db = new URL(h.deps.config.database.url).pathname.slice(1);
  const connection = new Redis(h.deps.config.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(BATCH_QUEUE, { connection, prefix: `wintehr:${db}:bull` });
  try {
    let schedulers: Awaited<ReturnType<Queue['getJobSchedulers']>> = [];
    for (let i = 0; i < 50 && !schedulers.length; i++) {
      schedulers = await queue.getJobSchedulers();
      if (!schedulers.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(schedulers).toEqual([
      expect.objectContaining({ key: 'nightly-eligibility', pattern: '30 1 * * *', tz: 'America/Chicago' }),
    ]);
    // The next run is 01:30 in Chicago: 07:30 UTC in winter, 06:30 in summer.
    const next = new Date(schedulers[0]!.next!);
    expect([6, 7]).toContain(next.getUTCHours());
    expect(next.getUTCMinutes()).toBe(30);
  } finally {
    await stopFirst();
    await stopSecond();
    await queue.removeJobScheduler('nightly-eligibility');
    await queue.close();
    connection.disconnect();
  }
});
