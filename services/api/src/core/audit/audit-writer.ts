import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { GENESIS_HASH, computeAuditHash } from './audit-hash';
import { AUDIT_COLUMNS, normalizeInput } from './audit-row';
import type { AuditInput, AuditLogger, AuditRecord } from './audit-types';

/** Transaction-level advisory lock held while appending: all API instances extend one global chain. */
export const AUDIT_CHAIN_LOCK = 72_000_002;

export interface AuditWriterOptions {
  /** How long a record waits for company before a flush (ms). */
  flushIntervalMs?: number;
  /** Records per INSERT transaction; reaching it flushes at once. */
  batchSize?: number;
  /** Records kept in memory while PostgreSQL is unreachable; beyond that new records are counted and dropped. */
  maxBuffer?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** close() waits this long for the last flush before giving up (and saying how many were lost). */
  closeTimeoutMs?: number;
  now?: () => Date;
}

export interface AuditWriterStats {
  buffered: number;
  persisted: number;
  dropped: number;
  consecutiveFailures: number;
  lastError?: string;
}

export interface AuditWriter extends AuditLogger {
  stats(): AuditWriterStats;
}

type WriterLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

interface Pending {
  seq: number;
  occurredAt: string;
  input: AuditInput;
}

const MAX_PARAMS = 65_535;
const DROP_LOG_EVERY_MS = 10_000;

/**
 * The audit trail's only writer. record() is synchronous and cheap: it cleans the entry, stamps the time and
 * buffers it. A flush loop appends buffered records in batches, each in ONE transaction: advisory lock, read
 * the chain head, assign the next ids, hash, multi-row INSERT. While PostgreSQL is down the buffer is kept and
 * the flush retried with backoff; nothing is dropped unless the bounded buffer overflows, and that is logged.
 * Logs carry counts and error messages only, never record content.
 */
export function createAuditWriter(pool: Pool, logger: WriterLogger, opts: AuditWriterOptions = {}): AuditWriter {
  const flushIntervalMs = opts.flushIntervalMs ?? 5;
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 500, Math.floor(MAX_PARAMS / AUDIT_COLUMNS.length)));
  const maxBuffer = opts.maxBuffer ?? 100_000;
  const retryMinMs = opts.retryMinMs ?? 100;
  const retryMaxMs = opts.retryMaxMs ?? 5_000;
  const closeTimeoutMs = opts.closeTimeoutMs ?? 10_000;
  const now = opts.now ?? (() => new Date());

  let buffer: Pending[] = [];
  let recordedSeq = 0;
  let persistedSeq = 0;
  let persisted = 0;
  let dropped = 0;
  let droppedLogged = 0;
  let lastDropLog = 0;
  let failures = 0;
  let lastError: string | undefined;
  let flushing = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  /** A batch whose COMMIT got no answer: it may or may not be in the table. */
  let uncertain: { lastHash: string; count: number } | undefined;
  const waiters: { target: number; resolve: () => void }[] = [];

  function noteDropped(why: string): void {
    dropped++;
    const t = Date.now();
    if (t - lastDropLog >= DROP_LOG_EVERY_MS) {
      logger.error(
        { droppedTotal: dropped, droppedSinceLastLog: dropped - droppedLogged, buffered: buffer.length, maxBuffer },
        `audit records dropped: ${why}`,
      );
      lastDropLog = t;
      droppedLogged = dropped;
    }
  }

  function schedule(): void {
    if (flushing || retryTimer) return;
    if (buffer.length >= batchSize) {
      if (timer) clearTimeout(timer);
      timer = undefined;
      void run();
    } else if (!timer) {
      timer = setTimeout(() => void run(), flushIntervalMs);
    }
  }

  function settleWaiters(): void {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.target <= persistedSeq) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  async function run(): Promise<void> {
    if (flushing) return;
    timer = undefined;
    flushing = true;
    try {
      while (buffer.length) {
        const n = await writeBatch(buffer.length > batchSize ? buffer.slice(0, batchSize) : buffer.slice());
        persistedSeq = buffer[n - 1]?.seq ?? persistedSeq;
        buffer = buffer.slice(n);
        persisted += n;
        if (failures) {
          logger.info(
            { attempts: failures, buffered: buffer.length },
            'audit writer recovered: PostgreSQL accepts records again',
          );
          failures = 0;
          lastError = undefined;
        }
        settleWaiters();
      }
    } catch (err) {
      failures++;
      const e = err as { message?: string; code?: string };
      lastError = e.message ?? String(err);
      const delay = Math.min(retryMaxMs, retryMinMs * 2 ** Math.min(failures - 1, 20));
      const retryInMs = Math.round(delay / 2 + Math.random() * (delay / 2));
      const log = failures === 1 || failures % 10 === 0 ? logger.error.bind(logger) : logger.warn.bind(logger);
      log(
        { err: { message: lastError, code: e.code }, buffered: buffer.length, attempt: failures, retryInMs },
        'audit flush failed; records kept and retried',
      );
      if (!buffer.length) return; // close() gave up on them already
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        void run();
      }, retryInMs);
    } finally {
      flushing = false;
    }
  }

  /** Appends the batch (or finds it already appended); returns how many buffered records are now persisted. */
  async function writeBatch(batch: Pending[]): Promise<number> {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => void (broken = err); // a connection dying between queries must not crash us
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
      if (uncertain) {
        // The lock proves the earlier transaction has ended, so this answer is final.
        const seen = await client.query('SELECT 1 FROM audit_log WHERE hash = $1', [uncertain.lastHash]);
        const { count } = uncertain;
        uncertain = undefined;
        if (seen.rowCount) {
          await client.query('ROLLBACK');
          return count;
        }
      }
      const head = await client.query<{ id: string; hash: string }>(
        'SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1',
      );
      let prevId = head.rows[0] ? BigInt(head.rows[0].id) : 0n;
      let prevHash = head.rows[0]?.hash ?? GENESIS_HASH;
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (const p of batch) {
        prevId += 1n;
        const rec = { ...p.input, id: prevId.toString(), occurredAt: p.occurredAt } as AuditRecord;
        rec.prevHash = prevHash;
        rec.hash = computeAuditHash(prevHash, rec);
        prevHash = rec.hash;
        const marks: string[] = [];
        for (const [col, field] of AUDIT_COLUMNS) {
          const v = rec[field];
          if (col === 'details') {
            params.push(v === undefined ? null : JSON.stringify(v));
            marks.push(`$${params.length}::jsonb`);
          } else {
            params.push(v ?? null);
            marks.push(`$${params.length}`);
          }
        }
        tuples.push(`(${marks.join(',')})`);
      }
      await client.query(
        `INSERT INTO audit_log (${AUDIT_COLUMNS.map(([c]) => c).join(',')}) VALUES ${tuples.join(',')}`,
        params,
      );
      uncertain = { lastHash: prevHash, count: batch.length };
      await client.query('COMMIT');
      uncertain = undefined;
      return batch.length;
    } catch (err) {
      broken = err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  function record(entry: AuditInput): void {
    if (closed) {
      noteDropped('recorded after close()');
      return;
    }
    if (buffer.length >= maxBuffer) {
      noteDropped('buffer full while PostgreSQL is unreachable');
      return;
    }
    let input: AuditInput;
    try {
      input = normalizeInput(entry);
    } catch {
      input = { action: 'unknown', outcome: 'failure', details: { unserializable: true } };
    }
    buffer.push({ seq: ++recordedSeq, occurredAt: now().toISOString(), input });
    schedule();
  }

  function flush(): Promise<void> {
    if (persistedSeq >= recordedSeq) return Promise.resolve();
    const done = new Promise<void>((resolve) => waiters.push({ target: recordedSeq, resolve }));
    if (!flushing) {
      if (timer) clearTimeout(timer);
      if (retryTimer) clearTimeout(retryTimer);
      timer = retryTimer = undefined;
      void run();
    }
    return done;
  }

  async function close(): Promise<void> {
    closed = true;
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      flush().then(() => false),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(true), closeTimeoutMs);
      }),
    ]);
    clearTimeout(timeout);
    if (timedOut) {
      if (timer) clearTimeout(timer);
      if (retryTimer) clearTimeout(retryTimer);
      timer = retryTimer = undefined;
      logger.error({ unpersisted: buffer.length, lastError }, 'audit writer closed with records not persisted');
      buffer = [];
      for (const w of waiters.splice(0)) w.resolve();
    }
  }

  function stats(): AuditWriterStats {
    return {
      buffered: buffer.length,
      persisted,
      dropped,
      consecutiveFailures: failures,
      ...(lastError ? { lastError } : {}),
    };
  }

  return { record, flush, close, stats };
}
