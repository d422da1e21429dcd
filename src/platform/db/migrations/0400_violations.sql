-- The violations register (oversight, R3/R5/R8): every case the Public Administrative Service Center must look
-- into — a request for paper the system refused, a citizen's report of being asked for paper, a late dossier
-- without a timely apology, a second supplement attempt — assigned, investigated and closed with a finding.
CREATE TABLE violation (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source          text NOT NULL CHECK (source IN ('refused_attempt', 'citizen_report', 'late_without_apology', 'extra_supplement')),
  rule            text NOT NULL,
  dossier_id      uuid REFERENCES dossier(id),
  agency_id       uuid REFERENCES agency(id),
  -- The refused attempt behind an entry of source refused_attempt (one entry per attempt).
  attempt_id      uuid UNIQUE REFERENCES violation_attempt(id),
  description     text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  -- Who reported it: {"kind":"citizen","contact":…} | {"kind":"system"}; never the status secret.
  reporter        jsonb NOT NULL,
  state           text NOT NULL CHECK (state IN ('open', 'assigned', 'investigating', 'closed')),
  assignee_id     uuid REFERENCES app_user(id),
  finding         text CHECK (finding IN ('confirmed', 'unfounded')),
  finding_note    text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  closed_at       timestamptz,
  CHECK ((state = 'closed') = (finding IS NOT NULL)),
  CHECK (state = 'open' OR assignee_id IS NOT NULL)
);
CREATE INDEX violation_state_idx ON violation (state, created_at DESC);
CREATE INDEX violation_dossier_idx ON violation (dossier_id);
CREATE INDEX violation_agency_idx ON violation (agency_id, created_at);
