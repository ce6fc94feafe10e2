import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';

/** erx_messages (migration 009): every SCRIPT message in or out; the outbound rows are the outbox. */
export type ErxStatus = 'pending' | 'sent' | 'accepted' | 'rejected' | 'error' | 'received';
export interface ErxMessageRow {
  id: string;
  messageId: string;
  direction: 'outbound' | 'inbound';
  type: string;
  status: ErxStatus;
  reason: string | null;
  medicationRequestId: string | null;
  patientId: string | null;
  relatesToMessageId: string | null;
  taskId: string | null;
  payload: string;
  payloadSha256: string;
  signature: string | null;
  responseCode: string | null;
  responsePayload: string | null;
  attempts: number;
  lastError: string | null;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  completedAt: string | null;
}

// `id` in ORDER BY would name this text alias ("99" > "100"): queries order by erx_messages.id.
const COLUMNS = `id::text, message_id AS "messageId", direction, type, status, reason, medication_request_id AS "medicationRequestId",
  patient_id AS "patientId", relates_to_message_id AS "relatesToMessageId", task_id AS "taskId", payload, payload_sha256 AS "payloadSha256",
  signature, response_code AS "responseCode", response_payload AS "responsePayload", attempts, last_error AS "lastError",
  created_by AS "createdBy", created_at AS "createdAt", updated_at AS "updatedAt", sent_at AS "sentAt", completed_at AS "completedAt"`;

/** pg returns timestamptz as Date; the row type (and the status API built on it) promises ISO strings. */
type RawRow = Omit<ErxMessageRow, 'createdAt' | 'updatedAt' | 'sentAt' | 'completedAt'> & {
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  completedAt: Date | null;
};
const toRow = (r: RawRow): ErxMessageRow => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  sentAt: r.sentAt?.toISOString() ?? null,
  completedAt: r.completedAt?.toISOString() ?? null,
});
const firstRow = (rows: RawRow[]) => (rows[0] ? toRow(rows[0]) : undefined);

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
type Db = Pool | PoolClient;

export interface NewErxMessage {
  messageId: string;
  direction: 'outbound' | 'inbound';
  type: string;
  status: ErxStatus;
  payload: string;
  medicationRequestId?: string;
  patientId?: string;
  relatesToMessageId?: string;
  taskId?: string;
  signature?: string;
  createdBy?: string;
}

export const erxRepository = {
  /** Inserts the row; undefined when the MessageID already exists (a redelivery). */
  async insert(db: Db, m: NewErxMessage): Promise<ErxMessageRow | undefined> {
    const r = await db.query<RawRow>(
      `INSERT INTO erx_messages (message_id, direction, type, status, payload, payload_sha256, medication_request_id, patient_id,
         relates_to_message_id, task_id, signature, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT (message_id) DO NOTHING RETURNING ${COLUMNS}`,
      [
        m.messageId,
        m.direction,
        m.type,
        m.status,
        m.payload,
        sha256(m.payload),
        m.medicationRequestId ?? null,
        m.patientId ?? null,
        m.relatesToMessageId ?? null,
        m.taskId ?? null,
        m.signature ?? null,
        m.createdBy ?? null,
      ],
    );
    return firstRow(r.rows);
  },
  async get(db: Db, messageId: string): Promise<ErxMessageRow | undefined> {
    return firstRow(
      (await db.query<RawRow>(`SELECT ${COLUMNS} FROM erx_messages WHERE message_id = $1`, [messageId])).rows,
    );
  },
  async byTask(db: Db, taskId: string): Promise<ErxMessageRow | undefined> {
    return firstRow(
      (
        await db.query<RawRow>(
          `SELECT ${COLUMNS} FROM erx_messages WHERE task_id = $1 AND direction = 'inbound' ORDER BY erx_messages.id LIMIT 1`,
          [taskId],
        )
      ).rows,
    );
  },
  async forMedicationRequest(db: Db, medicationRequestId: string): Promise<ErxMessageRow[]> {
    return (
      await db.query<RawRow>(
        `SELECT ${COLUMNS} FROM erx_messages WHERE medication_request_id = $1 ORDER BY erx_messages.id DESC LIMIT 100`,
        [medicationRequestId],
      )
    ).rows.map(toRow);
  },
  /** Outbound rows not finished, older than the given age: the sweeper re-enqueues them. */
  async unfinished(db: Db, olderThanSeconds: number, limit = 100): Promise<string[]> {
    const r = await db.query<{ messageId: string }>(
      `SELECT message_id AS "messageId" FROM erx_messages WHERE direction = 'outbound' AND status IN ('pending','sent')
         AND updated_at < now() - make_interval(secs => $1) ORDER BY id LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return r.rows.map((x) => x.messageId);
  },
  async markAttempt(db: Db, messageId: string): Promise<void> {
    await db.query(
      `UPDATE erx_messages SET attempts = attempts + 1, status = CASE WHEN status = 'pending' THEN 'sent' ELSE status END,
      sent_at = coalesce(sent_at, now()), updated_at = now() WHERE message_id = $1`,
      [messageId],
    );
  },
  async noteError(db: Db, messageId: string, error: string): Promise<void> {
    await db.query('UPDATE erx_messages SET last_error = $2, updated_at = now() WHERE message_id = $1', [
      messageId,
      error.slice(0, 500),
    ]);
  },
  /** Final state; only moves a row that is still open (pending/sent), so a late answer cannot undo an outcome. */
  async complete(
    db: Db,
    messageId: string,
    c: { status: 'accepted' | 'rejected' | 'error'; reason?: string; responseCode?: string; responsePayload?: string },
  ): Promise<boolean> {
    const r = await db.query(
      `UPDATE erx_messages SET status = $2, reason = $3, response_code = $4, response_payload = coalesce($5, response_payload),
        completed_at = now(), updated_at = now() WHERE message_id = $1 AND status IN ('pending','sent')`,
      [messageId, c.status, c.reason?.slice(0, 500) ?? null, c.responseCode ?? null, c.responsePayload ?? null],
    );
    return (r.rowCount ?? 0) > 0;
  },
  async setTask(db: Db, messageId: string, taskId: string): Promise<void> {
    await db.query('UPDATE erx_messages SET task_id = $2, updated_at = now() WHERE message_id = $1', [
      messageId,
      taskId,
    ]);
  },
  async setResponse(db: Db, messageId: string, responsePayload: string, responseCode: string): Promise<void> {
    await db.query(
      'UPDATE erx_messages SET response_payload = $2, response_code = $3, updated_at = now() WHERE message_id = $1',
      [messageId, responsePayload, responseCode],
    );
  },
};
