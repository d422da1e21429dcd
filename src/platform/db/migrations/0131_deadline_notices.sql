-- Late handling (issue 5): the warnings the deadline watch gave, once per dossier, kind and due instant (an apology's
-- new date can be warned about again). "late" also opens a violations register entry when no apology came in time.
CREATE TABLE dossier_deadline_notice (
  dossier_id  uuid NOT NULL REFERENCES dossier(id),
  kind        text NOT NULL CHECK (kind IN ('due_soon', 'late')),
  due_at      timestamptz NOT NULL,
  at          timestamptz NOT NULL,
  PRIMARY KEY (dossier_id, kind, due_at)
);
