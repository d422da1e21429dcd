-- Identity and access: user accounts of every role, server-side sessions.
-- Officers are bound to exactly one agency (their scope); applicants are identified by a CCCD or tax code instead.
CREATE TABLE app_user (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stored lower-case so that "NguyenVanA" and "nguyenvana" are one account.
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  display_name         text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
  role                 text NOT NULL CHECK (role IN ('citizen', 'business', 'agent', 'counter_officer', 'specialist',
                                                     'leader', 'supervisor', 'inspector', 'admin')),
  agency_id            uuid REFERENCES agency(id),
  -- CCCD (12 digits) for citizens, tax code (MST, 10 or 13 digits) for businesses; either for agents.
  subject_id           text CHECK (subject_id ~ '^[0-9]{10}([0-9]{2}|-[0-9]{3})?$'),
  email                text CHECK (email IS NULL OR length(email) <= 254),
  -- PHC string of an argon2id hash; never the password.
  password_hash        text NOT NULL,
  failed_attempts      int NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until         timestamptz,
  disabled             boolean NOT NULL DEFAULT false,
  password_changed_at  timestamptz NOT NULL DEFAULT now(),
  last_login_at        timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  -- The scope rules rest on these two: every officer has an agency, every applicant has a subject and no agency.
  CHECK ((role IN ('citizen', 'business', 'agent')) = (agency_id IS NULL)),
  CHECK ((role IN ('citizen', 'business', 'agent')) = (subject_id IS NOT NULL))
);
CREATE INDEX app_user_agency_idx ON app_user (agency_id, role);
CREATE INDEX app_user_role_idx ON app_user (role);
-- One citizen account per CCCD: dossiers are scoped by the subject, so two accounts would share each other's files.
CREATE UNIQUE INDEX app_user_citizen_subject_idx ON app_user (subject_id) WHERE role = 'citizen';

-- Server-side sessions. Only the SHA-256 of the random cookie token is stored, so a copy of this table cannot be
-- replayed as cookies. The CSRF token is returned to the signed-in client and echoed in x-csrf-token on writes.
CREATE TABLE user_session (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash    text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id       uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  -- Absolute expiry; the idle limit is checked against last_seen_at.
  expires_at    timestamptz NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);
CREATE INDEX user_session_expires_idx ON user_session (expires_at);
