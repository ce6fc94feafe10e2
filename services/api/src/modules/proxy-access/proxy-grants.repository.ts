import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ProxyRelationship } from '@wintehr/contracts';

export interface GrantRow {
  id: string;
  proxy_user_id: string;
  proxy_username: string;
  proxy_name: string;
  subject_patient_id: string;
  relationship: ProxyRelationship;
  related_person_id: string | null;
  granted_by: string;
  granted_by_name: string;
  granted_at: Date;
  valid_until: Date | null;
  revoked_at: Date | null;
}

const SELECT = `SELECT g.id, g.proxy_user_id, p.username AS proxy_username, p.display_name AS proxy_name,
       g.subject_patient_id, g.relationship, g.related_person_id, g.granted_by, s.display_name AS granted_by_name,
       g.granted_at, g.valid_until, g.revoked_at
  FROM proxy_grants g JOIN users p ON p.id = g.proxy_user_id JOIN users s ON s.id = g.granted_by`;

export interface NewGrant {
  proxyUserId: string;
  subjectPatientId: string;
  relationship: ProxyRelationship;
  relatedPersonId: string | null;
  grantedBy: string;
  validUntil: Date | null;
}

export const proxyGrantsRepository = {
  /** Every grant of a subject, newest first (revoked and expired ones too: the chart shows the history). */
  async forSubject(pg: Pool, patientId: string): Promise<GrantRow[]> {
    return (
      await pg.query<GrantRow>(`${SELECT} WHERE g.subject_patient_id = $1 ORDER BY g.granted_at DESC`, [patientId])
    ).rows;
  },

  /** The proxy's grants not revoked (expiry and age are judged by the caller, who knows the birth date). */
  async liveForProxy(pg: Pool, proxyUserId: string): Promise<GrantRow[]> {
    return (
      await pg.query<GrantRow>(
        `${SELECT} WHERE g.proxy_user_id = $1 AND g.revoked_at IS NULL AND NOT p.disabled ORDER BY g.granted_at`,
        [proxyUserId],
      )
    ).rows;
  },

  /** The newest grant between this proxy and subject, revoked or not, so a refusal can say why. */
  async latest(pg: Pool, proxyUserId: string, patientId: string): Promise<GrantRow | undefined> {
    return (
      await pg.query<GrantRow>(
        `${SELECT} WHERE g.proxy_user_id = $1 AND g.subject_patient_id = $2
          ORDER BY (g.revoked_at IS NULL) DESC, g.granted_at DESC LIMIT 1`,
        [proxyUserId, patientId],
      )
    ).rows[0];
  },

  /** Inserts the grant; undefined when a live grant between the two already exists. */
  async insert(pg: Pool, g: NewGrant): Promise<string | undefined> {
    const id = randomUUID();
    const { rowCount } = await pg.query(
      `INSERT INTO proxy_grants (id, proxy_user_id, subject_patient_id, relationship, related_person_id, granted_by, valid_until)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
      [id, g.proxyUserId, g.subjectPatientId, g.relationship, g.relatedPersonId, g.grantedBy, g.validUntil],
    );
    return rowCount ? id : undefined;
  },

  async byId(pg: Pool, patientId: string, grantId: string): Promise<GrantRow | undefined> {
    return (await pg.query<GrantRow>(`${SELECT} WHERE g.id = $1 AND g.subject_patient_id = $2`, [grantId, patientId]))
      .rows[0];
  },

  /** Stamps the revocation; false when the grant was already revoked. */
  async revoke(pg: Pool, grantId: string, by: string): Promise<boolean> {
    const { rowCount } = await pg.query(
      'UPDATE proxy_grants SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL',
      [grantId, by],
    );
    return (rowCount ?? 0) > 0;
  },

  /** Proxy display names and relationships by user, for the subject's "who opened my chart". */
  async proxiesOf(
    pg: Pool,
    patientId: string,
  ): Promise<Map<string, { name: string; relationship: ProxyRelationship }>> {
    const { rows } = await pg.query<{ proxy_user_id: string; proxy_name: string; relationship: ProxyRelationship }>(
      `SELECT DISTINCT ON (g.proxy_user_id) g.proxy_user_id, p.display_name AS proxy_name, g.relationship
         FROM proxy_grants g JOIN users p ON p.id = g.proxy_user_id
        WHERE g.subject_patient_id = $1 ORDER BY g.proxy_user_id, g.granted_at DESC`,
      [patientId],
    );
    return new Map(rows.map((r) => [r.proxy_user_id, { name: r.proxy_name, relationship: r.relationship }]));
  },
};
