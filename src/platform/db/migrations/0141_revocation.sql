-- Revocation of an issued result (issue 6): by an authorised leader, with the reason; the verification page and the
-- e-store show it at once. A document is revoked once; the row is never changed.
CREATE TABLE document_revocation (
  document_id  uuid PRIMARY KEY REFERENCES document(id),
  reason       text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  revoked_by   uuid NOT NULL REFERENCES app_user(id),
  agency_id    uuid REFERENCES agency(id),
  at           timestamptz NOT NULL
);

CREATE FUNCTION document_revocation_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'document_revocation is write-once';
END $$;
CREATE TRIGGER document_revocation_no_change BEFORE UPDATE OR DELETE ON document_revocation
  FOR EACH ROW EXECUTE FUNCTION document_revocation_immutable();
