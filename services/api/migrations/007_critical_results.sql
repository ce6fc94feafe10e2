-- Critical-result alert workflow (modules/results). The clinical record itself stays in HAPI (DiagnosticReport,
-- Observations with their interpretation, the Flag, the Communications and the acknowledged extension); this table
-- holds only the workflow state the escalation worker and the "unacknowledged critical results" list need, so
-- neither has to search HAPI on a timer.
CREATE TABLE critical_result_alerts (
  report_id                 text PRIMARY KEY,
  patient_id                text NOT NULL,
  service_request_id        text NOT NULL,
  ordering_practitioner_id  text,
  flag_id                   text,
  observation_ids           text[] NOT NULL DEFAULT '{}',
  critical_codes            text[] NOT NULL DEFAULT '{}',
  created_at                timestamptz NOT NULL DEFAULT now(),
  deadline_at               timestamptz NOT NULL,
  acknowledged_at           timestamptz,
  acknowledged_by           uuid REFERENCES users(id) ON DELETE SET NULL,
  escalation_level          smallint NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
  escalated_at              timestamptz,
  notified_practitioner_ids text[] NOT NULL DEFAULT '{}'
);

CREATE INDEX critical_result_alerts_open_patient ON critical_result_alerts (patient_id) WHERE acknowledged_at IS NULL;
CREATE INDEX critical_result_alerts_open_orderer ON critical_result_alerts (ordering_practitioner_id) WHERE acknowledged_at IS NULL;
