import { createHash } from 'node:crypto';
import type { AuditRecord } from './audit-types';

/** The prevHash of the very first row of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields a row's hash covers, in a fixed list: a missing value and NULL hash the same, so a record
 * hashes identically before it is written and after it is read back from PostgreSQL.
 */
export const HASHED_FIELDS = [
  'id',
  'occurredAt',
  'action',
  'outcome',
  'userId',
  'username',
  'role',
  'clientId',
  'resourceType',
  'resourceId',
  'patientId',
  'clientIp',
  'userAgent',
  'requestId',
  'purposeOfUse',
  'details',
] as const satisfies ReadonlyArray<keyof AuditRecord>;

export type HashedContent = Omit<AuditRecord, 'hash' | 'prevHash'> & Partial<Pick<AuditRecord, 'prevHash'>>;

/**
 * JSON with object keys sorted recursively. jsonb stores keys in its own order (shortest first), so the
 * hash must not depend on key order; arrays keep theirs. undefined members are dropped, as JSON does.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (typeof value === 'object') {
    if (value instanceof Date) return JSON.stringify(value.toISOString());
    const obj = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(obj).sort()) {
      const v = obj[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  const json = JSON.stringify(value);
  return json === undefined ? 'null' : json;
}

/** The canonical text a row's hash covers (prevHash and hash excluded: prevHash is the prefix). */
export function canonicalAuditContent(record: HashedContent): string {
  const content: Record<string, unknown> = {};
  for (const f of HASHED_FIELDS) content[f] = record[f] ?? null;
  return canonicalJson(content);
}

/** sha256 (hex) over the previous row's hash followed by this row's canonical content. */
export function computeAuditHash(prevHash: string, record: HashedContent): string {
  return createHash('sha256').update(prevHash).update(canonicalAuditContent(record)).digest('hex');
}

export interface ChainRow extends HashedContent {
  prevHash: string;
  hash: string;
}

export interface ChainStart {
  /** The hash the first row must point back to (GENESIS_HASH at the start of the table). */
  prevHash: string;
  /** The id of the row before the first one, when known, to report gaps precisely. */
  prevId?: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The id and hash of the last row that verified. */
  lastId?: string;
  lastHash: string;
  firstBrokenId?: string;
  reason?: string;
}

/**
 * Walks rows in the given order and checks that each points back to the one before it and that its hash
 * matches its content. Stops at the first break: an edited row fails its own hash; a deleted or reordered
 * row breaks the next row's link.
 */
export function verifyChain(rows: Iterable<ChainRow>, start: string | ChainStart = GENESIS_HASH): ChainVerification {
  const s: ChainStart = typeof start === 'string' ? { prevHash: start } : start;
  let prevHash = s.prevHash;
  let prevId = s.prevId;
  let checked = 0;
  for (const row of rows) {
    const broken = (reason: string): ChainVerification => ({
      ok: false,
      checked,
      lastId: prevId,
      lastHash: prevHash,
      firstBrokenId: row.id,
      reason,
    });
    if (prevId !== undefined && BigInt(row.id) <= BigInt(prevId)) {
      return broken(`id ${row.id} does not follow id ${prevId}: rows out of order`);
    }
    if (row.prevHash !== prevHash) {
      const gap = prevId !== undefined && BigInt(row.id) !== BigInt(prevId) + 1n;
      return broken(
        gap
          ? `prev_hash does not match row ${prevId}: rows ${BigInt(prevId!) + 1n}..${BigInt(row.id) - 1n} are missing`
          : `prev_hash does not match the hash of the previous row${prevId ? ` (${prevId})` : ''}: a row was removed, inserted or rewritten`,
      );
    }
    if (computeAuditHash(prevHash, row) !== row.hash) {
      return broken('hash does not match the row content: the row was modified');
    }
    prevHash = row.hash;
    prevId = row.id;
    checked++;
  }
  return { ok: true, checked, lastId: prevId, lastHash: prevHash };
}
