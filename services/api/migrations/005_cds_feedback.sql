-- CDS Hooks (modules/cds-hooks): every card returned is recorded with the rule that fired it, so feedback
-- (CDS Hooks 2.0 /feedback) can be attributed to a rule and alert fatigue measured per rule (GET /api/cds/report).
-- No PHI beyond the patient id: summaries and details are not stored.
CREATE TABLE cds_cards (
  uuid             uuid PRIMARY KEY,
  service_id       text NOT NULL,
  hook             text NOT NULL,
  hook_instance    uuid NOT NULL,
  rule_id          text NOT NULL,
  indicator        text NOT NULL CHECK (indicator IN ('info', 'warning', 'critical')),
  suggestion_uuids text[] NOT NULL DEFAULT '{}',
  patient_id       text,
  client_iss       text NOT NULL,
  issued_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cds_cards_rule_issued ON cds_cards (rule_id, issued_at);
CREATE INDEX cds_cards_issued ON cds_cards (issued_at);

CREATE TABLE cds_feedback (
  id                      bigserial PRIMARY KEY,
  card_uuid               uuid NOT NULL REFERENCES cds_cards (uuid) ON DELETE CASCADE,
  service_id              text NOT NULL,
  outcome                 text NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  override_reason_system  text,
  override_reason_code    text,
  override_reason_display text,
  -- The clinician's free-text comment: kept for rule tuning, never copied to logs or the audit trail.
  user_comment            text,
  accepted_suggestions    text[] NOT NULL DEFAULT '{}',
  outcome_timestamp       timestamptz NOT NULL,
  client_iss              text NOT NULL,
  received_at             timestamptz NOT NULL DEFAULT now(),
  -- A client retrying the same feedback does not count twice.
  UNIQUE (card_uuid, outcome, outcome_timestamp)
);
CREATE INDEX cds_feedback_card ON cds_feedback (card_uuid);
