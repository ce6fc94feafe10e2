import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ResultHold, ResultHoldException } from '@wintehr/contracts';

interface HoldRow {
  report_id: string;
  patient_id: string;
  exception: ResultHoldException;
  note: string;
  held_by: string;
  held_at: Date;
}

const view = (r: HoldRow): ResultHold => ({
  reportId: r.report_id,
  patientId: r.patient_id,
  exception: r.exception,
  note: r.note,
  heldBy: r.held_by,
  heldAt: r.held_at.toISOString(),
});

/** Result holds (migration 029): at most one in force per report; releasing keeps the row. */
export const holdsRepository = {
  /** The new hold, or undefined when one is already in force for the report. */
  async place(
    pg: Pool,
    h: { reportId: string; patientId: string; exception: ResultHoldException; note: string; userId: string },
  ): Promise<ResultHold | undefined> {
    const { rows } = await pg.query<HoldRow>(
      `INSERT INTO result_holds (id, report_id, patient_id, exception, note, held_by) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (report_id) WHERE released_at IS NULL DO NOTHING
       RETURNING report_id, patient_id, exception, note, held_by::text, held_at`,
      [randomUUID(), h.reportId, h.patientId, h.exception, h.note, h.userId],
    );
    return rows[0] && view(rows[0]);
  },

  /** Whether a hold was in force (and is now released). */
  async release(pg: Pool, reportId: string, userId: string): Promise<boolean> {
    const { rowCount } = await pg.query(
      'UPDATE result_holds SET released_at = now(), released_by = $2 WHERE report_id = $1 AND released_at IS NULL',
      [reportId, userId],
    );
    return (rowCount ?? 0) > 0;
  },

  /** The holds in force for a patient's results, newest first (the chart shows which results the portal keeps back). */
  async inForce(pg: Pool, patientId: string): Promise<ResultHold[]> {
    const { rows } = await pg.query<HoldRow>(
      `SELECT report_id, patient_id, exception, note, held_by::text, held_at FROM result_holds
        WHERE patient_id = $1 AND released_at IS NULL ORDER BY held_at DESC`,
      [patientId],
    );
    return rows.map(view);
  },

  async heldReportIds(pg: Pool, patientId: string): Promise<Set<string>> {
    const { rows } = await pg.query<{ report_id: string }>(
      'SELECT report_id FROM result_holds WHERE patient_id = $1 AND released_at IS NULL',
      [patientId],
    );
    return new Set(rows.map((r) => r.report_id));
  },
};
