import type { Pool, PoolClient } from 'pg';
import type { QueueStatus } from '@wintehr/contracts';
import type { RecordedDecision } from '@wintehr/contracts';

type Db = Pool | PoolClient;

export interface QueueItemRow {
  medicationRequestId: string;
  pharmacyOrgId: string;
  patientId: string;
  status: QueueStatus;
  priority: 'routine' | 'urgent' | 'asap' | 'stat';
  authoredOn: string | null;
  quantityPrescribed: number | null;
  quantityDispensed: number;
  claimedBy: string | null;
  claimedAt: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  decisions: RecordedDecision[];
  returnedAt: string | null;
  dispensedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewQueueItem {
  medicationRequestId: string;
  pharmacyOrgId: string;
  patientId: string;
  priority: QueueItemRow['priority'];
  authoredOn?: string;
  quantityPrescribed?: number;
}

const COLUMNS = `medication_request_id, pharmacy_org_id, patient_id, status, priority, authored_on, quantity_prescribed, quantity_dispensed,
  claimed_by, claimed_at, verified_by, verified_at, decisions, returned_at, dispensed_at, created_at, updated_at`;

interface Raw {
  medication_request_id: string;
  pharmacy_org_id: string;
  patient_id: string;
  status: QueueStatus;
  priority: QueueItemRow['priority'];
  authored_on: Date | null;
  quantity_prescribed: string | null;
  quantity_dispensed: string;
  claimed_by: string | null;
  claimed_at: Date | null;
  verified_by: string | null;
  verified_at: Date | null;
  decisions: RecordedDecision[];
  returned_at: Date | null;
  dispensed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toRow(r: Raw): QueueItemRow {
  return {
    medicationRequestId: r.medication_request_id,
    pharmacyOrgId: r.pharmacy_org_id,
    patientId: r.patient_id,
    status: r.status,
    priority: r.priority,
    authoredOn: iso(r.authored_on),
    quantityPrescribed: r.quantity_prescribed === null ? null : Number(r.quantity_prescribed),
    quantityDispensed: Number(r.quantity_dispensed),
    claimedBy: r.claimed_by,
    claimedAt: iso(r.claimed_at),
    verifiedBy: r.verified_by,
    verifiedAt: iso(r.verified_at),
    decisions: r.decisions,
    returnedAt: iso(r.returned_at),
    dispensedAt: iso(r.dispensed_at),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export const queueRepository = {
  /** Inserts items not yet known; returns the ids that were new (so only their arrival is announced). */
  async insertNew(db: Db, items: readonly NewQueueItem[]): Promise<string[]> {
    if (!items.length) return [];
    const { rows } = await db.query<{ medication_request_id: string }>(
      `INSERT INTO pharmacy_queue_items (medication_request_id, pharmacy_org_id, patient_id, priority, authored_on, quantity_prescribed)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::numeric[])
       ON CONFLICT (medication_request_id) DO NOTHING RETURNING medication_request_id`,
      [
        items.map((i) => i.medicationRequestId),
        items.map((i) => i.pharmacyOrgId),
        items.map((i) => i.patientId),
        items.map((i) => i.priority),
        items.map((i) => i.authoredOn ?? null),
        items.map((i) => i.quantityPrescribed ?? null),
      ],
    );
    return rows.map((r) => r.medication_request_id);
  },

  async get(
    db: Db,
    medicationRequestId: string,
    opts: { forUpdate?: boolean } = {},
  ): Promise<QueueItemRow | undefined> {
    const { rows } = await db.query<Raw>(
      `SELECT ${COLUMNS} FROM pharmacy_queue_items WHERE medication_request_id = $1${opts.forUpdate ? ' FOR UPDATE' : ''}`,
      [medicationRequestId],
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  },

  async listByOrg(
    db: Db,
    orgId: string,
    statuses: readonly QueueStatus[],
    ids?: readonly string[],
  ): Promise<QueueItemRow[]> {
    const { rows } = await db.query<Raw>(
      `SELECT ${COLUMNS} FROM pharmacy_queue_items WHERE pharmacy_org_id = $1 AND status = ANY($2::text[])
       ${ids ? 'AND medication_request_id = ANY($3::text[])' : ''}`,
      ids ? [orgId, statuses, ids] : [orgId, statuses],
    );
    return rows.map(toRow);
  },

  /** Atomic claim: only a queued item, or one this user already holds, or one whose claim is older than staleAfter. */
  async claim(db: Db, medicationRequestId: string, userId: string): Promise<QueueItemRow | undefined> {
    const { rows } = await db.query<Raw>(
      `UPDATE pharmacy_queue_items SET status = CASE WHEN status = 'queued' THEN 'claimed' ELSE status END,
              claimed_by = $2, claimed_at = now(), updated_at = now()
       WHERE medication_request_id = $1 AND status IN ('queued','claimed','verified','partially_dispensed')
         AND (claimed_by IS NULL OR claimed_by = $2)
       RETURNING ${COLUMNS}`,
      [medicationRequestId, userId],
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  },

  async release(db: Db, medicationRequestId: string, userId: string): Promise<QueueItemRow | undefined> {
    const { rows } = await db.query<Raw>(
      `UPDATE pharmacy_queue_items SET status = CASE WHEN status IN ('claimed','verified') THEN 'queued' ELSE status END,
              claimed_by = NULL, claimed_at = NULL, verified_by = NULL, verified_at = NULL, updated_at = now()
       WHERE medication_request_id = $1 AND claimed_by = $2 AND status IN ('claimed','verified','partially_dispensed')
       RETURNING ${COLUMNS}`,
      [medicationRequestId, userId],
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  },

  async recordVerification(
    db: Db,
    medicationRequestId: string,
    userId: string,
    decisions: RecordedDecision[],
    verified: boolean,
  ): Promise<QueueItemRow | undefined> {
    const { rows } = await db.query<Raw>(
      `UPDATE pharmacy_queue_items SET decisions = $3::jsonb,
              status = CASE WHEN status = 'partially_dispensed' THEN status WHEN $4 THEN 'verified' ELSE 'claimed' END,
              verified_by = CASE WHEN $4 THEN $2::uuid ELSE NULL END, verified_at = CASE WHEN $4 THEN now() ELSE NULL END, updated_at = now()
       WHERE medication_request_id = $1 AND claimed_by = $2 AND status IN ('claimed','verified','partially_dispensed')
       RETURNING ${COLUMNS}`,
      [medicationRequestId, userId, JSON.stringify(decisions), verified],
    );
    return rows[0] ? toRow(rows[0]) : undefined;
  },

  async recordDispense(
    db: Db,
    medicationRequestId: string,
    quantity: number,
    status: 'dispensed' | 'partially_dispensed',
  ): Promise<void> {
    await db.query(
      `UPDATE pharmacy_queue_items SET quantity_dispensed = quantity_dispensed + $2, status = $3, updated_at = now(),
              dispensed_at = CASE WHEN $3 = 'dispensed' THEN now() ELSE dispensed_at END
       WHERE medication_request_id = $1`,
      [medicationRequestId, quantity, status],
    );
  },

  async markReturned(db: Db, medicationRequestId: string): Promise<void> {
    await db.query(
      `UPDATE pharmacy_queue_items SET status = 'returned', returned_at = now(), updated_at = now() WHERE medication_request_id = $1`,
      [medicationRequestId],
    );
  },
};
