-- Post-audit (R7): one recorded draw per day — its seed (bound to the audit chain head), the policies it used and a
-- digest of the candidates — and the sampled dossiers that inspectors work through to a finding.
CREATE TABLE post_audit_draw (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  day                date NOT NULL UNIQUE,
  seed               text NOT NULL CHECK (seed ~ '^[0-9a-f]{64}$'),
  audit_head_seq     bigint NOT NULL,
  audit_head_hash    text NOT NULL,
  policies           jsonb NOT NULL,
  candidate_count    int NOT NULL CHECK (candidate_count >= 0),
  candidates_sha256  text NOT NULL,
  not_evaluated      jsonb NOT NULL,
  drawn_by           uuid REFERENCES app_user(id),
  created_at         timestamptz NOT NULL
);

CREATE TABLE post_audit_item (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  draw_id       uuid NOT NULL REFERENCES post_audit_draw(id),
  dossier_id    uuid NOT NULL REFERENCES dossier(id),
  score         double precision NOT NULL,
  rate          double precision NOT NULL,
  reason        text NOT NULL,
  state         text NOT NULL CHECK (state IN ('open', 'concluded')),
  finding       text CHECK (finding IN ('consistent', 'discrepancy')),
  note          text,
  inspector_id  uuid REFERENCES app_user(id),
  concluded_at  timestamptz,
  UNIQUE (draw_id, dossier_id),
  CHECK ((state = 'concluded') = (finding IS NOT NULL))
);
CREATE INDEX post_audit_item_open_idx ON post_audit_item (state, draw_id);
