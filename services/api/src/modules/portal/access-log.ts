import type { Pool } from 'pg';
import type { PortalAccessLog, PortalAccessLogQuery } from '@wintehr/contracts';
import { accessEntryOf, NOT_CHART_ACCESS, type AccessRow } from './access-log-view';

/**
 * "Who opened my chart": successful accesses to the patient's record in the hash-chained audit trail, newest first,
 * keyset-paged on the row id (stable while new rows arrive). The patient's own actions are left out.
 */
export async function accessLog(
  pg: Pool,
  patientId: string,
  selfUserId: string,
  q: PortalAccessLogQuery,
): Promise<PortalAccessLog> {
  const params: unknown[] = [patientId, selfUserId, [...NOT_CHART_ACCESS], q.limit + 1];
  const cursor = q.cursor ? `AND a.id < $${params.push(q.cursor)}` : '';
  const { rows } = await pg.query<{
    id: string;
    occurred_at: Date;
    display_name: string | null;
    role: string | null;
    action: string;
    resource_type: string | null;
    purpose_of_use: string | null;
    proxy_relationship: string | null;
  }>(
    `SELECT a.id::text, a.occurred_at, u.display_name, COALESCE(u.role, a.role) AS role, a.action, a.resource_type,
            a.purpose_of_use, a.details->'proxy'->>'relationship' AS proxy_relationship
       FROM audit_log a LEFT JOIN users u ON u.id::text = a.user_id
      WHERE a.patient_id = $1 AND a.outcome = 'success' AND a.user_id IS DISTINCT FROM $2
        AND a.action <> ALL($3::text[]) ${cursor}
      ORDER BY a.id DESC LIMIT $4`,
    params,
  );
  const page = rows.slice(0, q.limit);
  const entries = page.map((r) =>
    accessEntryOf({
      occurredAt: r.occurred_at.toISOString(),
      displayName: r.display_name,
      role: r.role,
      action: r.action,
      resourceType: r.resource_type,
      purposeOfUse: r.purpose_of_use,
      proxyRelationship: r.proxy_relationship,
    } satisfies AccessRow),
  );
  return { entries, ...(rows.length > q.limit ? { nextCursor: page.at(-1)!.id } : {}) };
}
