-- Append-only, hash-chained audit trail (HIPAA §164.312(b)). Each row's hash covers its content and the
-- previous row's hash, so an edit or a deletion anywhere breaks the chain from there on.
CREATE TABLE audit_log (
  id             bigint PRIMARY KEY,
  occurred_at    timestamptz NOT NULL,
  user_id        text,
  username       text,
  role           text,
  client_id      text,
  action         text NOT NULL,
  resource_type  text,
  resource_id    text,
  patient_id     text,
  outcome        text NOT NULL CHECK (outcome IN ('success','denied','failure')),
  client_ip      text,
  user_agent     text,
  request_id     text,
  purpose_of_use text,
  details        jsonb,
  prev_hash      text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash           text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$')
);
-- Queries page newest-first on id (keyset), so every filter index ends with id.
CREATE INDEX audit_log_patient ON audit_log (patient_id, id);
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_username ON audit_log (username, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_time ON audit_log (occurred_at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- How far the FHIR AuditEvent export has got; the exporter advances it only after HAPI accepted a batch.
CREATE TABLE audit_export_cursor (
  name        text PRIMARY KEY,
  last_id     bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO audit_export_cursor (name, last_id) VALUES ('hapi', 0);
