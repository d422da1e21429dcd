import type { Queryable } from '../platform/db/db.ts';
import type { Role } from './roles.ts';

/** SQL for users and sessions. Every function takes a Queryable so it runs inside the caller's transaction. */

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  agencyId: string | null;
  agencyCode: string | null;
  agencyName: string | null;
  subjectId: string | null;
  email: string | null;
  passwordHash: string;
  failedAttempts: number;
  lockedUntil: Date | null;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const USER_COLUMNS = `u.id, u.username, u.display_name, u.role, u.agency_id, a.code AS agency_code, a.name AS agency_name,
  u.subject_id, u.email, u.password_hash, u.failed_attempts, u.locked_until, u.disabled, u.last_login_at,
  u.created_at, u.updated_at`;

interface RawUser {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  agency_id: string | null;
  agency_code: string | null;
  agency_name: string | null;
  subject_id: string | null;
  email: string | null;
  password_hash: string;
  failed_attempts: number;
  locked_until: Date | string | null;
  disabled: boolean;
  last_login_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

function date(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}

function toUser(r: RawUser): UserRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    agencyId: r.agency_id,
    agencyCode: r.agency_code,
    agencyName: r.agency_name,
    subjectId: r.subject_id,
    email: r.email,
    passwordHash: r.password_hash,
    failedAttempts: Number(r.failed_attempts),
    lockedUntil: date(r.locked_until),
    disabled: r.disabled,
    lastLoginAt: date(r.last_login_at),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export async function findUserByUsername(q: Queryable, username: string, forUpdate = false): Promise<UserRow | null> {
  const r = await q.query<RawUser>(
    `SELECT ${USER_COLUMNS} FROM app_user u LEFT JOIN agency a ON a.id = u.agency_id WHERE u.username = $1
     ${forUpdate ? 'FOR UPDATE OF u' : ''}`,
    [username],
  );
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

export async function findUserById(q: Queryable, id: string, forUpdate = false): Promise<UserRow | null> {
  const r = await q.query<RawUser>(
    `SELECT ${USER_COLUMNS} FROM app_user u LEFT JOIN agency a ON a.id = u.agency_id WHERE u.id = $1
     ${forUpdate ? 'FOR UPDATE OF u' : ''}`,
    [id],
  );
  return r.rows[0] ? toUser(r.rows[0]) : null;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  agencyId: string | null;
  subjectId: string | null;
  email: string | null;
  passwordHash: string;
  at: Date;
}

export async function insertUser(q: Queryable, u: NewUser): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO app_user (username, display_name, role, agency_id, subject_id, email, password_hash,
       password_changed_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) RETURNING id`,
    [u.username, u.displayName, u.role, u.agencyId, u.subjectId, u.email, u.passwordHash, u.at],
  );
  return r.rows[0]!.id;
}

export async function usernameExists(q: Queryable, username: string): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM app_user WHERE username = $1', [username]);
  return r.rows.length > 0;
}

export async function citizenSubjectExists(q: Queryable, subjectId: string): Promise<boolean> {
  const r = await q.query(`SELECT 1 FROM app_user WHERE role = 'citizen' AND subject_id = $1`, [subjectId]);
  return r.rows.length > 0;
}

export async function updateLockout(
  q: Queryable,
  userId: string,
  state: { failedAttempts: number; lockedUntil: Date | null },
): Promise<void> {
  await q.query('UPDATE app_user SET failed_attempts = $2, locked_until = $3 WHERE id = $1', [
    userId,
    state.failedAttempts,
    state.lockedUntil,
  ]);
}

export async function recordLogin(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.query('UPDATE app_user SET failed_attempts = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1', [userId, at]);
}

export async function setDisabled(q: Queryable, userId: string, disabled: boolean, at: Date): Promise<void> {
  await q.query('UPDATE app_user SET disabled = $2, updated_at = $3 WHERE id = $1', [userId, disabled, at]);
}

export async function setPasswordHash(q: Queryable, userId: string, passwordHash: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE app_user SET password_hash = $2, password_changed_at = $3, updated_at = $3, failed_attempts = 0,
       locked_until = NULL WHERE id = $1`,
    [userId, passwordHash, at],
  );
}

export async function updateProfile(
  q: Queryable,
  userId: string,
  p: { displayName: string; role: Role; agencyId: string | null; subjectId: string | null; email: string | null },
  at: Date,
): Promise<void> {
  await q.query(
    `UPDATE app_user SET display_name = $2, role = $3, agency_id = $4, subject_id = $5, email = $6, updated_at = $7
     WHERE id = $1`,
    [userId, p.displayName, p.role, p.agencyId, p.subjectId, p.email, at],
  );
}

export interface UserFilter {
  role?: Role;
  /** Only users of these agencies (the caller's scope); null = no agency restriction. */
  agencyIds: string[] | null;
  /** Whether applicants (no agency) are visible to the caller. */
  includeApplicants: boolean;
  disabled?: boolean;
  /** Substring of username or display name. */
  search?: string;
  limit: number;
  offset: number;
}

export async function listUsers(q: Queryable, f: UserFilter): Promise<{ items: UserRow[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.role) where.push(`u.role = ${p(f.role)}`);
  if (f.disabled !== undefined) where.push(`u.disabled = ${p(f.disabled)}`);
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(`(u.username ILIKE ${p(like)} OR u.display_name ILIKE ${p(like)})`);
  }
  const scope: string[] = [];
  if (f.agencyIds === null) scope.push('u.agency_id IS NOT NULL');
  else if (f.agencyIds.length) scope.push(`u.agency_id = ANY(${p(f.agencyIds)}::uuid[])`);
  if (f.includeApplicants) scope.push('u.agency_id IS NULL');
  where.push(scope.length ? `(${scope.join(' OR ')})` : 'false');
  const clause = `WHERE ${where.join(' AND ')}`;
  const total = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user u ${clause}`, params);
  const rows = await q.query<RawUser>(
    `SELECT ${USER_COLUMNS} FROM app_user u LEFT JOIN agency a ON a.id = u.agency_id ${clause}
     ORDER BY u.username LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
    params,
  );
  return { items: rows.rows.map(toUser), total: Number(total.rows[0]?.n ?? 0) };
}

// ---------------------------------------------------------------------------------------------------------------
// Agencies (read-only here; the catalog room owns them)

export interface AgencyRef {
  id: string;
  code: string;
  name: string;
  parentId: string | null;
}

export async function findAgencyByCode(q: Queryable, code: string): Promise<AgencyRef | null> {
  const r = await q.query<{ id: string; code: string; name: string; parent_id: string | null }>(
    'SELECT id, code, name, parent_id FROM agency WHERE code = $1',
    [code],
  );
  const row = r.rows[0];
  return row ? { id: row.id, code: row.code, name: row.name, parentId: row.parent_id } : null;
}

export async function findAgencyById(q: Queryable, id: string): Promise<AgencyRef | null> {
  const r = await q.query<{ id: string; code: string; name: string; parent_id: string | null }>(
    'SELECT id, code, name, parent_id FROM agency WHERE id = $1',
    [id],
  );
  const row = r.rows[0];
  return row ? { id: row.id, code: row.code, name: row.name, parentId: row.parent_id } : null;
}

/** The agency and every agency below it in the tree. */
export async function agencySubtree(q: Queryable, rootId: string): Promise<string[]> {
  const r = await q.query<{ id: string }>(
    `WITH RECURSIVE sub(id) AS (
       SELECT id FROM agency WHERE id = $1
       UNION
       SELECT a.id FROM agency a JOIN sub ON a.parent_id = sub.id
     ) SELECT id FROM sub`,
    [rootId],
  );
  return r.rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions

export interface SessionRow {
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export async function insertSession(
  q: Queryable,
  s: { tokenHash: string; userId: string; csrfToken: string; createdAt: Date; expiresAt: Date },
): Promise<string> {
  const r = await q.query<{ id: string }>(
    `INSERT INTO user_session (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, $4, $4, $5) RETURNING id`,
    [s.tokenHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt],
  );
  return r.rows[0]!.id;
}

export async function findSessionWithUser(
  q: Queryable,
  tokenHash: string,
): Promise<{ session: SessionRow; user: UserRow } | null> {
  const r = await q.query<
    RawUser & {
      session_id: string;
      csrf_token: string;
      session_created_at: Date | string;
      last_seen_at: Date | string;
      expires_at: Date | string;
    }
  >(
    `SELECT s.id AS session_id, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at, s.expires_at,
       ${USER_COLUMNS}
     FROM user_session s JOIN app_user u ON u.id = s.user_id LEFT JOIN agency a ON a.id = u.agency_id
     WHERE s.token_hash = $1`,
    [tokenHash],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    session: {
      id: row.session_id,
      userId: row.id,
      csrfToken: row.csrf_token,
      createdAt: new Date(row.session_created_at),
      lastSeenAt: new Date(row.last_seen_at),
      expiresAt: new Date(row.expires_at),
    },
    user: toUser(row),
  };
}

export async function touchSession(q: Queryable, sessionId: string, at: Date): Promise<void> {
  await q.query('UPDATE user_session SET last_seen_at = $2 WHERE id = $1', [sessionId, at]);
}

export async function deleteSession(q: Queryable, sessionId: string): Promise<number> {
  const r = await q.query('DELETE FROM user_session WHERE id = $1', [sessionId]);
  return r.rowCount;
}

export async function deleteUserSessions(q: Queryable, userId: string): Promise<number> {
  const r = await q.query('DELETE FROM user_session WHERE user_id = $1', [userId]);
  return r.rowCount;
}

export async function deleteOtherSessions(q: Queryable, userId: string, keepSessionId: string): Promise<number> {
  const r = await q.query('DELETE FROM user_session WHERE user_id = $1 AND id <> $2', [userId, keepSessionId]);
  return r.rowCount;
}

/** Removes sessions past their absolute expiry (idle ones are removed when next presented). */
export async function deleteExpiredSessions(q: Queryable, now: Date): Promise<number> {
  const r = await q.query('DELETE FROM user_session WHERE expires_at <= $1', [now]);
  return r.rowCount;
}
