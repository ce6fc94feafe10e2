import { normalizeInput, rowToRecord, type AuditRow } from './audit-row';
import type { AuditInput } from './audit-types';

describe('normalizeInput', () => {
  it('keeps a clean entry as it is', () => {
    const e: AuditInput = {
      action: 'patient.read',
      outcome: 'success',
      userId: 'u1',
      patientId: 'p1',
      details: { params: ['name'] },
    };
    expect(normalizeInput(e)).toEqual(e);
  });

  it('stores a proxy flag inside details, where the hash covers it, and without it adds nothing', () => {
    const n = normalizeInput({
      action: 'portal.record.read',
      outcome: 'success',
      userId: 'proxy-user',
      patientId: 'child',
      details: { basis: 'self' },
      proxy: { grantId: 'g1', relationship: 'parent' },
    });
    expect(n).toEqual({
      action: 'portal.record.read',
      outcome: 'success',
      userId: 'proxy-user',
      patientId: 'child',
      details: { basis: 'self', proxy: { grantId: 'g1', relationship: 'parent' } },
    });
    expect(
      normalizeInput({ action: 'a', outcome: 'success', proxy: { grantId: 'g2', relationship: 'caregiver' } }),
    ).toEqual({ action: 'a', outcome: 'success', details: { proxy: { grantId: 'g2', relationship: 'caregiver' } } });
  });

  it('turns details into what jsonb gives back', () => {
    const d = new Date('2025-01-01T00:00:00.000Z');
    const n = normalizeInput({
      action: 'a',
      outcome: 'success',
      details: { at: d, gone: undefined, big: 10n, list: [1, undefined] },
    });
    expect(n.details).toEqual({ at: '2025-01-01T00:00:00.000Z', big: '10', list: [1, null] });
  });

  it('never throws: unserialisable details become a marker, bad outcome a failure, no action "unknown"', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const n = normalizeInput({ action: '', outcome: 'maybe' as never, details: circular });
    expect(n).toEqual({ action: 'unknown', outcome: 'failure', details: { unserializable: true } });
  });

  it('removes what PostgreSQL cannot store as hashed (NUL, lone surrogates) and bounds lengths', () => {
    const n = normalizeInput({
      action: 'x',
      outcome: 'success',
      userAgent: `a\u0000b\uD800c${'z'.repeat(5000)}`,
      details: { k: 'v\u0000', ok: '😀' },
    });
    expect(n.userAgent!.startsWith('a\uFFFDb\uFFFDc')).toBe(true);
    expect(n.userAgent!.length).toBe(2000);
    expect(n.details).toEqual({ k: 'v\uFFFD', ok: '😀' });
  });

  it('does not split a surrogate pair when truncating', () => {
    const n = normalizeInput({ action: 'x', outcome: 'success', username: `${'a'.repeat(1999)}😀` });
    expect(n.username).toBe(`${'a'.repeat(1999)}\uFFFD`);
  });
});

describe('rowToRecord', () => {
  it('maps columns to fields, drops NULLs and formats the time with milliseconds', () => {
    const row = {
      id: '42',
      occurred_at: new Date('2025-03-04T05:06:07.089Z'),
      user_id: 'u',
      username: null,
      role: null,
      client_id: null,
      action: 'patient.read',
      resource_type: 'Patient',
      resource_id: 'p',
      patient_id: 'p',
      outcome: 'success',
      client_ip: null,
      user_agent: null,
      request_id: null,
      purpose_of_use: null,
      details: null,
      prev_hash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    } satisfies AuditRow;
    expect(rowToRecord(row)).toEqual({
      id: '42',
      occurredAt: '2025-03-04T05:06:07.089Z',
      userId: 'u',
      action: 'patient.read',
      resourceType: 'Patient',
      resourceId: 'p',
      patientId: 'p',
      outcome: 'success',
      prevHash: '0'.repeat(64),
      hash: 'a'.repeat(64),
    });
  });
});
