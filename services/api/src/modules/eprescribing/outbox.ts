import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../core/deps';
import { erxRepository, type ErxMessageRow } from './erx.repository';
import { transmissionTask } from './erx-tasks';
import { classifyAnswer } from './outcome';
import { postScript } from './transport';

/**
 * The e-prescribing outbox. A message is first a row in erx_messages (status pending), then a BullMQ job whose
 * jobId is its SCRIPT MessageID, so enqueueing twice is one job. The worker POSTs it to the network and records
 * the answer. Delivery is at least once: a lost acknowledgement or a timeout after the network accepted leads to a
 * redelivery with the same MessageID, which the network recognises and does not count twice.
 *  - retries: `maxAttempts` with exponential backoff from `backoffMs`;
 *  - dead letter: after the last attempt (or a fatal answer) the row becomes `error` with the reason, the job is
 *    copied to the `<queue>-dead` queue, an alert is logged and `erx.status.changed` is published;
 *  - sweeper: rows still pending/sent whose job went missing (Redis restarted, enqueue failed) are re-enqueued.
 */
export interface ErxOutbox {
  enqueue(messageId: string): Promise<boolean>;
  startWorker(o?: { sweepEveryMs?: number; sweepOlderThanSeconds?: number }): void;
  /** Delivers one message now, outside BullMQ (tests, tooling). */
  deliver(messageId: string): Promise<void>;
  close(): Promise<void>;
}

const ENQUEUE_TIMEOUT_MS = 2_000;
const outboxes = new WeakMap<AppDeps, ErxOutbox>();

/** One outbox per deps (one per process); the router and tests share it. */
export function erxOutbox(deps: AppDeps): ErxOutbox {
  let o = outboxes.get(deps);
  if (!o) {
    o = createOutbox(deps);
    outboxes.set(deps, o);
  }
  return o;
}

function createOutbox(deps: AppDeps): ErxOutbox {
  const { config, pg, logger } = deps;
  const queueName = config.erx.queue;
  let connection: Redis | undefined;
  let queue: Queue | undefined;
  let dead: Queue | undefined;
  let worker: Worker | undefined;
  let sweeper: NodeJS.Timeout | undefined;

  const conn = () => {
    // BullMQ needs maxRetriesPerRequest: null (blocking commands); not the app's fail-fast client.
    if (!connection) {
      connection = new Redis(config.redis.url, { maxRetriesPerRequest: null, enableReadyCheck: false });
      connection.on('error', () => undefined);
    }
    return connection;
  };
  const q = () => (queue ??= new Queue(queueName, { connection: conn() }));

  async function statusChanged(row: ErxMessageRow, status: string, reason?: string) {
    await deps.events
      .publish({
        type: 'erx.status.changed',
        patientId: row.patientId ?? undefined,
        resourceType: row.medicationRequestId ? 'MedicationRequest' : undefined,
        resourceId: row.medicationRequestId ?? undefined,
        data: {
          messageId: row.messageId,
          messageType: row.type,
          status,
          ...(reason ? { reasonCode: reason.split(/[:/ ]/)[0] ?? null } : {}),
        },
      })
      .catch((err: Error) =>
        logger.error({ err: { message: err.message }, messageId: row.messageId }, 'erx event not published'),
      );
    if (row.taskId && (row.type === 'NewRx' || row.type === 'CancelRx') && row.medicationRequestId && row.patientId) {
      try {
        const current = await deps.fhir.read('Task', row.taskId);
        const next = transmissionTask({
          messageId: row.messageId,
          messageType: row.type,
          medicationRequestId: row.medicationRequestId,
          patientId: row.patientId,
          status,
          reason,
        });
        await deps.fhir.update({
          ...current,
          status: next.status,
          businessStatus: next.businessStatus,
          statusReason: next.statusReason,
          lastModified: next.lastModified,
        });
      } catch (err) {
        logger.warn(
          { err: { message: (err as Error).message }, messageId: row.messageId },
          'erx transmission Task not updated; erx_messages stays authoritative',
        );
      }
    }
  }

  async function finish(
    row: ErxMessageRow,
    status: 'accepted' | 'rejected' | 'error',
    c: { reason?: string; responseCode?: string; responsePayload?: string },
  ) {
    const moved = await erxRepository.complete(pg, row.messageId, { status, ...c });
    if (!moved) return;
    logger.info({ messageId: row.messageId, type: row.type, status, code: c.responseCode }, 'erx message completed');
    await statusChanged(row, status, c.reason);
  }

  async function deliver(messageId: string): Promise<void> {
    const row = await erxRepository.get(pg, messageId);
    if (!row || row.direction !== 'outbound') throw new UnrecoverableError('unknown outbound message');
    if (row.status !== 'pending' && row.status !== 'sent') return; // already final: a redundant job
    const first = row.status === 'pending';
    await erxRepository.markAttempt(pg, messageId);
    if (first) await statusChanged(row, 'sent');
    let answer;
    try {
      answer = await postScript(config.erx, row.payload);
    } catch (err) {
      await erxRepository.noteError(pg, messageId, (err as Error).message);
      throw err;
    }
    const outcome = classifyAnswer(answer);
    if (outcome.kind === 'accepted')
      return finish(row, 'accepted', { responseCode: outcome.code, responsePayload: answer.body });
    if (outcome.kind === 'rejected')
      return finish(row, 'rejected', {
        reason: outcome.reason,
        responseCode: outcome.code,
        responsePayload: answer.body,
      });
    await erxRepository.noteError(pg, messageId, outcome.reason);
    if (outcome.kind === 'fatal') throw new UnrecoverableError(outcome.reason);
    throw new Error(outcome.reason);
  }

  async function deadLetter(job: Job, err: Error) {
    const messageId = String(job.data?.messageId ?? job.id);
    logger.error(
      { alert: 'erx.dead_letter', messageId, attempts: job.attemptsMade, reason: err.message },
      'ALERT: e-prescribing message could not be delivered',
    );
    try {
      dead ??= new Queue(`${queueName}-dead`, { connection: conn() });
      await dead.add(
        'dead',
        { messageId, reason: err.message, failedAt: new Date().toISOString() },
        { jobId: messageId, removeOnComplete: true },
      );
    } catch {
      /* the row below is the durable record */
    }
    const row = await erxRepository.get(pg, messageId);
    if (row)
      await finish(row, 'error', { reason: `undeliverable after ${job.attemptsMade} attempt(s): ${err.message}` });
  }

  async function sweep(olderThanSeconds: number) {
    try {
      const ids = await erxRepository.unfinished(pg, olderThanSeconds);
      for (const id of ids) await enqueue(id);
    } catch (err) {
      logger.warn({ err: { message: (err as Error).message } }, 'erx outbox sweep failed');
    }
  }

  async function enqueue(messageId: string): Promise<boolean> {
    const add = q().add(
      'deliver',
      { messageId },
      {
        jobId: messageId,
        attempts: config.erx.maxAttempts,
        backoff: { type: 'exponential', delay: config.erx.backoffMs },
        removeOnComplete: { age: 86_400 },
        removeOnFail: { age: 7 * 86_400 },
      },
    );
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        add,
        new Promise((_r, reject) => {
          timer = setTimeout(() => reject(new Error('enqueue timeout')), ENQUEUE_TIMEOUT_MS);
        }),
      ]);
      return true;
    } catch (err) {
      // The row stays pending: the sweeper enqueues it once Redis is back. Nothing is lost.
      logger.warn(
        { err: { message: (err as Error).message }, messageId },
        'erx enqueue failed; the sweeper will retry',
      );
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    enqueue,
    deliver,
    startWorker(o = {}) {
      if (worker) return;
      worker = new Worker(queueName, async (job) => deliver(String(job.data.messageId)), {
        connection: conn(),
        concurrency: 4,
      });
      worker.on('failed', (job, err) => {
        if (!job) return;
        const final =
          err instanceof UnrecoverableError ||
          err.name === 'UnrecoverableError' ||
          job.attemptsMade >= (job.opts.attempts ?? 1);
        if (final)
          void deadLetter(job, err).catch((e: Error) =>
            logger.error({ err: { message: e.message } }, 'erx dead-letter handling failed'),
          );
        else
          logger.warn(
            { messageId: job.id, attempt: job.attemptsMade, reason: err.message },
            'erx delivery failed; will retry',
          );
      });
      worker.on('error', (err) => logger.warn({ err: { message: err.message } }, 'erx worker error'));
      const every = o.sweepEveryMs ?? 30_000;
      sweeper = setInterval(() => void sweep(o.sweepOlderThanSeconds ?? 60), every);
      sweeper.unref();
      void sweep(o.sweepOlderThanSeconds ?? 60);
    },
    async close() {
      if (sweeper) clearInterval(sweeper);
      await worker?.close().catch(() => undefined);
      await queue?.close().catch(() => undefined);
      await dead?.close().catch(() => undefined);
      await connection?.quit().catch(() => connection?.disconnect());
      outboxes.delete(deps);
    },
  };
}
