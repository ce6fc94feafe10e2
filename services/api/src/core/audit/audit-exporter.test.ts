import type { Pool } from 'pg';
import pino from 'pino';
import { FhirValidationError, hapiUnavailable } from '../errors';
import type { FhirClient } from '../fhir/fhir-client';
import { GENESIS_HASH, computeAuditHash } from './audit-hash';
import { startAuditExporter } from './audit-exporter';
import type { AuditRow } from './audit-row';

function rows(n: number): AuditRow[] {
  const out: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const rec = {
      id: String(i),
      occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      action: 'patient.read',
      outcome: 'success' as const,
      patientId: i === 2 ? 'gone' : `p${i}`,
    };
    const hash = computeAuditHash(prev, rec);
    out.push({
      id: rec.id,
      occurred_at: rec.occurredAt,
      user_id: null,
      username: 'u',
      role: null,
      client_id: null,
      action: rec.action,
      resource_type: null,
      resource_id: null,
      patient_id: rec.patientId,
      outcome: 'success',
      client_ip: null,
      user_agent: null,
      request_id: null,
      purpose_of_use: null,
      details: null,
      prev_hash: prev,
      hash,
    });
    prev = hash;
  }
  return out;
}

function fakePool(table: AuditRow[]) {
  const state = { cursor: '0', commits: 0, rollbacks: 0 };
  const client = {
    on() {},
    off() {},
    release() {},
    async query(sql: string, params: unknown[] = []) {
      if (sql.startsWith('SELECT last_id')) return { rows: [{ last_id: state.cursor }] };
      if (sql.startsWith('SELECT') && sql.includes('FROM audit_log WHERE id > $1')) {
        const [after, limit] = params as [string, number];
        return { rows: table.filter((r) => BigInt(r.id) > BigInt(after)).slice(0, limit) };
      }
      if (sql.startsWith('UPDATE audit_export_cursor')) state.cursor = params[1] as string;
      if (sql === 'COMMIT') state.commits++;
      if (sql === 'ROLLBACK') state.rollbacks++;
      return { rows: [] };
    },
  };
  return { pool: { connect: async () => client } as unknown as Pool, state };
}

const silent = pino({ level: 'silent' });

describe('audit exporter (fakes)', () => {
  it('PUTs one transaction with client-assigned ids and advances the cursor after HAPI accepted it', async () => {
    const { pool, state } = fakePool(rows(5));
    const transaction = jest.fn(
      async (b: fhir4.Bundle) =>
        ({
          resourceType: 'Bundle',
          type: 'transaction-response',
          entry: b.entry!.map(() => ({ response: { status: '201 Created' } })),
        }) as fhir4.Bundle,
    );
    const fhir = { baseUrl: 'http://hapi/fhir', transaction } as unknown as FhirClient;
    const ex = await startAuditExporter({
      pool,
      fhir,
      redisUrl: 'redis://unused',
      logger: silent,
      worker: false,
      batchSize: 3,
    });
    expect(await ex.runOnce()).toBe(3);
    expect(state.cursor).toBe('3');
    const bundle = transaction.mock.calls[0]![0];
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry!.map((e) => e.request)).toEqual(
      rows(3).map((r) => ({ method: 'PUT', url: `AuditEvent/wintehr-audit-${r.id}-${r.hash.slice(0, 16)}` })),
    );
    expect(await ex.runOnce()).toBe(2);
    expect(await ex.runOnce()).toBe(0);
    expect(state.cursor).toBe('5');
  });

  it('leaves the cursor alone while HAPI is unreachable', async () => {
    const { pool, state } = fakePool(rows(3));
    const fhir = {
      baseUrl: 'x',
      transaction: async () => {
        throw hapiUnavailable('HAPI FHIR server is unreachable');
      },
    } as unknown as FhirClient;
    const ex = await startAuditExporter({ pool, fhir, redisUrl: 'redis://unused', logger: silent, worker: false });
    await expect(ex.runOnce()).rejects.toThrow(/unreachable/);
    expect(state).toMatchObject({ cursor: '0', commits: 0, rollbacks: 1 });
  });

  it('refuses to advance when HAPI reports a failed entry', async () => {
    const { pool, state } = fakePool(rows(2));
    const fhir = {
      baseUrl: 'x',
      transaction: async () => ({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [{ response: { status: '201' } }],
      }),
    } as unknown as FhirClient;
    const ex = await startAuditExporter({ pool, fhir, redisUrl: 'redis://unused', logger: silent, worker: false });
    await expect(ex.runOnce()).rejects.toThrow(/failed of 1 entries/);
    expect(state.cursor).toBe('0');
  });

  it('when HAPI rejects the batch, exports one by one and points at unknown targets by identifier', async () => {
    const { pool, state } = fakePool(rows(3));
    const stored: fhir4.AuditEvent[] = [];
    const update = jest.fn(async (ev: fhir4.AuditEvent) => {
      const ref = ev.entity?.[0]?.what?.reference;
      if (ref === 'Patient/gone') throw new FhirValidationError('Resource Patient/gone not found');
      stored.push(ev);
      return ev;
    });
    const fhir = {
      baseUrl: 'x',
      transaction: async () => {
        throw new FhirValidationError('Resource Patient/gone not found');
      },
      update,
    } as unknown as FhirClient;
    const ex = await startAuditExporter({ pool, fhir, redisUrl: 'redis://unused', logger: silent, worker: false });
    expect(await ex.runOnce()).toBe(3);
    expect(state.cursor).toBe('3');
    expect(stored.map((e) => e.entity![0]!.what)).toEqual([
      { reference: 'Patient/p1' },
      { identifier: { system: 'urn:wintehr:fhir:Patient', value: 'gone' }, type: 'Patient', display: 'Patient/gone' },
      { reference: 'Patient/p3' },
    ]);
  });
});
