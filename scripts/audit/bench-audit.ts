/**
 * Audit-writer micro-benchmark (not a test: it prints numbers and asserts nothing).
 *
 *   node --import tsx scripts/audit/bench-audit.ts [--records 100000] [--paced 500]
 *
 * Runs in a scratch schema of DATABASE_URL (default the test database) that it drops afterwards, so the
 * real audit trail never receives benchmark rows. Measures:
 *   1. what a request pays: the cost of one record() call (p50 / p99 / max);
 *   2. throughput: N records recorded as fast as possible, until flush() says they are all in PostgreSQL;
 *   3. time to durable at a paced rate (one record every 2 ms): record() -> flush() resolved;
 *   4. verification speed of the resulting chain.
 */
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import pino from 'pino';
import { migrate } from '../../services/api/src/core/db/migrate';
import { verifyAuditTrail } from '../../services/api/src/core/audit/audit-repository';
import { createAuditWriter } from '../../services/api/src/core/audit/audit-writer';
import type { AuditInput } from '../../services/api/src/core/audit/audit-types';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '100000' }, paced: { type: 'string', default: '500' } },
});
const N = Number(values.records);
const PACED = Number(values.paced);
const url = process.env.DATABASE_URL ?? 'postgres://wintehr:wintehr@127.0.0.1:5432/wintehr_test';

function entry(i: number): AuditInput {
  return {
    action: i % 4 ? 'patient.read' : 'fhir.search',
    outcome: 'success',
    userId: '3b7e2a4c-1d2e-4f50-9a6b-7c8d9e0f1a2b',
    username: 'dr.bench',
    role: 'physician',
    resourceType: 'Observation',
    resourceId: `obs-${i}`,
    patientId: `pat-${i % 1000}`,
    clientIp: '10.20.30.40',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    requestId: `req-${i}`,
    purposeOfUse: 'TREAT',
    details: { params: ['patient', 'category', '_count'], count: 20, status: 200 },
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const schema = `audit_bench_${Date.now().toString(36)}`;
  const admin = new Pool({ connectionString: url, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pool = new Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  try {
    await migrate(pool);
    const logger = pino({ level: 'warn' });

    // 1 + 2: record() cost and throughput.
    const w = createAuditWriter(pool, logger);
    const costs = new Float64Array(N);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const s = process.hrtime.bigint();
      w.record(entry(i));
      costs[i] = Number(process.hrtime.bigint() - s) / 1e3; // µs
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r)); // let flushes run, as between requests
    }
    const tRecorded = process.hrtime.bigint();
    await w.flush();
    const tFlushed = process.hrtime.bigint();
    await w.close();
    const sorted = Array.from(costs).sort((a, b) => a - b);
    const totalS = Number(tFlushed - t0) / 1e9;
    console.log(`record() cost per call (what a request pays), ${N} calls:`);
    console.log(
      `  p50 ${pct(sorted, 50).toFixed(2)} µs   p99 ${pct(sorted, 99).toFixed(2)} µs   max ${sorted[sorted.length - 1]!.toFixed(0)} µs   mean ${(sorted.reduce((a, b) => a + b, 0) / N).toFixed(2)} µs`,
    );
    console.log(
      `throughput: ${N} records recorded in ${(Number(tRecorded - t0) / 1e6).toFixed(0)} ms, all persisted after ${(totalS * 1000).toFixed(0)} ms => ${Math.round(N / totalS)} records/s`,
    );

    // 3: time to durable at a paced rate.
    const w2 = createAuditWriter(pool, logger);
    const durable: number[] = [];
    for (let i = 0; i < PACED; i++) {
      const s = process.hrtime.bigint();
      w2.record(entry(i));
      await w2.flush();
      durable.push(Number(process.hrtime.bigint() - s) / 1e6);
      await new Promise((r) => setTimeout(r, 2));
    }
    await w2.close();
    durable.sort((a, b) => a - b);
    console.log(
      `time to durable (record() then flush(), no batching partner), ${PACED} paced records: p50 ${pct(durable, 50).toFixed(2)} ms   p99 ${pct(durable, 99).toFixed(2)} ms`,
    );

    // 4: verification.
    const v0 = Date.now();
    const v = await verifyAuditTrail(pool);
    const vs = (Date.now() - v0) / 1000;
    console.log(
      `verifyAuditTrail: ${v.ok ? 'OK' : `BROKEN at ${v.firstBrokenId}`}, ${v.checked} records in ${vs.toFixed(2)} s => ${Math.round(v.checked / vs)} records/s`,
    );
  } finally {
    await pool.end();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
