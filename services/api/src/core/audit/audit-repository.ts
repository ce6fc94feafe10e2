import type { Pool } from 'pg';
import { MAX_AUDIT_PAGE } from '@wintehr/contracts';
import { ValidationError } from '../errors';
import { GENESIS_HASH, verifyChain } from './audit-hash';
import { AUDIT_SELECT, type AuditRow, rowToRecord } from './audit-row';
import type { AuditOutcome, AuditRecord } from './audit-types';

export interface AuditQuery {
  patient?: string;
  /** Matches the user id or the username. */
  user?: string;
  action?: string;
  outcome?: AuditOutcome;
  /** Inclusive lower bound on occurredAt. */
  from?: string | Date;
  /** Exclusive upper bound on occurredAt. */
  to?: string | Date;
  limit: number;
  /** nextCursor of the previous page. */
  cursor?: string;
}

export interface AuditPage {
  records: AuditRecord[];
  nextCursor?: string;
}

function toTimestamp(v: string | Date, name: string): string {
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) throw new ValidationError(`${name} is not a valid date-time`);
  return d.toISOString();
}

/** Newest first, keyset-paged on id: a page is stable while new records keep arriving. */
export async function queryAudit(pool: Pool, q: AuditQuery): Promise<AuditPage> {
  const limit = Math.max(1, Math.min(Math.floor(q.limit) || 50, MAX_AUDIT_PAGE));
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (q.patient) add((p) => `patient_id = ${p}`, q.patient);
  if (q.user) add((p) => `(user_id = ${p} OR username = ${p})`, q.user);
  if (q.action) add((p) => `action = ${p}`, q.action);
  if (q.outcome) add((p) => `outcome = ${p}`, q.outcome);
  if (q.from) add((p) => `occurred_at >= ${p}`, toTimestamp(q.from, 'from'));
  if (q.to) add((p) => `occurred_at < ${p}`, toTimestamp(q.to, 'to'));
  if (q.cursor !== undefined) {
    if (!/^[1-9]\d{0,18}$/.test(q.cursor)) throw new ValidationError('cursor is not valid');
    add((p) => `id < ${p}`, q.cursor);
  }
  params.push(limit + 1);
  const sql = `SELECT ${AUDIT_SELECT} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_log.id DESC LIMIT $${params.length}`;
  const { rows } = await pool.query<AuditRow>(sql, params);
  const more = rows.length > limit;
  const records = rows.slice(0, limit).map(rowToRecord);
  return { records, ...(more ? { nextCursor: records[records.length - 1]!.id } : {}) };
}

export interface AuditTrailVerification {
  ok: boolean;
  checked: number;
  /** The last row that verified: anchor its hash elsewhere to detect a later rewrite of the whole tail. */
  headId?: string;
  headHash: string;
  firstBrokenId?: string;
  reason?: string;
}

/**
 * Re-hashes the whole table in id order, page by page, carrying the chain across pages. Also catches a
 * truncated tail when the FHIR export had already gone past the last remaining row.
 */
export async function verifyAuditTrail(pool: Pool, opts: { pageSize?: number } = {}): Promise<AuditTrailVerification> {
  const pageSize = opts.pageSize ?? 5_000;
  let start: { prevHash: string; prevId?: string } = { prevHash: GENESIS_HASH };
  let checked = 0;
  let lastId = '0';
  for (;;) {
    const { rows } = await pool.query<AuditRow>(
      `SELECT ${AUDIT_SELECT} FROM audit_log WHERE id > $1 ORDER BY audit_log.id LIMIT $2`,
      [lastId, pageSize],
    );
    if (!rows.length) break;
    const result = verifyChain(rows.map(rowToRecord), start);
    checked += result.checked;
    if (!result.ok) {
      return {
        ok: false,
        checked,
        headId: result.lastId,
        headHash: result.lastHash,
        firstBrokenId: result.firstBrokenId,
        reason: result.reason,
      };
    }
    start = { prevHash: result.lastHash, prevId: result.lastId };
    lastId = rows[rows.length - 1]!.id;
    if (rows.length < pageSize) break;
  }
  const exported = await pool
    .query<{ last_id: string }>("SELECT last_id FROM audit_export_cursor WHERE name = 'hapi'")
    .then((r) => r.rows[0]?.last_id)
    .catch(() => undefined);
  if (exported && BigInt(exported) > BigInt(start.prevId ?? '0')) {
    const missingFrom = (BigInt(start.prevId ?? '0') + 1n).toString();
    return {
      ok: false,
      checked,
      headId: start.prevId,
      headHash: start.prevHash,
      firstBrokenId: missingFrom,
      reason: `rows ${missingFrom}..${exported} were exported to FHIR but are no longer in the table: the tail was deleted`,
    };
  }
  return { ok: true, checked, headId: start.prevId, headHash: start.prevHash };
}
