-- SMART App Launch 2.x authorization server (modules/smart). Every secret-like value (client secrets,
-- authorization codes, launch values, refresh tokens, pending-request ids) is stored only as a SHA-256 hash.

-- Registered apps. auth_method: 'none' (public), 'client_secret_basic' (confidential symmetric),
-- 'private_key_jwt' (confidential asymmetric and Backend Services).
CREATE TABLE smart_clients (
  client_id      text PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9._~-]{3,128}$'),
  name           text NOT NULL,
  client_type    text NOT NULL CHECK (client_type IN ('public','confidential','backend')),
  auth_method    text NOT NULL CHECK (auth_method IN ('none','client_secret_basic','private_key_jwt')),
  secret_hash    text,
  jwks           jsonb,
  jwks_uri       text,
  redirect_uris  text[] NOT NULL DEFAULT '{}',
  allowed_scopes text[] NOT NULL DEFAULT '{}',
  launch_url     text,
  disabled       boolean NOT NULL DEFAULT false,
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (auth_method <> 'client_secret_basic' OR secret_hash IS NOT NULL),
  CHECK (auth_method <> 'private_key_jwt' OR jwks IS NOT NULL OR jwks_uri IS NOT NULL)
);

-- An authorization request between /oauth/authorize and the code: login, MFA, patient pick, consent.
-- Keyed by an opaque id carried in the forms (no cookies); csrf_hash rotates at every step.
CREATE TABLE smart_authorization_requests (
  id_hash     text PRIMARY KEY,
  csrf_hash   text NOT NULL,
  client_id   text NOT NULL REFERENCES smart_clients(client_id) ON DELETE CASCADE,
  params      jsonb NOT NULL,
  stage       text NOT NULL CHECK (stage IN ('login','mfa','patient','consent','done')),
  user_id     uuid,
  mfa_token   text,
  patient_id  text,
  encounter_id text,
  ehr_launch  boolean NOT NULL DEFAULT false,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX smart_authorization_requests_expiry ON smart_authorization_requests (expires_at);

-- Authorization codes: single use, 60 s. The access token and refresh family issued from a code are
-- remembered so a replayed code revokes them (RFC 6749 §4.1.2).
CREATE TABLE smart_authorization_codes (
  code_hash      text PRIMARY KEY,
  client_id      text NOT NULL REFERENCES smart_clients(client_id) ON DELETE CASCADE,
  user_id        uuid NOT NULL,
  redirect_uri   text NOT NULL,
  code_challenge text NOT NULL,
  scopes         text[] NOT NULL,
  patient_id     text,
  encounter_id   text,
  ehr_launch     boolean NOT NULL DEFAULT false,
  nonce          text,
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz,
  access_jti     text,
  access_exp     timestamptz,
  refresh_family uuid,
  created_at     timestamptz NOT NULL DEFAULT now()
);

-- EHR launch values: opaque, single use, 5 minutes, bound to the launching user, patient and encounter.
CREATE TABLE smart_launch_contexts (
  launch_hash  text PRIMARY KEY,
  client_id    text NOT NULL REFERENCES smart_clients(client_id) ON DELETE CASCADE,
  user_id      uuid NOT NULL,
  patient_id   text NOT NULL,
  encounter_id text,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);

-- SMART refresh tokens: rotated on every use; a rotated token presented again revokes its family.
CREATE TABLE smart_refresh_tokens (
  token_hash   text PRIMARY KEY,
  family_id    uuid NOT NULL,
  client_id    text NOT NULL REFERENCES smart_clients(client_id) ON DELETE CASCADE,
  user_id      uuid NOT NULL,
  scopes       text[] NOT NULL,
  patient_id   text,
  encounter_id text,
  offline      boolean NOT NULL,
  -- online_access: the family never outlives this instant (the original login's session).
  family_expires_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  revoked_at   timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX smart_refresh_tokens_family ON smart_refresh_tokens (family_id);

-- Backend Services client assertions seen (jti replay protection), kept until the assertion expires.
CREATE TABLE smart_assertion_jtis (
  client_id  text NOT NULL,
  jti        text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (client_id, jti)
);
