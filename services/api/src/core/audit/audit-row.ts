import type { AuditInput, AuditOutcome, AuditRecord } from './audit-types';

/** audit_log columns in INSERT order, with the AuditRecord field each holds. */
export const AUDIT_COLUMNS = [
  ['id', 'id'],
  ['occurred_at', 'occurredAt'],
  ['user_id', 'userId'],
  ['username', 'username'],
  ['role', 'role'],
  ['client_id', 'clientId'],
  ['action', 'action'],
  ['resource_type', 'resourceType'],
  ['resource_id', 'resourceId'],
  ['patient_id', 'patientId'],
  ['outcome', 'outcome'],
  ['client_ip', 'clientIp'],
  ['user_agent', 'userAgent'],
  ['request_id', 'requestId'],
  ['purpose_of_use', 'purposeOfUse'],
  ['details', 'details'],
  ['prev_hash', 'prevHash'],
  ['hash', 'hash'],
] as const satisfies ReadonlyArray<readonly [string, keyof AuditRecord]>;

/**
 * The columns as read for hashing: id and time as text in exactly the form that was hashed, so the result
 * does not depend on node-postgres type parsers someone may have changed process-wide.
 */
export const AUDIT_SELECT = AUDIT_COLUMNS.map(([c]) =>
  c === 'id'
    ? 'id::text AS id'
    : c === 'occurred_at'
      ? `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS occurred_at`
      : c,
).join(', ');

export interface AuditRow {
  id: string;
  occurred_at: Date | string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  client_id: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  patient_id: string | null;
  outcome: AuditOutcome;
  client_ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  purpose_of_use: string | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
}

/** A row as read with node-postgres (bigint as string, timestamptz as Date, jsonb parsed). */
export function rowToRecord(row: AuditRow): AuditRecord {
  const r: Record<string, unknown> = {};
  for (const [col, field] of AUDIT_COLUMNS) {
    const v = (row as unknown as Record<string, unknown>)[col];
    if (v === null || v === undefined) continue;
    r[field] = v instanceof Date ? v.toISOString() : col === 'id' ? String(v) : v;
  }
  return r as unknown as AuditRecord;
}

const OUTCOMES: ReadonlySet<string> = new Set<AuditOutcome>(['success', 'denied', 'failure']);
const MAX_TEXT = 2_000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const MAX_DETAILS_JSON = 16_000;
const TEXT_FIELDS = [
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
] as const satisfies ReadonlyArray<keyof AuditInput>;

/**
 * PostgreSQL text and jsonb cannot hold NUL, and a lone UTF-16 surrogate would be stored as U+FFFD: either
 * would make the stored row differ from what was hashed (or fail the whole batch). Cleaned before hashing.
 */
export function cleanText(s: string, max = MAX_TEXT): string {
  let out = s.length > max ? s.slice(0, max) : s;
  if (out.includes('\u0000')) out = out.replace(/\u0000/g, '\uFFFD');
  return ANY_SURROGATE.test(out) ? out.replace(LONE_SURROGATE, '\uFFFD') : out;
}

function cleanJson(value: unknown, depth: number): unknown {
  if (depth > 20) return null;
  if (typeof value === 'string') return cleanText(value, MAX_DETAILS_JSON);
  if (Array.isArray(value)) return value.map((v) => cleanJson(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[cleanText(k, 200)] = cleanJson(v, depth + 1);
    return out;
  }
  return value;
}

/**
 * What record() stores: strings cleaned and bounded, an unknown outcome counted as a failure, details turned
 * into plain JSON (exactly what jsonb will give back: Dates become strings, undefined members vanish,
 * bigints become strings). Never throws: an unserialisable details object is replaced by a marker.
 */
export function normalizeInput(entry: AuditInput): AuditInput {
  const out: AuditInput = {
    action: typeof entry.action === 'string' && entry.action ? cleanText(entry.action, 200) : 'unknown',
    outcome: OUTCOMES.has(entry.outcome) ? entry.outcome : 'failure',
  };
  for (const f of TEXT_FIELDS) {
    const v = entry[f];
    if (v === undefined || v === null) continue;
    out[f] = cleanText(String(v));
  }
  const details = entry.proxy ? { ...(entry.details ?? {}), proxy: entry.proxy } : entry.details;
  if (details !== undefined && details !== null) {
    let json: string | undefined;
    try {
      json = JSON.stringify(details, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    } catch {
      json = undefined;
    }
    if (json === undefined) out.details = { unserializable: true };
    else if (json.length > MAX_DETAILS_JSON * 4) out.details = { truncated: true, size: json.length };
    else {
      const parsed: unknown = JSON.parse(json);
      out.details =
        parsed && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (cleanJson(parsed, 0) as Record<string, unknown>)
          : { value: cleanJson(parsed, 0) };
    }
  }
  return out;
}
