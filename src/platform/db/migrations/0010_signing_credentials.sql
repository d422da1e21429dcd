-- Which key signs for whom: a person's signing certificate or an agency's seal. Secrets (passwords, PINs, tokens)
-- are never stored here, only where to find them (an environment variable or, in demo mode, the demo PKI's
-- secrets file under the data directory).
CREATE TABLE signing_credential (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  purpose       text NOT NULL CHECK (purpose IN ('personal', 'seal')),
  user_id       uuid REFERENCES app_user(id),
  agency_id     uuid REFERENCES agency(id),
  backend       text NOT NULL CHECK (backend IN ('pkcs12', 'pkcs11', 'csc', 'demo')),
  settings      jsonb NOT NULL DEFAULT '{}'::jsonb,
  certificate   bytea NOT NULL,
  subject       text NOT NULL,
  serial_hex    text NOT NULL,
  not_after     timestamptz NOT NULL,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((purpose = 'personal' AND user_id IS NOT NULL) OR (purpose = 'seal' AND agency_id IS NOT NULL))
);
CREATE UNIQUE INDEX signing_credential_active_user_idx ON signing_credential (user_id) WHERE active AND purpose = 'personal';
CREATE UNIQUE INDEX signing_credential_active_seal_idx ON signing_credential (agency_id) WHERE active AND purpose = 'seal';
