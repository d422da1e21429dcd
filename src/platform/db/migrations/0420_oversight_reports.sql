-- Periodic reports for the Public Administrative Service Center (oversight issue): each generated report keeps the
-- figures it was made from, its XLSX workbook and its PDF signed by the Center's seal (both as documents, so their
-- blobs are referenced), who or what generated it, and every download.
CREATE TABLE oversight_report (
  id                uuid PRIMARY KEY,
  period            text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2]|Q[1-4])$'),
  -- Receiving agency e-ID code the report is limited to; null = the whole installation.
  agency_code       text,
  as_of             timestamptz NOT NULL,
  figures           jsonb NOT NULL,
  xlsx_document_id  uuid NOT NULL REFERENCES document(id),
  pdf_document_id   uuid NOT NULL REFERENCES document(id),
  -- Null when the schedule generated it.
  generated_by      uuid REFERENCES app_user(id),
  generated_at      timestamptz NOT NULL
);
CREATE INDEX oversight_report_period_idx ON oversight_report (period, agency_code, generated_at DESC);
CREATE INDEX oversight_report_recent_idx ON oversight_report (generated_at DESC);

CREATE TABLE oversight_report_download (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id   uuid NOT NULL REFERENCES oversight_report(id),
  user_id     uuid NOT NULL REFERENCES app_user(id),
  format      text NOT NULL CHECK (format IN ('xlsx', 'pdf')),
  at          timestamptz NOT NULL
);
CREATE INDEX oversight_report_download_report_idx ON oversight_report_download (report_id, at DESC);

-- A report is a record: never rewritten, never deleted; downloads are a history.
CREATE FUNCTION oversight_report_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER oversight_report_no_change BEFORE UPDATE OR DELETE ON oversight_report
  FOR EACH ROW EXECUTE FUNCTION oversight_report_immutable();
CREATE TRIGGER oversight_report_download_no_change BEFORE UPDATE OR DELETE ON oversight_report_download
  FOR EACH ROW EXECUTE FUNCTION oversight_report_immutable();
