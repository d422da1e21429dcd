-- Audit log, part 2 (R8): signed checkpoints and append-only enforcement in the database itself.
--
-- The hash chain (0004) makes tampering detectable; these triggers make it impossible for anyone who is not the
-- tables' owner or a superuser: UPDATE, DELETE and TRUNCATE of audit rows and checkpoints are refused, and the head
-- row may only move forward onto an existing event. The only escape is the documented superuser/owner one
-- (`SET session_replication_role = replica`, superuser only, or `ALTER TABLE … DISABLE TRIGGER`, owner only), which
-- is why production runs the app as a non-owner role with INSERT/SELECT only (docs/audit-log.md, `hoso audit harden`).

-- A checkpoint fixes the chain head at a moment: "after `event_count` events the head hash was `head_hash`", signed
-- by the system seal over the canonical payload and timestamped by a TSA. Checkpoints chain to each other through
-- `prev_checkpoint_hash`, so removing one is as visible as removing an event. Ids are assigned densely under a lock
-- (not from a sequence, whose rolled-back values would look like removed checkpoints).
CREATE TABLE audit_checkpoint (
  id                    bigint PRIMARY KEY CHECK (id >= 1),
  at                    timestamptz NOT NULL,
  event_count           bigint NOT NULL CHECK (event_count >= 0),
  head_hash             text NOT NULL CHECK (head_hash ~ '^[0-9a-f]{64}$'),
  prev_checkpoint_hash  text NOT NULL CHECK (prev_checkpoint_hash ~ '^[0-9a-f]{64}$'),
  -- Hash used by the signature (SHA-256/384/512); the key kind comes from the certificate.
  signature_hash        text NOT NULL,
  signature             bytea NOT NULL,
  -- DER certificates: [signer, issuer, …].
  certificate_chain     bytea[] NOT NULL,
  -- RFC 3161 TimeStampToken over sha256(signature), when a TSA was reachable.
  timestamp_token       bytea,
  checkpoint_hash       text NOT NULL UNIQUE
);
CREATE INDEX audit_checkpoint_count_idx ON audit_checkpoint (event_count);

CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Audit events and checkpoints can only be appended (see docs/audit-log.md).';
END;
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- The head may only advance, and only onto an event that exists with that hash: rolling it back (to hide removed
-- tail rows) or pointing it at nothing is refused. Moving by more than one is allowed for bulk loads that set the
-- head once at the end.
CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit log is append-only: % on audit_head is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id <> OLD.id OR NEW.seq <= OLD.seq THEN
    RAISE EXCEPTION 'audit head may only move forward (from % to %)', OLD.seq, NEW.seq USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM audit_event WHERE seq = NEW.seq AND hash = NEW.hash) THEN
    RAISE EXCEPTION 'audit head must point at an existing event (seq %)', NEW.seq USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
  FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
