-- Portal proxy access (issue 16): a person with a portal account acts for another patient. Rows are never deleted:
-- revoking stamps revoked_at, so the grant's history stays next to the audit records that name it.
CREATE TABLE proxy_grants (
  id                  uuid PRIMARY KEY,
  proxy_user_id       uuid NOT NULL REFERENCES users(id),
  subject_patient_id  text NOT NULL,
  relationship        text NOT NULL CHECK (relationship IN ('parent','guardian','caregiver')),
  related_person_id   text,
  granted_by          uuid NOT NULL REFERENCES users(id),
  granted_at          timestamptz NOT NULL DEFAULT now(),
  valid_until         timestamptz,
  revoked_at          timestamptz,
  revoked_by          uuid REFERENCES users(id),
  CHECK (valid_until IS NULL OR valid_until > granted_at)
);
-- One live grant per proxy and subject: granting again after a revocation makes a new row.
CREATE UNIQUE INDEX proxy_grants_live ON proxy_grants (proxy_user_id, subject_patient_id) WHERE revoked_at IS NULL;
CREATE INDEX proxy_grants_subject ON proxy_grants (subject_patient_id);
