-- Processing (issue 5): what the inboxes query (the current step's role, due and due-soon instants, assignee),
-- assignments, comments and working documents of steps, and the forms (02–05) issued as signed PDFs.

-- Copied from the rules' state on every write (processing/rules.ts inboxFields): the state stays the source of truth.
ALTER TABLE dossier ADD COLUMN step_index int;
ALTER TABLE dossier ADD COLUMN step_kind text;
ALTER TABLE dossier ADD COLUMN step_role text CHECK (step_role IS NULL OR step_role IN ('counter_officer', 'specialist', 'leader'));
-- Null while the clock is paused (waiting for the applicant's supplement) or when no step is in progress.
ALTER TABLE dossier ADD COLUMN step_due_at timestamptz;
ALTER TABLE dossier ADD COLUMN step_soon_at timestamptz;
-- The officer the step's leader assigned the current step to; null = anyone holding the step's role may take it.
ALTER TABLE dossier ADD COLUMN assignee_id uuid REFERENCES app_user(id);

UPDATE dossier SET step_index = (state->>'currentStep')::int,
  step_kind = state->'route'->((state->>'currentStep')::int)->>'kind',
  step_role = state->'route'->((state->>'currentStep')::int)->>'role'
  WHERE state->>'currentStep' IS NOT NULL;

-- Agency inboxes: open dossiers of an agency by role, most urgent first; the included columns let the SLA counts be
-- answered from the index alone.
CREATE INDEX dossier_inbox_idx ON dossier (current_agency_id, step_role, step_due_at)
  INCLUDE (assignee_id, status, step_soon_at, step_kind)
  WHERE status IN ('received', 'processing', 'supplement_requested', 'awaiting_financial_obligation', 'processed');
-- The whole agency's open dossiers (leaders' view, the approval queue), most urgent first.
CREATE INDEX dossier_inbox_agency_idx ON dossier (current_agency_id, step_due_at)
  INCLUDE (assignee_id, status, step_soon_at, step_kind, step_role)
  WHERE status IN ('received', 'processing', 'supplement_requested', 'awaiting_financial_obligation', 'processed');
CREATE INDEX dossier_assignee_idx ON dossier (assignee_id, step_due_at)
  WHERE assignee_id IS NOT NULL AND status IN ('received', 'processing', 'supplement_requested', 'awaiting_financial_obligation', 'processed');

-- Who was given which step, by whom (the current one is dossier.assignee_id).
CREATE TABLE dossier_assignment (
  dossier_id   uuid NOT NULL REFERENCES dossier(id),
  step_index   int NOT NULL,
  assignee_id  uuid NOT NULL REFERENCES app_user(id),
  assigned_by  uuid NOT NULL REFERENCES app_user(id),
  note         text CHECK (note IS NULL OR length(note) <= 2000),
  at           timestamptz NOT NULL
);
CREATE INDEX dossier_assignment_dossier_idx ON dossier_assignment (dossier_id, at);

-- Internal comments of officers on a dossier (never shown to the applicant).
CREATE TABLE dossier_comment (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id  uuid NOT NULL REFERENCES dossier(id),
  step_index  int,
  author_id   uuid NOT NULL REFERENCES app_user(id),
  body        text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  at          timestamptz NOT NULL
);
CREATE INDEX dossier_comment_dossier_idx ON dossier_comment (dossier_id, at);

-- Internal working documents (drafts, opinions) attached to a step; not components of the dossier.
CREATE TABLE dossier_working_document (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id   uuid NOT NULL REFERENCES dossier(id),
  step_index   int,
  document_id  uuid NOT NULL REFERENCES document(id),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  added_by     uuid NOT NULL REFERENCES app_user(id),
  at           timestamptz NOT NULL
);
CREATE INDEX dossier_working_document_dossier_idx ON dossier_working_document (dossier_id, at);

-- A TT 03/2025 form issued by an event (02 supplement request, 03 refusal, 04 apology, 05 stop), as a signed PDF.
CREATE TABLE dossier_form (
  dossier_id   uuid NOT NULL REFERENCES dossier(id),
  event_seq    int NOT NULL,
  form         text NOT NULL CHECK (form IN ('02', '03', '04', '05')),
  document_id  uuid NOT NULL UNIQUE REFERENCES document(id),
  issued_at    timestamptz NOT NULL,
  PRIMARY KEY (dossier_id, event_seq)
);
