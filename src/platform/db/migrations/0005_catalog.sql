-- Catalog room (issue 3): agencies extended, procedures (TTHC) with components, versioned internal processes,
-- and the per-agency-per-day dossier-code counter.

ALTER TABLE agency ADD COLUMN address text;
ALTER TABLE agency ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX agency_kind_idx ON agency (kind);

CREATE TABLE procedure (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stable key for import/export and URLs: the national code is often unconfirmed, so it cannot be the key.
  key                 text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9-]{1,79}$'),
  national_code       text UNIQUE,
  name                text NOT NULL,
  field               text NOT NULL,
  level               text NOT NULL CHECK (level IN ('province', 'commune')),
  -- NULL for commune-level procedures: each commune/ward is competent on its own territory.
  competent_agency_id uuid REFERENCES agency(id),
  channels            text[] NOT NULL,
  deadline_value      numeric(10, 2) NOT NULL CHECK (deadline_value >= 0),
  deadline_unit       text NOT NULL CHECK (deadline_unit IN ('working_days', 'working_hours')),
  deadline_note       text,
  cutoff              text NOT NULL DEFAULT '15:00' CHECK (cutoff ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  fees                jsonb NOT NULL DEFAULT '[]'::jsonb,
  result              jsonb NOT NULL,
  post_audit          jsonb NOT NULL,
  legal_basis         text,
  source_url          text,
  active              boolean NOT NULL DEFAULT true,
  -- Name, code and field folded (no diacritics, đ→d, lower case) by the pure rule foldVietnamese, for search.
  search_text         text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (level = 'commune' OR competent_agency_id IS NOT NULL)
);
CREATE INDEX procedure_field_idx ON procedure (field);
CREATE INDEX procedure_competent_idx ON procedure (competent_agency_id);

CREATE TABLE procedure_receiving_agency (
  procedure_id uuid NOT NULL REFERENCES procedure(id) ON DELETE CASCADE,
  agency_id    uuid NOT NULL REFERENCES agency(id),
  PRIMARY KEY (procedure_id, agency_id)
);
CREATE INDEX procedure_receiving_agency_idx ON procedure_receiving_agency (agency_id);

CREATE TABLE procedure_component (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  procedure_id   uuid NOT NULL REFERENCES procedure(id) ON DELETE CASCADE,
  key            text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{0,79}$'),
  position       int NOT NULL,
  name           text NOT NULL,
  required       boolean NOT NULL DEFAULT true,
  input          text NOT NULL CHECK (input IN ('upload', 'form')),
  form_template  jsonb,
  copies         int NOT NULL DEFAULT 1 CHECK (copies >= 1),
  document_type  text,
  accepted_bases text[] NOT NULL,
  exempt_reason  text CHECK (exempt_reason IN ('SHOWN_ONLY', 'CLASSIFIED', 'OTHER')),
  exempt_note    text,
  note           text,
  -- Components are retired, never deleted: received dossiers refer to them.
  active         boolean NOT NULL DEFAULT true,
  UNIQUE (procedure_id, key),
  CHECK ((input = 'form') = (form_template IS NOT NULL))
);

-- Internal processes are immutable once written: a change is a new version, and a dossier keeps the version it
-- was received under. The trigger below makes that a property of the database, not only of the service.
CREATE TABLE internal_process (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  procedure_id   uuid NOT NULL REFERENCES procedure(id),
  -- NULL: the default process of a commune-level procedure, run by whichever commune receives the dossier.
  agency_id      uuid REFERENCES agency(id),
  version        int NOT NULL CHECK (version >= 1),
  -- The legal deadline the quotas were validated against, kept with the version.
  deadline_value numeric(10, 2) NOT NULL,
  deadline_unit  text NOT NULL,
  total_hours    numeric(10, 2) NOT NULL,
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX internal_process_version_idx
  ON internal_process (procedure_id, COALESCE(agency_id, '00000000-0000-0000-0000-000000000000'::uuid), version);

CREATE TABLE process_step (
  process_id  uuid NOT NULL REFERENCES internal_process(id),
  position    int NOT NULL CHECK (position >= 1),
  kind        text NOT NULL CHECK (kind IN ('reception', 'assignment', 'appraisal', 'review', 'approval', 'result_return', 'transfer')),
  name        text NOT NULL,
  role        text NOT NULL,
  -- NULL: the agency running the process (the commune, for a default commune process).
  agency_id   uuid REFERENCES agency(id),
  quota_hours numeric(10, 2) NOT NULL CHECK (quota_hours >= 0),
  PRIMARY KEY (process_id, position)
);

CREATE FUNCTION catalog_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'internal process versions are immutable (%): create a new version', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER internal_process_immutable BEFORE UPDATE OR DELETE ON internal_process
  FOR EACH ROW EXECUTE FUNCTION catalog_refuse_change();
CREATE TRIGGER process_step_immutable BEFORE UPDATE OR DELETE ON process_step
  FOR EACH ROW EXECUTE FUNCTION catalog_refuse_change();

-- One row per agency and civil day (Asia/Ho_Chi_Minh); the row lock taken by the upsert orders concurrent intakes,
-- and a rolled-back intake rolls its increment back, so committed sequences have no gaps.
CREATE TABLE dossier_code_counter (
  agency_id uuid NOT NULL REFERENCES agency(id),
  day       date NOT NULL,
  last_seq  int NOT NULL CHECK (last_seq >= 1),
  PRIMARY KEY (agency_id, day)
);
