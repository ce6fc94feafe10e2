import type { Pool } from 'pg';
import pino from 'pino';
import { verifyChain, type ChainRow } from './audit-hash';
import { AUDIT_COLUMNS } from './audit-row';
import { createAuditWriter } from './audit-writer';

/**
 * An in-memory stand-in for the few statements the writer sends, to exercise what a real server makes hard
 * to provoke: a COMMIT whose answer is lost after (or before) the server applied it.
 */
function fakePool(opts: { commit?: Array<'ok' | 'applied-then-lost' | 'lost'> } = {}) {
  const table: ChainRow[] = [];
  const commits = [...(opts.commit ?? [])];
  let connectFailures = 0;
  const pool = {
    failConnect(n: number) {
      connectFailures = n;
    },
    async connect() {
      if (connectFailures > 0) {
        connectFailures--;
        throw new Error('connect ECONNREFUSED');
      }
      let pending: ChainRow[] = [];
      return {
        on() {},
        off() {},
        release() {},
        async query(sql: string, params: unknown[] = []) {
          if (sql.startsWith('SELECT 1 FROM audit_log WHERE hash')) {
            return { rowCount: table.some((r) => r.hash === params[0]) ? 1 : 0, rows: [] };
          }
          if (sql.startsWith('SELECT id, hash FROM audit_log')) {
            const last = table[table.length - 1];
            return { rows: last ? [{ id: last.id, hash: last.hash }] : [], rowCount: last ? 1 : 0 };
          }
          if (sql.startsWith('INSERT INTO audit_log')) {
            const width = AUDIT_COLUMNS.length;
            for (let i = 0; i < params.length; i += width) {
              const row: Record<string, unknown> = {};
              AUDIT_COLUMNS.forEach(([col, field], j) => {
                const v = params[i + j];
                if (v === null) return;
                row[field] = col === 'details' ? JSON.parse(v as string) : v;
              });
              pending.push(row as unknown as ChainRow);
            }
            return { rows: [], rowCount: params.length / width };
          }
          if (sql === 'COMMIT') {
            const mode = commits.shift() ?? 'ok';
            if (mode !== 'lost') table.push(...pending);
            pending = [];
            if (mode !== 'ok') throw new Error('Connection terminated unexpectedly');
          }
          if (sql === 'ROLLBACK') pending = [];
          return { rows: [], rowCount: 0 };
        },
      };
    },
  };
  return { pool: pool as unknown as Pool & typeof pool, table };
}

const silent = pino({ level: 'silent' });
const entry = (i: number) => ({ action: 'patient.read', outcome: 'success' as const, userId: `u${i}`, details: { i } });

describe('audit writer (in-memory database)', () => {
  it('does not write a batch twice when the COMMIT answer was lost after it was applied', async () => {
    const { pool, table } = fakePool({ commit: ['applied-then-lost'] });
    const w = createAuditWriter(pool, silent, { retryMinMs: 1, retryMaxMs: 5 });
    for (let i = 0; i < 10; i++) w.record(entry(i));
    await w.flush();
    expect(table).toHaveLength(10);
    for (let i = 10; i < 15; i++) w.record(entry(i));
    await w.close();
    expect(table.map((r) => r.id)).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 1)));
    expect(verifyChain(table).ok).toBe(true);
  });

  it('writes the batch again when the lost COMMIT had not been applied', async () => {
    const { pool, table } = fakePool({ commit: ['lost', 'lost'] });
    const w = createAuditWriter(pool, silent, { retryMinMs: 1, retryMaxMs: 5 });
    for (let i = 0; i < 7; i++) w.record(entry(i));
    await w.close();
    expect(table).toHaveLength(7);
    expect(table.map((r) => r.userId)).toEqual(Array.from({ length: 7 }, (_, i) => `u${i}`));
    expect(verifyChain(table).ok).toBe(true);
  });

  it('keeps recording order across batches and retries after connection failures', async () => {
    const { pool, table } = fakePool();
    pool.failConnect(3);
    const w = createAuditWriter(pool, silent, { batchSize: 4, retryMinMs: 1, retryMaxMs: 5 });
    for (let i = 0; i < 25; i++) w.record(entry(i));
    await w.flush();
    expect(w.stats()).toMatchObject({ buffered: 0, persisted: 25, consecutiveFailures: 0 });
    expect(table.map((r) => r.userId)).toEqual(Array.from({ length: 25 }, (_, i) => `u${i}`));
    expect(verifyChain(table).ok).toBe(true);
    await w.close();
  });

  it('record() never throws, even for junk', () => {
    const { pool } = fakePool();
    const w = createAuditWriter(pool, silent);
    const circular: Record<string, unknown> = {};
    circular.me = circular;
    expect(() => w.record({ action: 'x', outcome: 'success', details: circular })).not.toThrow();
    expect(() => w.record(null as never)).not.toThrow();
    return w.close();
  });

  it('flush() resolves at once when nothing is pending', async () => {
    const { pool } = fakePool();
    const w = createAuditWriter(pool, silent);
    await expect(w.flush()).resolves.toBeUndefined();
    await w.close();
  });
});
