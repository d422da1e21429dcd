-- Intake, second part (issue 4): the signed receipt (form 01) of each received dossier, and the applicant's name
-- and contact as typed at the counter for a walk-in (online dossiers take them from the applicant's account).

-- One receipt per dossier: its document is the signed PDF (officer's signature, then the branch seal).
CREATE TABLE dossier_receipt (
  dossier_id   uuid PRIMARY KEY REFERENCES dossier(id),
  document_id  uuid NOT NULL UNIQUE REFERENCES document(id),
  issued_at    timestamptz NOT NULL
);

ALTER TABLE dossier ADD COLUMN applicant_name text CHECK (applicant_name IS NULL OR length(applicant_name) BETWEEN 1 AND 200);
-- { email?, phone?, address? } as given at the counter; personal data, read through the audited views only.
ALTER TABLE dossier ADD COLUMN applicant_contact jsonb;
