-- Content-addressed blobs. A row exists only once the bytes are in the blob store (written first) and something
-- references them in the same transaction; the sweeper removes stored bytes that never got a row.
CREATE TABLE blob (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size        bigint NOT NULL CHECK (size >= 0),
  media_type  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Idempotent writes (Idempotency-Key header): the first response is stored and replayed for the same key.
CREATE TABLE idempotency_key (
  key          text NOT NULL,
  principal_id text NOT NULL,
  route        text NOT NULL,
  request_hash text NOT NULL,
  status_code  int,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal_id, key)
);
