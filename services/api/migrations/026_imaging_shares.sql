-- Time-limited, revocable read-only links to one imaging study. Only the SHA-256 of the token is kept: a database
-- read does not hand out working links. Every use is audited (audit_log), not counted here.
CREATE TABLE imaging_shares (
  id          uuid PRIMARY KEY,
  token_hash  text NOT NULL UNIQUE,
  study_uid   text NOT NULL CHECK (length(study_uid) <= 64),
  patient_id  text NOT NULL,
  created_by  uuid NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  revoked_by  uuid REFERENCES users (id),
  CHECK (expires_at > created_at)
);
CREATE INDEX imaging_shares_study ON imaging_shares (study_uid);
