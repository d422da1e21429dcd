-- Indicators at scale (issue 7): one narrow row per received dossier with what the formulas judge it by, derived
-- from the dossier's records by the indicators room (never typed in), so an index over a month of a city's dossiers
-- is one aggregate over the rows whose span overlaps the month instead of a walk over every dossier's events.
-- Rules and the SQL that reads these rows: src/oversight/indicators/{rules,store}.ts; docs/oversight.md §5.
CREATE TABLE dossier_indicator_fact (
  -- A derived cache: no foreign key, so it can be rebuilt (or loaded in bulk) independently of the dossier rows.
  dossier_id         uuid PRIMARY KEY,
  code               text,
  agency_code        text NOT NULL,
  commune_code       text,
  procedure_key      text NOT NULL,
  channel            text NOT NULL CHECK (channel IN ('online', 'counter')),
  received_at        timestamptz NOT NULL,
  processed_at       timestamptz,
  withdrawn_at       timestamptz,
  -- handlingEnd(): first of processed / returned / stopped, or the open supplement request.
  handling_end       timestamptz,
  -- lateFrom(): judged at an instant after this one the dossier is late (766 2.1); null = never late.
  late_from          timestamptz,
  -- While the clock runs: when "due soon" starts (dashboard); null when finished or waiting for the applicant.
  due_soon_at        timestamptz,
  components_real    int NOT NULL CHECK (components_real >= 0),
  components_e       int NOT NULL CHECK (components_e BETWEEN 0 AND components_real),
  reused             boolean NOT NULL,
  fully_digitized    boolean NOT NULL,
  electronic_result  boolean NOT NULL,
  -- A confirmed complaint or a rating of 1–2 (766 5.4).
  complaint          boolean NOT NULL,
  -- The instants between which the dossier can count for a period: reception to its last end (open = unbounded).
  span               tstzrange NOT NULL,
  refreshed_at       timestamptz NOT NULL
);
CREATE INDEX dossier_indicator_fact_span_idx ON dossier_indicator_fact USING gist (span);
CREATE INDEX dossier_indicator_fact_agency_idx ON dossier_indicator_fact (agency_code);
CREATE INDEX dossier_indicator_fact_commune_idx ON dossier_indicator_fact (commune_code);
-- Open dossiers, for the dashboard's late and due-soon counts.
CREATE INDEX dossier_indicator_fact_open_idx ON dossier_indicator_fact (late_from) WHERE handling_end IS NULL AND withdrawn_at IS NULL;

-- Dossiers whose records changed since their fact row was derived. Statement-level triggers mark them (one insert
-- per statement, so bulk loads stay cheap); the indicators room derives them again before it answers, and in the
-- background.
CREATE TABLE dossier_indicator_stale (
  dossier_id  uuid PRIMARY KEY
);

CREATE FUNCTION dossier_indicator_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'dossier' THEN
    INSERT INTO dossier_indicator_stale SELECT DISTINCT id FROM changed_rows ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO dossier_indicator_stale SELECT DISTINCT dossier_id FROM changed_rows WHERE dossier_id IS NOT NULL ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER dossier_indicator_stale_ins AFTER INSERT ON dossier REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();
CREATE TRIGGER dossier_indicator_stale_upd AFTER UPDATE ON dossier REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();
CREATE TRIGGER dossier_indicator_stale_ins AFTER INSERT ON dossier_event REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();
CREATE TRIGGER dossier_indicator_stale_ins AFTER INSERT ON dossier_component REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();
CREATE TRIGGER dossier_indicator_stale_upd AFTER UPDATE ON dossier_component REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();
CREATE TRIGGER dossier_indicator_stale_ins AFTER INSERT ON dossier_rating REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();
CREATE TRIGGER dossier_indicator_stale_ins AFTER INSERT ON violation REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();
CREATE TRIGGER dossier_indicator_stale_upd AFTER UPDATE ON violation REFERENCING NEW TABLE AS changed_rows
  FOR EACH STATEMENT EXECUTE FUNCTION dossier_indicator_mark_stale();

-- Dossiers already there are derived on first use.
INSERT INTO dossier_indicator_stale SELECT id FROM dossier WHERE received_at IS NOT NULL;
