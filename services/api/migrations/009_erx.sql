-- E-prescribing (NCPDP SCRIPT 2017071): every message in or out, the outbox the BullMQ worker delivers from.
-- message_id is SCRIPT's Header/MessageID: unique, so a redelivered inbound message or a retried outbound one
-- is one row. Payload is the XML as sent/received (PHI: kept in the database like any chart data, never logged).
CREATE TABLE erx_messages (
  id                    bigserial PRIMARY KEY,
  message_id            text NOT NULL UNIQUE CHECK (length(message_id) BETWEEN 1 AND 35),
  direction             text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  type                  text NOT NULL,
  status                text NOT NULL CHECK (status IN ('pending', 'sent', 'accepted', 'rejected', 'error', 'received')),
  reason                text,
  medication_request_id text,
  patient_id            text,
  relates_to_message_id text,
  task_id               text,
  payload               text NOT NULL,
  payload_sha256        text NOT NULL,
  -- EPCS: compact JWS over the prescription content (see modules/eprescribing/epcs.ts).
  signature             text,
  response_code         text,
  response_payload      text,
  attempts              integer NOT NULL DEFAULT 0,
  last_error            text,
  created_by            uuid REFERENCES users(id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  sent_at               timestamptz,
  completed_at          timestamptz
);
CREATE INDEX erx_messages_mr ON erx_messages (medication_request_id, created_at DESC);
CREATE INDEX erx_messages_relates ON erx_messages (relates_to_message_id);
CREATE INDEX erx_messages_open ON erx_messages (status) WHERE status IN ('pending', 'sent');
