-- Results drafted from templates and their numbers (issue 6). A result draft is a working document that also keeps
-- what it was filled from (template and facts), so the signed result says exactly what the specialist previewed.
ALTER TABLE dossier_working_document ADD COLUMN draft jsonb;

-- The records office's numbering (ND 30 Art. 15: numbers restart each calendar year, per issuing agency).
CREATE TABLE result_number (
  agency_id  uuid NOT NULL REFERENCES agency(id),
  year       int NOT NULL CHECK (year BETWEEN 2000 AND 2999),
  last       int NOT NULL CHECK (last > 0),
  PRIMARY KEY (agency_id, year)
);

-- Every issued result, for the public lookup the result's QR code opens (no personal data here).
CREATE TABLE result_register (
  document_id  uuid PRIMARY KEY REFERENCES document(id),
  dossier_id   uuid NOT NULL UNIQUE REFERENCES dossier(id),
  agency_id    uuid NOT NULL REFERENCES agency(id),
  number       int,
  symbol       text,
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  issuer       text NOT NULL,
  issued_at    timestamptz NOT NULL
);

-- A result the approver signed whose agency seal could not be added at once (HSM, TSA or revocation source down):
-- the `result.seal` job adds it with retries and issues the result (src/dossiers/processing/result-sealing.ts).
CREATE TABLE result_sealing (
  dossier_id   uuid PRIMARY KEY REFERENCES dossier(id),
  -- What the approver's signature produced (ApprovedResult): ids, the approver-signed blob's hash, number, owner.
  approved     jsonb NOT NULL,
  approver_id  uuid NOT NULL REFERENCES app_user(id),
  attempts     int NOT NULL CHECK (attempts > 0),
  last_error   text,
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);

-- Where the law also requires a paper result: the printed, wet-signed paper scanned back in, marked as converted and
-- signed by the issuing agency as an electronic copy (R6). The document keeps the scan as received and the signed copy.
CREATE TABLE result_paper_copy (
  dossier_id    uuid PRIMARY KEY REFERENCES dossier(id),
  document_id   uuid NOT NULL UNIQUE REFERENCES document(id),
  converted_by  uuid NOT NULL REFERENCES app_user(id),
  at            timestamptz NOT NULL
);
