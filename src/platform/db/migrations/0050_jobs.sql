-- Background jobs (receipts, result signing, OCR, e-mail, scheduled reports): a PostgreSQL table claimed with
-- FOR UPDATE SKIP LOCKED, so several stateless app processes share it without a broker. A claim is a lease: a job
-- whose process died is claimed again once `locked_until` passes. Failures retry with backoff and end in 'failed',
-- which the operations view lists — nothing stays silently pending.
CREATE TABLE job (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type          text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.-]{0,79}$'),
  payload       jsonb NOT NULL,
  state         text NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts      int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts  int NOT NULL CHECK (max_attempts >= 1),
  run_at        timestamptz NOT NULL,
  locked_until  timestamptz,
  last_error    text,
  -- At most one pending or running job per (type, dedupe_key): enqueueing the same work twice is a no-op.
  dedupe_key    text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  finished_at   timestamptz
);
CREATE INDEX job_due_idx ON job (run_at) WHERE state IN ('pending', 'running');
CREATE UNIQUE INDEX job_dedupe_idx ON job (type, dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('pending', 'running');
CREATE INDEX job_state_idx ON job (state, updated_at DESC);
