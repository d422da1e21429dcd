-- Text recognised (OCR) in scanned and photographed documents: a derived copy for full-text search and for form
-- suggestions. The document and its blobs are never touched; a row is written once per document.
CREATE TABLE document_text (
  document_id  uuid PRIMARY KEY REFERENCES document(id),
  engine       text NOT NULL CHECK (engine IN ('tesseract', 'tesseract.js')),
  language     text NOT NULL,
  -- NFC text, pages separated by a form feed.
  text         text NOT NULL,
  -- Per page: { page, confidence (0–100 or null), chars }.
  pages        jsonb NOT NULL,
  -- Lower case, no diacritics (đ → d): what search matches, so queries with or without accents both work.
  search_text  text NOT NULL,
  search       tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
  created_at   timestamptz NOT NULL
);
CREATE INDEX document_text_search_idx ON document_text USING gin (search);

CREATE FUNCTION document_text_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'document_text is write-once';
END $$;
CREATE TRIGGER document_text_no_change BEFORE UPDATE OR DELETE ON document_text
  FOR EACH ROW EXECUTE FUNCTION document_text_immutable();
