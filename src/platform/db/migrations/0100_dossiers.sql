-- Intake (issue 4): dossiers, their components with validity bases (R2), the documents behind them, signature
-- validation reports, the dossier history for the control sheet, consents of applicants to public-service agents,
-- and attempts to ask for what the applicant already provided validly (R3 violations register).

-- An applicant's recorded consent that a public-service agent may submit on their behalf.
CREATE TABLE applicant_consent (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  applicant_subject_id text NOT NULL CHECK (applicant_subject_id ~ '^[0-9]{10}([0-9]{2}|-[0-9]{3})?$'),
  granted_by           uuid NOT NULL REFERENCES app_user(id),
  agent_user_id        uuid NOT NULL REFERENCES app_user(id),
  granted_at           timestamptz NOT NULL,
  revoked_at           timestamptz
);
CREATE INDEX applicant_consent_agent_idx ON applicant_consent (agent_user_id, applicant_subject_id) WHERE revoked_at IS NULL;

-- The output of the signature engine (validatePdf) for one document, kept as evidence of its validity basis.
CREATE TABLE validation_report (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  indication  text NOT NULL CHECK (indication IN ('TOTAL_PASSED', 'TOTAL_FAILED', 'INDETERMINATE')),
  report      jsonb NOT NULL,
  created_at  timestamptz NOT NULL
);

-- One electronic document: the bytes as received (never rewritten) and, when signed at reception, the signed copy.
CREATE TABLE document (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  blob_sha256          text NOT NULL REFERENCES blob(sha256),
  media_type           text NOT NULL,
  pages                int CHECK (pages IS NULL OR pages >= 0),
  -- declared: a self-declared form, stored as the canonical JSON the applicant submitted.
  origin               text NOT NULL CHECK (origin IN ('uploaded', 'scanned', 'issued', 'reused', 'declared')),
  signed_blob_sha256   text REFERENCES blob(sha256),
  validation_report_id uuid REFERENCES validation_report(id),
  created_by           uuid REFERENCES app_user(id),
  created_at           timestamptz NOT NULL
);

CREATE TABLE dossier (
  id                      uuid PRIMARY KEY,
  -- Allocated at reception (catalog allocateDossierCode); null while the online dossier is new.
  code                    text UNIQUE,
  procedure_id            uuid NOT NULL REFERENCES procedure(id),
  process_id              uuid NOT NULL REFERENCES internal_process(id),
  applicant_subject_id    text NOT NULL,
  applicant_kind          text NOT NULL CHECK (applicant_kind IN ('citizen', 'business')),
  submitted_by            uuid NOT NULL REFERENCES app_user(id),
  consent_id              uuid REFERENCES applicant_consent(id),
  channel                 text NOT NULL CHECK (channel IN ('online', 'counter')),
  status                  text NOT NULL CHECK (status IN ('new', 'received', 'not_received', 'processing', 'supplement_requested',
                                       'awaiting_financial_obligation', 'withdrawn', 'stopped', 'processed', 'result_returned')),
  portal_status           int NOT NULL CHECK (portal_status BETWEEN 1 AND 10),
  receiving_agency_id     uuid NOT NULL REFERENCES agency(id),
  current_agency_id       uuid NOT NULL REFERENCES agency(id),
  submitted_at            timestamptz,
  received_at             timestamptz,
  -- A cache of the rules' promised date (dossierDeadline); the state below is the source of truth.
  due_at                  timestamptz,
  -- The rules' DossierState as JSON (instants as ISO strings): what `decide` needs, and nothing typed by hand.
  state                   jsonb NOT NULL,
  version                 int NOT NULL CHECK (version >= 1),
  -- SHA-256 of the public status secret given once to the applicant; the secret itself is never stored.
  status_secret_hash      text NOT NULL CHECK (status_secret_hash ~ '^[0-9a-f]{64}$'),
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL,
  CHECK ((code IS NULL) = (received_at IS NULL))
);
-- The counter's queue: online dossiers waiting for a reception decision, oldest first.
CREATE INDEX dossier_queue_idx ON dossier (receiving_agency_id, submitted_at) WHERE status = 'new';
CREATE INDEX dossier_applicant_idx ON dossier (applicant_subject_id, created_at DESC);
CREATE INDEX dossier_submitter_idx ON dossier (submitted_by, created_at DESC);
CREATE INDEX dossier_current_agency_idx ON dossier (current_agency_id, status);

-- One component of a dossier with its validity basis and evidence (R2), shown to every later reader.
CREATE TABLE dossier_component (
  dossier_id     uuid NOT NULL REFERENCES dossier(id),
  component_key  text NOT NULL,
  basis          text CHECK (basis IN ('DIGITIZED_SIGNED', 'ECOPY_FROM_REGISTER', 'E_CERTIFIED', 'SELF_DECLARED', 'REUSED')),
  exempt_reason  text CHECK (exempt_reason IN ('SHOWN_ONLY', 'CLASSIFIED', 'OTHER')),
  -- validation report id | e-store reference | exemption note | form data of a self-declared form.
  evidence       jsonb NOT NULL,
  document_id    uuid REFERENCES document(id),
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (dossier_id, component_key),
  CHECK ((basis IS NULL) <> (exempt_reason IS NULL))
);
CREATE INDEX dossier_component_document_idx ON dossier_component (document_id);

-- Append-only history of a dossier (the rules' events): the control sheet (form 06) is read from it.
CREATE TABLE dossier_event (
  dossier_id   uuid NOT NULL REFERENCES dossier(id),
  seq          int NOT NULL,
  type         text NOT NULL,
  at           timestamptz NOT NULL,
  actor        jsonb NOT NULL,
  from_status  text,
  to_status    text NOT NULL,
  form         text,
  detail       jsonb NOT NULL,
  PRIMARY KEY (dossier_id, seq)
);

CREATE FUNCTION dossier_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dossier_event is append-only';
END $$;
CREATE TRIGGER dossier_event_no_change BEFORE UPDATE OR DELETE ON dossier_event
  FOR EACH ROW EXECUTE FUNCTION dossier_event_append_only();

-- Refused attempts to break R3 (ask again for a component that has a valid e-version or is exempt).
CREATE TABLE violation_attempt (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule        text NOT NULL,
  code        text NOT NULL,
  dossier_id  uuid NOT NULL REFERENCES dossier(id),
  actor_id    uuid REFERENCES app_user(id),
  agency_id   uuid REFERENCES agency(id),
  action      text NOT NULL,
  details     jsonb NOT NULL,
  at          timestamptz NOT NULL
);
CREATE INDEX violation_attempt_agency_idx ON violation_attempt (agency_id, at);
