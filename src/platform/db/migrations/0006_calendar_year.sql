-- The Government's yearly announcement for one solar year (days off, make-up working days, Tết days), as an
-- administrator maintains it: the `YearSchedule` shape of src/calendar/rules.ts. A stored year replaces the seed
-- year compiled into src/calendar/data/seed.ts; statutory holidays are always computed from the law.
CREATE TABLE calendar_year (
  year        int PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
  schedule    jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((schedule ->> 'year')::int = year)
);
