import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../core/deps';
import { dayAfter } from '../schedule/day';
import type { AppConfig } from '../../core/config';

type BatchConfig = AppConfig['eligibility']['batch'];
import { runEligibilityBatch } from './batch.service';

/**
 * The nightly batch as a BullMQ job scheduler (a repeatable job in Redis, so with several API instances it runs once
 * per night, on whichever instance is free). The job checks the appointments of the day after it runs, in the
 * clinic's time zone; the run can also be started by hand (batch.router.ts), outside the queue.
 */
export const BATCH_QUEUE = 'eligibility-batch';
const SCHEDULER_ID = 'nightly-eligibility';

export function startEligibilityBatch(deps: AppDeps, cfg: BatchConfig, timeZone: string): () => Promise<void> {
  // Same prefix rule as the other queues: separate databases on one Redis never take each other's jobs.
  const db = new URL(deps.config.database.url).pathname.replace(/^\//, '') || 'wintehr';
  const prefix = `wintehr:${db}:bull`;
  const redis = () => new Redis(deps.config.redis.url, { maxRetriesPerRequest: null }).on('error', () => undefined);
  const connection = redis();
  const workerConnection = redis();
  const queue = new Queue(BATCH_QUEUE, { connection, prefix });
  queue.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'eligibility-batch queue error'));
  void queue
    .upsertJobScheduler(
      SCHEDULER_ID,
      { pattern: cfg.cron, tz: timeZone },
      { name: 'nightly', opts: { removeOnComplete: 50, removeOnFail: 50 } },
    )
    .catch((err: Error) =>
      deps.logger.error({ err: { message: err.message } }, 'eligibility batch could not be scheduled'),
    );
  const worker = new Worker(
    BATCH_QUEUE,
    async (job: Job) => {
      const serviceDate = dayAfter(new Date(job.timestamp || Date.now()), timeZone);
      const run = await runEligibilityBatch(deps, {
        serviceDate,
        timeZone,
        trigger: 'schedule',
        concurrency: cfg.concurrency,
      });
      return { runId: run.id, counts: run.counts };
    },
    { connection: workerConnection, prefix, concurrency: 1 },
  );
  worker.on('error', (err) => deps.logger.warn({ err: { message: err.message } }, 'eligibility-batch worker error'));
  return async () => {
    await worker.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    connection.disconnect();
    workerConnection.disconnect();
  };
}
