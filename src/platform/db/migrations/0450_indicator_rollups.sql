-- Indicators at scale, part 2 (issue 7): a period judged at its last instant changes only when one of its
-- dossiers' fact rows changes, so it is counted from the rows once and kept per agency × commune/ward × procedure;
-- a month's or a quarter's index is then a sum over a few hundred rows instead of an aggregate over every dossier
-- the period touches (a running period adds back the dossiers not late yet, over the late_from index). Whenever a
-- fact row is derived again, its old and new contributions to every kept period are subtracted and added in the
-- same transaction, so the kept counts stay equal to counting the rows (src/oversight/indicators/store.ts).
CREATE TABLE indicator_rollup_period (
  period_from  timestamptz NOT NULL,
  period_to    timestamptz NOT NULL,
  -- The instant the period is judged at: its last millisecond.
  as_of        timestamptz NOT NULL,
  built_at     timestamptz NOT NULL,
  PRIMARY KEY (period_from, period_to),
  CHECK (period_from < period_to AND as_of < period_to)
);

-- One row per group; each count column is one set of rules.ts (SETS) or a components sum, named in snake_case.
CREATE TABLE indicator_rollup (
  period_from                     timestamptz NOT NULL,
  period_to                       timestamptz NOT NULL,
  agency_code                     text NOT NULL,
  commune_code                    text,
  procedure_key                   text NOT NULL,
  received                        int NOT NULL,
  online                          int NOT NULL,
  counter                         int NOT NULL,
  counter_complete                int NOT NULL,
  reused                          int NOT NULL,
  e_reception                     int NOT NULL,
  handled                         int NOT NULL,
  on_time                         int NOT NULL,
  complaint                       int NOT NULL,
  satisfied                       int NOT NULL,
  resulted                        int NOT NULL,
  electronic_result               int NOT NULL,
  digitized_result                int NOT NULL,
  counter_components              int NOT NULL,
  counter_components_electronic   int NOT NULL,
  FOREIGN KEY (period_from, period_to) REFERENCES indicator_rollup_period ON DELETE CASCADE,
  UNIQUE NULLS NOT DISTINCT (period_from, period_to, agency_code, commune_code, procedure_key)
);

-- The drill-down's pages, newest reception first (store.ts drillPage).
CREATE INDEX dossier_indicator_fact_received_idx ON dossier_indicator_fact (received_at, dossier_id);
-- The dossiers of a running period that become late only after now (store.ts keptTallies).
CREATE INDEX dossier_indicator_fact_late_idx ON dossier_indicator_fact (late_from);
