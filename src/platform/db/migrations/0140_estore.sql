-- The applicant's e-store (kho dữ liệu điện tử của tổ chức, cá nhân; issue 6): every result issued to a citizen or
-- business, reusable in a later dossier with consent (basis REUSED, once-only). The document itself is the issued one.
CREATE TABLE estore_item (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_subject_id   text NOT NULL CHECK (owner_subject_id ~ '^[0-9]{10}([0-9]{2}|-[0-9]{3})?$'),
  owner_kind         text NOT NULL CHECK (owner_kind IN ('citizen', 'business')),
  document_id        uuid NOT NULL REFERENCES document(id),
  -- The catalog's document type (e.g. health.pharmacist_certificate): what a later component may reuse it for.
  document_type      text,
  title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
  kind               text NOT NULL CHECK (kind IN ('result', 'component')),
  issuer             text,
  -- The document's evidence as first obtained (the rules' OriginalEvidence): a reuse is as valid as its origin.
  original           jsonb NOT NULL,
  source_dossier_id  uuid REFERENCES dossier(id),
  valid_from         timestamptz NOT NULL,
  valid_until        timestamptz,
  status             text NOT NULL CHECK (status IN ('valid', 'revoked', 'superseded')),
  created_at         timestamptz NOT NULL,
  UNIQUE (owner_subject_id, document_id)
);
CREATE INDEX estore_owner_idx ON estore_item (owner_subject_id, created_at DESC);

