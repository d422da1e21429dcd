-- Append-only, hash-chained audit log (R8). Each event's hash covers its content and the previous hash, so an
-- edited, removed or reordered row breaks the chain at that point. The head row serialises appends.
CREATE TABLE audit_event (
  seq           bigint PRIMARY KEY,
  at            timestamptz NOT NULL,
  type          text NOT NULL,
  actor_id      text,
  actor_role    text,
  agency_id     uuid,
  subject_type  text,
  subject_id    text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash     text NOT NULL,
  hash          text NOT NULL UNIQUE
);
CREATE INDEX audit_event_subject_idx ON audit_event (subject_type, subject_id, seq);
CREATE INDEX audit_event_at_idx ON audit_event (at);

CREATE TABLE audit_head (
  id    int PRIMARY KEY CHECK (id = 1),
  seq   bigint NOT NULL,
  hash  text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
