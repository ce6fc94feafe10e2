-- Transactional outbox for domain events: a state change and its event commit together; a relay moves the
-- events to Redis (stream + pub/sub) and marks them published, so a Redis blip delays events, never loses them.
CREATE TABLE event_outbox (
  id           bigserial PRIMARY KEY,
  type         text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$'),
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX event_outbox_pending ON event_outbox (id) WHERE published_at IS NULL;
