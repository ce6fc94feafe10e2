import { GENESIS_HASH, canonicalJson, computeAuditHash, verifyChain, type ChainRow } from './audit-hash';
import type { AuditInput } from './audit-types';

function chain(inputs: AuditInput[], startId = 1, startHash = GENESIS_HASH): ChainRow[] {
  const rows: ChainRow[] = [];
  let prevHash = startHash;
  inputs.forEach((input, i) => {
    const content = {
      ...input,
      id: String(startId + i),
      occurredAt: new Date(Date.UTC(2025, 0, 1, 12, 0, 0, i)).toISOString(),
    };
    const hash = computeAuditHash(prevHash, content);
    rows.push({ ...content, prevHash, hash });
    prevHash = hash;
  });
  return rows;
}

const sample = (n: number): AuditInput[] =>
  Array.from({ length: n }, (_, i) => ({
    action: i % 2 ? 'patient.read' : 'fhir.search',
    outcome: 'success',
    userId: `u-${i % 3}`,
    username: `user${i % 3}`,
    role: 'physician',
    resourceType: 'Patient',
    resourceId: `p-${i}`,
    patientId: `p-${i}`,
    clientIp: '10.0.0.1',
    requestId: `req-${i}`,
    purposeOfUse: 'TREAT',
    details: { params: ['name', 'birthdate'], count: i, nested: { b: 1, a: [2, { z: 1, y: 2 }] } },
  }));

describe('canonicalJson', () => {
  it('sorts keys recursively, keeps array order, drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"x":2,"y":1}]},"b":1}',
    );
  });
  it('does not depend on key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ long_key: 1, k: { zz: 1, a: 2 } })).toBe(canonicalJson({ k: { a: 2, zz: 1 }, long_key: 1 }));
  });
});

describe('computeAuditHash', () => {
  const base = {
    id: '7',
    occurredAt: '2025-01-01T00:00:00.000Z',
    action: 'patient.read',
    outcome: 'success' as const,
    details: { a: 1, b: 2 },
  };

  it('is sha256 hex and treats missing and null fields alike', () => {
    const h = computeAuditHash(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAuditHash(GENESIS_HASH, { ...base, userId: null as unknown as undefined })).toBe(h);
    expect(computeAuditHash(GENESIS_HASH, { ...base, details: { b: 2, a: 1 } })).toBe(h);
  });

  it('changes with the previous hash, the id, the time and every field', () => {
    const h = computeAuditHash(GENESIS_HASH, base);
    expect(computeAuditHash('1'.repeat(64), base)).not.toBe(h);
    const variants: Record<string, unknown>[] = [
      { id: '8' },
      { occurredAt: '2025-01-01T00:00:00.001Z' },
      { action: 'patient.update' },
      { outcome: 'denied' },
      { userId: 'u' },
      { username: 'u' },
      { role: 'nurse' },
      { clientId: 'c' },
      { resourceType: 'Observation' },
      { resourceId: 'x' },
      { patientId: 'p' },
      { clientIp: '1.2.3.4' },
      { userAgent: 'ua' },
      { requestId: 'r' },
      { purposeOfUse: 'ETREAT' },
      { details: { a: 1, b: 3 } },
      { details: { a: 1 } },
    ];
    const seen = new Set([h]);
    for (const v of variants) {
      const other = computeAuditHash(GENESIS_HASH, { ...base, ...v });
      expect(seen.has(other)).toBe(false);
      seen.add(other);
    }
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const rows = chain(sample(10));
    const r = verifyChain(rows);
    expect(r).toEqual({ ok: true, checked: 10, lastId: '10', lastHash: rows[9]!.hash });
    expect(verifyChain([])).toEqual({ ok: true, checked: 0, lastId: undefined, lastHash: GENESIS_HASH });
  });

  it('continues across pages from a given start', () => {
    const rows = chain(sample(10));
    const first = verifyChain(rows.slice(0, 4));
    const second = verifyChain(rows.slice(4), { prevHash: first.lastHash, prevId: first.lastId });
    expect(second).toMatchObject({ ok: true, checked: 6, lastId: '10' });
    expect(verifyChain(rows.slice(4)).ok).toBe(false);
  });

  it.each([
    ['username', 'mallory'],
    ['outcome', 'denied'],
    ['patientId', 'someone-else'],
    ['occurredAt', '2025-01-01T12:00:00.999Z'],
    ['details', { params: ['name'], count: 4, nested: { b: 1, a: [2, { z: 1, y: 2 }] } }],
  ])('detects a change of %s in a middle row', (field, value) => {
    const rows = chain(sample(10));
    (rows[4] as unknown as Record<string, unknown>)[field] = value;
    expect(verifyChain(rows)).toMatchObject({
      ok: false,
      checked: 4,
      firstBrokenId: '5',
      reason: expect.stringMatching(/modified/),
    });
  });

  it('detects an edited row whose hash was recomputed (the next link breaks)', () => {
    const rows = chain(sample(10));
    rows[4]!.username = 'mallory';
    rows[4]!.hash = computeAuditHash(rows[4]!.prevHash, rows[4]!);
    expect(verifyChain(rows)).toMatchObject({ ok: false, firstBrokenId: '6' });
  });

  it('detects a deleted middle row', () => {
    const rows = chain(sample(10));
    rows.splice(5, 1);
    expect(verifyChain(rows)).toMatchObject({
      ok: false,
      checked: 5,
      firstBrokenId: '7',
      reason: expect.stringMatching(/6\.\.6 are missing/),
    });
  });

  it('detects a deleted first row', () => {
    const rows = chain(sample(3)).slice(1);
    expect(verifyChain(rows)).toMatchObject({ ok: false, checked: 0, firstBrokenId: '2' });
  });

  it('detects reordered rows', () => {
    const rows = chain(sample(10));
    [rows[3], rows[4]] = [rows[4]!, rows[3]!];
    expect(verifyChain(rows)).toMatchObject({ ok: false, checked: 3, firstBrokenId: '5' });
  });

  it('detects reordered rows even when ids were swapped too', () => {
    const rows = chain(sample(10));
    const a = rows[3]!;
    const b = rows[4]!;
    [a.id, b.id] = [b.id, a.id];
    [rows[3], rows[4]] = [b, a];
    expect(verifyChain(rows)).toMatchObject({ ok: false, checked: 3, firstBrokenId: '4' });
  });

  it('detects an inserted forged row', () => {
    const rows = chain(sample(6));
    const forged = { ...rows[2]!, id: '3', username: 'mallory' };
    forged.hash = computeAuditHash(forged.prevHash, forged);
    rows.splice(3, 0, forged);
    expect(verifyChain(rows).ok).toBe(false);
  });
});
