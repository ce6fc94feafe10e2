import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { DeaSchedule } from '../drug-safety';

type Db = Pool | PoolClient;

export interface LotRow {
  id: string;
  pharmacyOrgId: string;
  ndc: string;
  rxcui: string;
  lotNumber: string;
  expiry: string;
  quantity: number;
  unit: string;
  deaSchedule: DeaSchedule | null;
  updatedAt: string;
}

interface RawLot {
  id: string;
  pharmacy_org_id: string;
  ndc: string;
  rxcui: string;
  lot_number: string;
  expiry: string;
  quantity: string;
  unit: string;
  dea_schedule: DeaSchedule | null;
  updated_at: Date;
}

// expiry is read as text (YYYY-MM-DD) so no time zone ever shifts a date.
const LOT_COLUMNS =
  'id, pharmacy_org_id, ndc, rxcui, lot_number, expiry::text AS expiry, quantity, unit, dea_schedule, updated_at';

function toLot(r: RawLot): LotRow {
  return {
    id: r.id,
    pharmacyOrgId: r.pharmacy_org_id,
    ndc: r.ndc,
    rxcui: r.rxcui,
    lotNumber: r.lot_number,
    expiry: r.expiry,
    quantity: Number(r.quantity),
    unit: r.unit,
    deaSchedule: r.dea_schedule,
    updatedAt: r.updated_at.toISOString(),
  };
}

export const inventoryRepository = {
  /** Adds received stock to its lot (created on first receipt); returns the lot after the receipt. */
  async receive(
    db: Db,
    o: {
      orgId: string;
      ndc: string;
      rxcui: string;
      lotNumber: string;
      expiry: string;
      quantity: number;
      unit: string;
      schedule?: DeaSchedule;
    },
  ): Promise<LotRow> {
    const { rows } = await db.query<RawLot>(
      `INSERT INTO inventory_lots (id, pharmacy_org_id, ndc, rxcui, lot_number, expiry, quantity, unit, dea_schedule)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (pharmacy_org_id, ndc, lot_number, expiry) DO UPDATE SET quantity = inventory_lots.quantity + EXCLUDED.quantity, updated_at = now()
       RETURNING ${LOT_COLUMNS}`,
      [randomUUID(), o.orgId, o.ndc, o.rxcui, o.lotNumber, o.expiry, o.quantity, o.unit, o.schedule ?? null],
    );
    return toLot(rows[0]!);
  },

  async insertReceipt(
    db: Db,
    o: { orgId: string; lotId: string; quantity: number; supplier?: string; invoiceNumber?: string; userId: string },
  ): Promise<{ id: string; receivedAt: string }> {
    const id = randomUUID();
    const { rows } = await db.query<{ received_at: Date }>(
      `INSERT INTO inventory_receipts (id, pharmacy_org_id, lot_id, quantity, supplier, invoice_number, received_by) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING received_at`,
      [id, o.orgId, o.lotId, o.quantity, o.supplier ?? null, o.invoiceNumber ?? null, o.userId],
    );
    return { id, receivedAt: rows[0]!.received_at.toISOString() };
  },

  async lots(db: Db, orgId: string, o: { ndc?: string; includeEmpty?: boolean } = {}): Promise<LotRow[]> {
    const { rows } = await db.query<RawLot>(
      `SELECT ${LOT_COLUMNS} FROM inventory_lots WHERE pharmacy_org_id = $1 AND ($2::text IS NULL OR ndc = $2) AND ($3 OR quantity > 0)
       ORDER BY ndc, expiry, lot_number`,
      [orgId, o.ndc ?? null, o.includeEmpty ?? false],
    );
    return rows.map(toLot);
  },

  async findLot(db: Db, orgId: string, ndc: string, lotNumber: string, expiry?: string): Promise<LotRow[]> {
    const { rows } = await db.query<RawLot>(
      `SELECT ${LOT_COLUMNS} FROM inventory_lots WHERE pharmacy_org_id = $1 AND ndc = $2 AND lot_number = $3 AND ($4::date IS NULL OR expiry = $4::date)
       ORDER BY expiry`,
      [orgId, ndc, lotNumber, expiry ?? null],
    );
    return rows.map(toLot);
  },

  /**
   * The decrement that can never overdraw: the row changes only if it still holds enough. Zero rows back means
   * a concurrent dispense got there first (or the lot never had enough); the caller tries the next lot or answers
   * OUT_OF_STOCK. The row stays locked until the caller's transaction ends.
   */
  async decrement(db: Db, lotId: string, quantity: number): Promise<LotRow | undefined> {
    const { rows } = await db.query<RawLot>(
      `UPDATE inventory_lots SET quantity = quantity - $2, updated_at = now() WHERE id = $1 AND quantity >= $2 RETURNING ${LOT_COLUMNS}`,
      [lotId, quantity],
    );
    return rows[0] ? toLot(rows[0]) : undefined;
  },

  async thresholds(db: Db, orgId: string): Promise<Map<string, number>> {
    const { rows } = await db.query<{ ndc: string; low_stock: string }>(
      'SELECT ndc, low_stock FROM inventory_thresholds WHERE pharmacy_org_id = $1',
      [orgId],
    );
    return new Map(rows.map((r) => [r.ndc, Number(r.low_stock)]));
  },

  async setThreshold(db: Db, orgId: string, ndc: string, lowStock: number): Promise<void> {
    await db.query(
      `INSERT INTO inventory_thresholds (pharmacy_org_id, ndc, low_stock) VALUES ($1, $2, $3)
       ON CONFLICT (pharmacy_org_id, ndc) DO UPDATE SET low_stock = EXCLUDED.low_stock, updated_at = now()`,
      [orgId, ndc, lowStock],
    );
  },
};
