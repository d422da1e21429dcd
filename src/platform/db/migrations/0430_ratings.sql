-- Citizens rate their dossier once it is delivered (QĐ 766 indicator 5.4, satisfaction): 1 very dissatisfied …
-- 5 very satisfied, with an optional comment. One rating per dossier, never changed (it is the input of an index).
CREATE TABLE dossier_rating (
  dossier_id  uuid PRIMARY KEY REFERENCES dossier(id),
  rating      int NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment     text CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 2000),
  rated_by    uuid NOT NULL REFERENCES app_user(id),
  at          timestamptz NOT NULL
);

CREATE FUNCTION dossier_rating_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dossier_rating is write-once';
END $$;
CREATE TRIGGER dossier_rating_no_change BEFORE UPDATE OR DELETE ON dossier_rating
  FOR EACH ROW EXECUTE FUNCTION dossier_rating_immutable();
