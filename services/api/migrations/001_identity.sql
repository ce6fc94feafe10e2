-- Users and credentials. Clinical data lives in HAPI; a user only points at its FHIR Practitioner/Patient.
CREATE TABLE users (
  id                 uuid PRIMARY KEY,
  username           text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
  display_name       text NOT NULL,
  role               text NOT NULL CHECK (role IN ('physician','nurse','pharmacist','lab_technician','radiologist','admin','patient')),
  fhir_practitioner_id text,
  fhir_practitioner_role_id text,
  fhir_patient_id    text,
  pharmacy_org_id    text,
  password_hash      text NOT NULL,
  failed_logins      integer NOT NULL DEFAULT 0,
  locked_until       timestamptz,
  mfa_enabled        boolean NOT NULL DEFAULT false,
  totp_secret        text,
  totp_pending_secret text,
  totp_last_step     bigint,
  totp_verified_at   timestamptz,
  dea_number         text,
  disabled           boolean NOT NULL DEFAULT false,
  is_demo            boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'patient' OR fhir_patient_id IS NOT NULL)
);

CREATE TABLE mfa_recovery_codes (
  user_id   uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at   timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- Refresh tokens rotate on every use; reuse of a rotated token revokes its whole family.
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  family_id   uuid NOT NULL,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Access tokens revoked before they expire (logout); checked by jti.
CREATE TABLE revoked_access_tokens (
  jti        text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

-- Explicit care relationships beside CareTeam / Encounter participation in HAPI.
CREATE TABLE patient_assignments (
  user_id    uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  patient_id text NOT NULL,
  reason     text NOT NULL,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  PRIMARY KEY (user_id, patient_id)
);

-- "Break the glass": time-boxed emergency access to an unrelated chart, always reviewed.
CREATE TABLE break_glass_grants (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  patient_id  text NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  reviewed_by uuid REFERENCES users(id),
  reviewed_at timestamptz
);
CREATE INDEX break_glass_active ON break_glass_grants (user_id, patient_id, expires_at);

-- EPCS (DEA 21 CFR 1311): a prescriber may sign controlled substances once two different admins approve.
CREATE TABLE epcs_approvals (
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  approved_by uuid NOT NULL REFERENCES users(id),
  approved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, approved_by),
  CHECK (user_id <> approved_by)
);
