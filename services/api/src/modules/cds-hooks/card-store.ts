/** PostgreSQL persistence of issued cards and their feedback, and the per-rule report (migration 005). */
import type { Pool } from 'pg';
import type { IssuedCard } from './cards';

export interface CardBatch {
  serviceId: string;
  hook: string;
  hookInstance: string;
  patientId?: string;
  clientIss: string;
  cards: readonly IssuedCard[];
}

export interface FeedbackRow {
  card: string;
  outcome: 'accepted' | 'overridden';
  overrideReason?: { reason?: { system?: string; code?: string; display?: string }; userComment?: string };
  acceptedSuggestions?: { id: string }[];
  outcomeTimestamp: string;
}

export interface RuleReport {
  ruleId: string;
  serviceIds: string[];
  fired: number;
  accepted: number;
  overridden: number;
  /** overridden / (accepted + overridden), or null without feedback */
  overrideRate: number | null;
  topOverrideReasons: { code: string; display?: string; count: number }[];
}

export const cardStore = {
  async recordIssued(pg: Pool, b: CardBatch): Promise<void> {
    if (!b.cards.length) return;
    // This insert is on every hook call's critical path. Card records feed feedback linking and the alert-fatigue
    // report, not the audit trail (which is written separately), so this one transaction commits without waiting
    // for the WAL flush: a database crash may lose the last few hundred milliseconds of card records, nothing else.
    await pg.query(
      `WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true))
       INSERT INTO cds_cards (uuid, service_id, hook, hook_instance, rule_id, indicator, suggestion_uuids, patient_id, client_iss)
       SELECT u::uuid, $2, $3, $4, r, i, string_to_array(s, ','), $5, $6
         FROM unnest($1::text[], $7::text[], $8::text[], $9::text[]) AS t(u, r, i, s) CROSS JOIN relaxed`,
      [
        b.cards.map((c) => c.uuid),
        b.serviceId,
        b.hook,
        b.hookInstance,
        b.patientId ?? null,
        b.clientIss,
        b.cards.map((c) => c.ruleId),
        b.cards.map((c) => c.indicator),
        b.cards.map((c) => c.suggestionUuids.join(',')),
      ],
    );
  },

  /** The cards of this service among `uuids`, with their rule and patient, for validation and audit. */
  async findIssued(
    pg: Pool,
    serviceId: string,
    uuids: readonly string[],
  ): Promise<Map<string, { ruleId: string; patientId: string | null; suggestionUuids: string[]; clientIss: string }>> {
    const { rows } = await pg.query<{
      uuid: string;
      rule_id: string;
      patient_id: string | null;
      suggestion_uuids: string[];
      client_iss: string;
    }>(
      'SELECT uuid, rule_id, patient_id, suggestion_uuids, client_iss FROM cds_cards WHERE service_id = $1 AND uuid = ANY($2::uuid[])',
      [serviceId, uuids],
    );
    return new Map(
      rows.map((r) => [
        r.uuid,
        { ruleId: r.rule_id, patientId: r.patient_id, suggestionUuids: r.suggestion_uuids, clientIss: r.client_iss },
      ]),
    );
  },

  async recordFeedback(pg: Pool, serviceId: string, clientIss: string, items: readonly FeedbackRow[]): Promise<number> {
    let stored = 0;
    for (const f of items) {
      const r = await pg.query(
        `INSERT INTO cds_feedback (card_uuid, service_id, outcome, override_reason_system, override_reason_code, override_reason_display, user_comment, accepted_suggestions, outcome_timestamp, client_iss)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
        [
          f.card,
          serviceId,
          f.outcome,
          f.overrideReason?.reason?.system ?? null,
          f.overrideReason?.reason?.code ?? null,
          f.overrideReason?.reason?.display ?? null,
          f.overrideReason?.userComment ?? null,
          (f.acceptedSuggestions ?? []).map((s) => s.id),
          f.outcomeTimestamp,
          clientIss,
        ],
      );
      stored += r.rowCount ?? 0;
    }
    return stored;
  },

  async report(pg: Pool, since: Date, until: Date): Promise<RuleReport[]> {
    const { rows } = await pg.query<{
      rule_id: string;
      service_ids: string[];
      fired: string;
      accepted: string;
      overridden: string;
      reasons: { code: string; display: string | null; count: number }[] | null;
    }>(
      `WITH cards AS (
         SELECT uuid, rule_id, service_id FROM cds_cards WHERE issued_at >= $1 AND issued_at < $2
       ), outcomes AS (
         SELECT f.card_uuid, bool_or(f.outcome = 'accepted') AS accepted, bool_or(f.outcome = 'overridden') AS overridden
           FROM cds_feedback f JOIN cards c ON c.uuid = f.card_uuid GROUP BY f.card_uuid
       ), reasons AS (
         SELECT c.rule_id, coalesce(f.override_reason_code, '(none given)') AS code, max(f.override_reason_display) AS display, count(*)::int AS count
           FROM cds_feedback f JOIN cards c ON c.uuid = f.card_uuid WHERE f.outcome = 'overridden'
          GROUP BY c.rule_id, coalesce(f.override_reason_code, '(none given)')
       )
       SELECT c.rule_id, array_agg(DISTINCT c.service_id) AS service_ids, count(*) AS fired,
              count(*) FILTER (WHERE o.accepted) AS accepted, count(*) FILTER (WHERE o.overridden) AS overridden,
              (SELECT json_agg(json_build_object('code', r.code, 'display', r.display, 'count', r.count) ORDER BY r.count DESC, r.code)
                 FROM (SELECT * FROM reasons r WHERE r.rule_id = c.rule_id ORDER BY r.count DESC, r.code LIMIT 5) r) AS reasons
         FROM cards c LEFT JOIN outcomes o ON o.card_uuid = c.uuid
        GROUP BY c.rule_id ORDER BY count(*) DESC, c.rule_id`,
      [since, until],
    );
    return rows.map((r) => {
      const accepted = Number(r.accepted);
      const overridden = Number(r.overridden);
      return {
        ruleId: r.rule_id,
        serviceIds: r.service_ids,
        fired: Number(r.fired),
        accepted,
        overridden,
        overrideRate: accepted + overridden ? Math.round((overridden / (accepted + overridden)) * 1000) / 1000 : null,
        topOverrideReasons: (r.reasons ?? []).map((x) => ({
          code: x.code,
          ...(x.display ? { display: x.display } : {}),
          count: x.count,
        })),
      };
    });
  },
};
