-- Results reach the patient portal once final (21st Century Cures Act); a clinician may hold one back only by naming
-- the information-blocking exception (45 CFR 171.201–205) that applies. Rows are kept after release so the hold's
-- history stays reviewable; the audit trail records each hold and release as well.
CREATE TABLE result_holds (
  id           uuid PRIMARY KEY,
  report_id    text NOT NULL CHECK (length(report_id) <= 64),
  patient_id   text NOT NULL CHECK (length(patient_id) <= 64),
  exception    text NOT NULL CHECK (exception IN ('preventing-harm','privacy','security','infeasibility','health-it-performance')),
  note         text NOT NULL CHECK (length(note) BETWEEN 1 AND 1000),
  held_by      uuid NOT NULL REFERENCES users (id),
  held_at      timestamptz NOT NULL DEFAULT now(),
  released_by  uuid REFERENCES users (id),
  released_at  timestamptz,
  CHECK ((released_at IS NULL) = (released_by IS NULL))
);
-- At most one hold in force per report; the portal asks "which of this patient's reports are held".
CREATE UNIQUE INDEX result_holds_active_report ON result_holds (report_id) WHERE released_at IS NULL;
CREATE INDEX result_holds_active_patient ON result_holds (patient_id) WHERE released_at IS NULL;
