import type { Pool, PoolClient } from 'pg';
import type { DeaSchedule } from '../drug-safety';
import type { CsLogRow } from './cs-report';

type Db = Pool | PoolClient;

export interface CsMovement {
  orgId: string;
  ndc: string;
  rxcui: string;
  schedule: DeaSchedule;
  kind: 'receipt' | 'dispense';
  /** Positive amount; the sign comes from the kind. */
  quantity: number;
  lotId: string;
  receiptId?: string;
  dispenseId?: string;
  userId: string;
}

export interface CsEntry extends CsLogRow {
  lotId: string;
  userId: string;
  receiptId: string | null;
  dispenseId: string | null;
}

interface RawEntry {
  id: string;
  kind: 'receipt' | 'dispense';
  quantity: string;
  balance_after: string;
  occurred_at: Date;
  lot_id: string;
  user_id: string;
  receipt_id: string | null;
  dispense_id: string | null;
}

const toEntry = (r: RawEntry): CsEntry => ({
  id: r.id,
  kind: r.kind,
  quantity: Number(r.quantity),
  balanceAfter: Number(r.balance_after),
  occurredAt: r.occurred_at.toISOString(),
  lotId: r.lot_id,
  userId: r.user_id,
  receiptId: r.receipt_id,
  dispenseId: r.dispense_id,
});

export const controlledLogRepository = {
  /**
   * Appends a movement with its running balance. The balance row's lock (held to the end of the caller's
   * transaction) serialises movements of one NDC, so balances are gap-free and in log order. A dispense that
   * would take the balance below zero fails the CHECK and rolls the whole dispense back.
   */
  async append(db: PoolClient, m: CsMovement): Promise<{ id: string; balanceAfter: number }> {
    const signed = m.kind === 'receipt' ? m.quantity : -m.quantity;
    // A receipt may open the balance row; a dispense only ever updates it (PostgreSQL checks the CHECK on the
    // proposed INSERT row before ON CONFLICT, so a negative amount cannot go through the upsert).
    const bal =
      m.kind === 'receipt'
        ? await db.query<{ balance: string }>(
            `INSERT INTO controlled_substance_balances (pharmacy_org_id, ndc, balance) VALUES ($1, $2, $3)
         ON CONFLICT (pharmacy_org_id, ndc) DO UPDATE SET balance = controlled_substance_balances.balance + EXCLUDED.balance
         RETURNING balance`,
            [m.orgId, m.ndc, signed],
          )
        : await db.query<{ balance: string }>(
            'UPDATE controlled_substance_balances SET balance = balance + $3 WHERE pharmacy_org_id = $1 AND ndc = $2 RETURNING balance',
            [m.orgId, m.ndc, signed],
          );
    if (!bal.rows[0])
      throw new Error(`controlled-substance balance missing for NDC ${m.ndc}: stock was never received`);
    const balanceAfter = Number(bal.rows[0].balance);
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO controlled_substance_log (pharmacy_org_id, ndc, rxcui, dea_schedule, kind, quantity, balance_after, lot_id, receipt_id, dispense_id, user_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
      [
        m.orgId,
        m.ndc,
        m.rxcui,
        m.schedule,
        m.kind,
        signed,
        balanceAfter,
        m.lotId,
        m.receiptId ?? null,
        m.dispenseId ?? null,
        m.userId,
      ],
    );
    return { id: rows[0]!.id, balanceAfter };
  },

  /** The NDCs with any controlled-substance movement at this pharmacy (for the all-drugs report). */
  async ndcs(db: Db, orgId: string): Promise<{ ndc: string; rxcui: string; schedule: DeaSchedule }[]> {
    const { rows } = await db.query<{ ndc: string; rxcui: string; dea_schedule: DeaSchedule }>(
      'SELECT DISTINCT ON (ndc) ndc, rxcui, dea_schedule FROM controlled_substance_log WHERE pharmacy_org_id = $1 ORDER BY ndc, id',
      [orgId],
    );
    return rows.map((r) => ({ ndc: r.ndc, rxcui: r.rxcui, schedule: r.dea_schedule }));
  },

  /** The last movement before `from` and every movement in [from, to), in log order. */
  async period(
    db: Db,
    orgId: string,
    ndc: string,
    from: Date,
    to: Date,
  ): Promise<{ before?: CsEntry; within: CsEntry[] }> {
    const cols = 'id, kind, quantity, balance_after, occurred_at, lot_id, user_id, receipt_id, dispense_id';
    const [before, within] = await Promise.all([
      db.query<RawEntry>(
        `SELECT ${cols} FROM controlled_substance_log WHERE pharmacy_org_id = $1 AND ndc = $2 AND occurred_at < $3 ORDER BY id DESC LIMIT 1`,
        [orgId, ndc, from],
      ),
      db.query<RawEntry>(
        `SELECT ${cols} FROM controlled_substance_log WHERE pharmacy_org_id = $1 AND ndc = $2 AND occurred_at >= $3 AND occurred_at < $4 ORDER BY id`,
        [orgId, ndc, from, to],
      ),
    ]);
    return { ...(before.rows[0] ? { before: toEntry(before.rows[0]) } : {}), within: within.rows.map(toEntry) };
  },
};
