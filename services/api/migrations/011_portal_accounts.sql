-- Patient portal accounts: invitations, password resets, one-time sign-in codes, and session details.
-- Every secret (link token, code) is stored only as a hash; each row is single-use.

CREATE TABLE portal_invitations (
  id          uuid PRIMARY KEY,
  patient_id  text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  invited_by  uuid REFERENCES users(id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  used_by     uuid REFERENCES users(id),
  revoked_at  timestamptz
);
CREATE INDEX portal_invitations_open ON portal_invitations (patient_id) WHERE used_at IS NULL AND revoked_at IS NULL;

CREATE TABLE password_resets (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX password_resets_open ON password_resets (user_id) WHERE used_at IS NULL AND revoked_at IS NULL;

-- The second sign-in step of patient accounts: a 6-digit code sent by email or SMS.
CREATE TABLE login_otp_challenges (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash    text NOT NULL UNIQUE,
  code_hash     text NOT NULL,
  channel       text NOT NULL CHECK (channel IN ('email', 'sms')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_sent_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  consumed_at   timestamptz
);
CREATE INDEX login_otp_challenges_user ON login_otp_challenges (user_id, created_at);

-- Sessions (refresh-token families) shown to their owner: the device and the access token last issued with them.
ALTER TABLE refresh_tokens ADD COLUMN user_agent text;
ALTER TABLE refresh_tokens ADD COLUMN access_jti text;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL AND used_at IS NULL;
