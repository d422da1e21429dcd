import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db/db.ts';
import { appendAuditEvent } from '../oversight/audit/store.ts';
import type { Principal } from './access.ts';
import { IdentityErrors } from './errors.ts';
import {
  burnVerification,
  generatePassword,
  hashPassword,
  hashToken,
  newCsrfToken,
  newSessionToken,
  verifyPassword,
} from './passwords.ts';
import { ROLE_LABELS, isOfficer, type Role } from './roles.ts';
import {
  checkAgencyBinding,
  checkPassword,
  checkSubjectId,
  isLocked,
  isValidUsername,
  normalizeUsername,
  registerFailure,
  sessionPolicy,
  sessionState,
  shouldTouchSession,
} from './rules.ts';
import * as store from './store.ts';
import type { UserRow } from './store.ts';

/** Use cases of the identity room. Each state change runs in one transaction with its audit event. */

type Actor = { userId: string; role: string };

function actorOf(p: Principal | null): Actor | null {
  return p ? { userId: p.userId, role: p.role } : null;
}

/** What the API shows of a user: never the hash, lockout internals only as flags. */
export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: { vi: string; en: string };
  agencyId: string | null;
  agencyCode: string | null;
  agencyName: string | null;
  subjectId: string | null;
  email: string | null;
  disabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export function publicUser(u: UserRow, now: Date): PublicUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    roleLabel: ROLE_LABELS[u.role],
    agencyId: u.agencyId,
    agencyCode: u.agencyCode,
    agencyName: u.agencyName,
    subjectId: u.subjectId,
    email: u.email,
    disabled: u.disabled,
    locked: isLocked(u, now),
    lastLoginAt: u.lastLoginAt ? u.lastLoginAt.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
  };
}

function principalOf(u: UserRow, sessionId: string): Principal {
  return {
    userId: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    agencyId: u.agencyId,
    agencyCode: u.agencyCode,
    subjectId: u.subjectId,
    sessionId,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions

export interface OpenedSession {
  /** The cookie value; shown once, never stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
  principal: Principal;
}

async function openSessionIn(ctx: AppContext, q: Queryable, user: UserRow, now: Date): Promise<OpenedSession> {
  const token = newSessionToken();
  const csrfToken = newCsrfToken();
  const policy = sessionPolicy(ctx.config.sessionTtlSeconds);
  const expiresAt = new Date(now.getTime() + policy.absoluteSeconds * 1000);
  const sessionId = await store.insertSession(q, { tokenHash: hashToken(token), userId: user.id, csrfToken, createdAt: now, expiresAt });
  return { token, csrfToken, expiresAt, principal: principalOf(user, sessionId) };
}

/**
 * Opens a session for a user without a password, for trusted callers only: tests and the other rooms' test
 * helpers (see testing.ts). Not reachable over HTTP.
 */
export async function openSessionForUser(ctx: AppContext, userId: string): Promise<OpenedSession> {
  return ctx.db.tx(async (q) => {
    const user = await store.findUserById(q, userId);
    if (!user) throw IdentityErrors.userNotFound();
    return openSessionIn(ctx, q, user, ctx.now());
  });
}

export type LoginResult =
  | ({ ok: true } & OpenedSession)
  | { ok: false; reason: 'invalid' | 'unknown' | 'locked' | 'disabled'; lockedNow?: boolean };

/**
 * Local sign-in. Unknown and locked accounts get the same answer as a wrong password (and the same argon2 work),
 * so the login form cannot be used to find out which usernames exist or are locked. Failures are counted in the
 * database, so the lockout holds across processes and restarts.
 */
export async function login(ctx: AppContext, input: { username: string; password: string }): Promise<LoginResult> {
  const username = normalizeUsername(input.username);
  const now = ctx.now();
  const user = isValidUsername(username) ? await store.findUserByUsername(ctx.db, username) : null;
  if (!user) {
    await burnVerification(input.password);
    return { ok: false, reason: 'unknown' };
  }
  if (isLocked(user, now)) {
    await burnVerification(input.password);
    return { ok: false, reason: 'locked' };
  }
  const passwordOk = await verifyPassword(user.passwordHash, input.password);
  if (!passwordOk) {
    const lockedNow = await ctx.db.tx(async (q) => {
      // Re-read under a row lock: concurrent wrong guesses must each count.
      const fresh = await store.findUserById(q, user.id, true);
      if (!fresh) return false;
      const next = registerFailure(fresh, now, { maxAttempts: ctx.config.loginMaxAttempts, lockSeconds: ctx.config.loginLockSeconds });
      await store.updateLockout(q, user.id, next);
      await appendAuditEvent(q, {
        type: 'identity.login_failed',
        at: now,
        actor: null,
        agencyId: user.agencyId,
        subjectType: 'user',
        subjectId: user.id,
        data: { attempt: next.lockedNow ? ctx.config.loginMaxAttempts : next.failedAttempts },
      });
      if (next.lockedNow) {
        await appendAuditEvent(q, {
          type: 'identity.locked_out',
          at: now,
          actor: null,
          agencyId: user.agencyId,
          subjectType: 'user',
          subjectId: user.id,
          data: { lockedUntil: next.lockedUntil!.toISOString(), maxAttempts: ctx.config.loginMaxAttempts },
        });
      }
      return next.lockedNow;
    });
    return { ok: false, reason: 'invalid', lockedNow };
  }
  // Only someone who knows the password learns that the account is disabled.
  if (user.disabled) return { ok: false, reason: 'disabled' };
  const opened = await ctx.db.tx(async (q) => {
    await store.recordLogin(q, user.id, now);
    // Housekeeping on sign-in, so dead session rows do not pile up without a scheduler.
    await store.deleteExpiredSessions(q, now);
    const session = await openSessionIn(ctx, q, user, now);
    await appendAuditEvent(q, {
      type: 'identity.login',
      at: now,
      actor: { userId: user.id, role: user.role },
      agencyId: user.agencyId,
      subjectType: 'user',
      subjectId: user.id,
      data: { method: 'password', sessionId: session.principal.sessionId },
    });
    return session;
  });
  return { ok: true, ...opened };
}

export interface ResolvedSession {
  principal: Principal;
  csrfToken: string;
}

/** Who holds this cookie token, or null (unknown, expired, idle, disabled). Dead sessions are removed. */
export async function resolveSession(ctx: AppContext, token: string): Promise<ResolvedSession | null> {
  if (!token || token.length > 128) return null;
  const found = await store.findSessionWithUser(ctx.db, hashToken(token));
  if (!found) return null;
  const now = ctx.now();
  const state = sessionState(found.session, now, sessionPolicy(ctx.config.sessionTtlSeconds));
  if (state !== 'active' || found.user.disabled) {
    await store.deleteSession(ctx.db, found.session.id);
    return null;
  }
  if (shouldTouchSession(found.session.lastSeenAt, now)) await store.touchSession(ctx.db, found.session.id, now);
  return { principal: principalOf(found.user, found.session.id), csrfToken: found.session.csrfToken };
}

export async function logout(ctx: AppContext, principal: Principal): Promise<void> {
  const now = ctx.now();
  await ctx.db.tx(async (q) => {
    const removed = await store.deleteSession(q, principal.sessionId);
    if (!removed) return;
    await appendAuditEvent(q, {
      type: 'identity.logout',
      at: now,
      actor: actorOf(principal),
      agencyId: principal.agencyId,
      subjectType: 'user',
      subjectId: principal.userId,
      data: { sessionId: principal.sessionId },
    });
  });
}

export interface Me {
  user: PublicUser;
  csrfToken: string;
}

export async function me(ctx: AppContext, resolved: ResolvedSession): Promise<Me> {
  const user = await store.findUserById(ctx.db, resolved.principal.userId);
  if (!user) throw IdentityErrors.userNotFound();
  return { user: publicUser(user, ctx.now()), csrfToken: resolved.csrfToken };
}

// ---------------------------------------------------------------------------------------------------------------
// User administration

/**
 * What an administrator may manage: users of their own agency and the agencies below it. Applicant accounts
 * belong to no agency; only administrators of a top-level agency (e.g. the city People's Committee) manage them.
 * `null` actor = the operator at the command line, who manages everything.
 */
export interface AdminScope {
  agencyIds: string[] | null;
  includeApplicants: boolean;
}

export async function adminScope(q: Queryable, actor: Principal | null): Promise<AdminScope> {
  if (!actor) return { agencyIds: null, includeApplicants: true };
  if (actor.role !== 'admin' || !actor.agencyId) return { agencyIds: [], includeApplicants: false };
  const agency = await store.findAgencyById(q, actor.agencyId);
  if (!agency) return { agencyIds: [], includeApplicants: false };
  return { agencyIds: await store.agencySubtree(q, agency.id), includeApplicants: agency.parentId === null };
}

function inScope(scope: AdminScope, agencyId: string | null): boolean {
  if (agencyId === null) return scope.includeApplicants;
  return scope.agencyIds === null || scope.agencyIds.includes(agencyId);
}

export interface NewUserInput {
  username: string;
  displayName?: string;
  role: Role;
  agencyCode?: string | null;
  subjectId?: string | null;
  email?: string | null;
  /** Omitted → a strong password is generated and returned once. */
  password?: string;
}

async function resolveAgency(q: Queryable, role: Role, agencyCode: string | null | undefined): Promise<store.AgencyRef | null> {
  const code = agencyCode?.trim() || null;
  const binding = checkAgencyBinding(role, code);
  if (binding === 'agency_required') throw IdentityErrors.agencyRequired({ role });
  if (binding === 'agency_forbidden') throw IdentityErrors.agencyForbidden({ role });
  if (!code) return null;
  const agency = await store.findAgencyByCode(q, code);
  if (!agency) throw IdentityErrors.unknownAgency({ agencyCode: code });
  return agency;
}

function validateSubject(role: Role, subjectId: string | null | undefined): string | null {
  const problem = checkSubjectId(role, subjectId);
  if (problem) throw IdentityErrors.invalidSubjectId({ reason: problem, role });
  return subjectId?.trim() || null;
}

function validatePassword(password: string, username: string): void {
  const problems = checkPassword(password, { username });
  if (problems.length) {
    throw IdentityErrors.weakPassword({ problems: problems.map((p) => ({ code: p.code, message: p.message })) });
  }
}

function normalizeEmail(email: string | null | undefined): string | null {
  const e = email?.normalize('NFC').trim() || null;
  if (e !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e)) {
    throw IdentityErrors.invalidEmail({ email: e });
  }
  return e;
}

export async function createUser(
  ctx: AppContext,
  actor: Principal | null,
  input: NewUserInput,
): Promise<{ user: PublicUser; generatedPassword: string | null }> {
  const username = normalizeUsername(input.username);
  if (!isValidUsername(username)) throw IdentityErrors.invalidUsername({ username });
  const subjectId = validateSubject(input.role, input.subjectId);
  const email = normalizeEmail(input.email);
  const generatedPassword = input.password === undefined ? generatePassword() : null;
  const password = input.password ?? generatedPassword!;
  validatePassword(password, username);
  const displayName = (input.displayName?.normalize('NFC').trim() || username).slice(0, 200);
  const passwordHash = await hashPassword(password);
  const now = ctx.now();
  const id = await ctx.db.tx(async (q) => {
    const agency = await resolveAgency(q, input.role, input.agencyCode);
    if (!inScope(await adminScope(q, actor), agency?.id ?? null)) throw IdentityErrors.outOfScope();
    if (await store.usernameExists(q, username)) throw IdentityErrors.usernameTaken({ username });
    if (input.role === 'citizen' && subjectId && (await store.citizenSubjectExists(q, subjectId))) {
      throw IdentityErrors.subjectTaken();
    }
    const userId = await store.insertUser(q, {
      username,
      displayName,
      role: input.role,
      agencyId: agency?.id ?? null,
      subjectId,
      email,
      passwordHash,
      at: now,
    });
    await appendAuditEvent(q, {
      type: 'identity.user_created',
      at: now,
      actor: actorOf(actor),
      agencyId: agency?.id ?? null,
      subjectType: 'user',
      subjectId: userId,
      data: { username, role: input.role, agencyCode: agency?.code ?? null, via: actor ? 'api' : 'cli' },
    });
    return userId;
  });
  const user = await store.findUserById(ctx.db, id);
  return { user: publicUser(user!, now), generatedPassword };
}

/** A user the actor may manage, or USER_NOT_FOUND — out-of-scope users are indistinguishable from absent ones. */
async function managedUser(q: Queryable, actor: Principal | null, userId: string, forUpdate = false): Promise<UserRow> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(userId)) throw IdentityErrors.userNotFound();
  const user = await store.findUserById(q, userId, forUpdate);
  if (!user || !inScope(await adminScope(q, actor), user.agencyId)) throw IdentityErrors.userNotFound();
  return user;
}

export async function getUser(ctx: AppContext, actor: Principal | null, userId: string): Promise<PublicUser> {
  return publicUser(await managedUser(ctx.db, actor, userId), ctx.now());
}

export interface ListUsersInput {
  role?: Role;
  agencyCode?: string;
  disabled?: boolean;
  search?: string;
  limit?: number;
  offset?: number;
}

export async function listUsers(
  ctx: AppContext,
  actor: Principal | null,
  input: ListUsersInput,
): Promise<{ items: PublicUser[]; total: number; limit: number; offset: number }> {
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const offset = Math.max(input.offset ?? 0, 0);
  const scope = await adminScope(ctx.db, actor);
  let agencyIds = scope.agencyIds;
  let includeApplicants = scope.includeApplicants;
  if (input.agencyCode) {
    const agency = await store.findAgencyByCode(ctx.db, input.agencyCode);
    if (!agency) throw IdentityErrors.unknownAgency({ agencyCode: input.agencyCode });
    // Filtering by an agency outside the scope yields nothing rather than an error: the list is the scope.
    agencyIds = inScope(scope, agency.id) ? [agency.id] : [];
    includeApplicants = false;
  }
  const r = await store.listUsers(ctx.db, {
    role: input.role,
    agencyIds,
    includeApplicants,
    disabled: input.disabled,
    search: input.search?.normalize('NFC').trim() || undefined,
    limit,
    offset,
  });
  const now = ctx.now();
  return { items: r.items.map((u) => publicUser(u, now)), total: r.total, limit, offset };
}

export async function setUserDisabled(
  ctx: AppContext,
  actor: Principal | null,
  userId: string,
  disabled: boolean,
): Promise<PublicUser> {
  const now = ctx.now();
  await ctx.db.tx(async (q) => {
    const user = await managedUser(q, actor, userId, true);
    if (actor && actor.userId === user.id) throw IdentityErrors.cannotChangeSelf();
    if (user.disabled === disabled) return;
    await store.setDisabled(q, user.id, disabled, now);
    // A disabled account must lose access at once, not when its sessions expire.
    const revoked = disabled ? await store.deleteUserSessions(q, user.id) : 0;
    await appendAuditEvent(q, {
      type: disabled ? 'identity.user_disabled' : 'identity.user_enabled',
      at: now,
      actor: actorOf(actor),
      agencyId: user.agencyId,
      subjectType: 'user',
      subjectId: user.id,
      data: { username: user.username, sessionsRevoked: revoked },
    });
  });
  return getUser(ctx, actor, userId);
}

export async function resetPassword(
  ctx: AppContext,
  actor: Principal | null,
  userId: string,
  password?: string,
): Promise<{ user: PublicUser; generatedPassword: string | null }> {
  const target = await managedUser(ctx.db, actor, userId);
  const generatedPassword = password === undefined ? generatePassword() : null;
  const newPassword = password ?? generatedPassword!;
  validatePassword(newPassword, target.username);
  const passwordHash = await hashPassword(newPassword);
  const now = ctx.now();
  await ctx.db.tx(async (q) => {
    const user = await managedUser(q, actor, userId, true);
    await store.setPasswordHash(q, user.id, passwordHash, now);
    // Whoever held the old password may hold a session: end them all.
    const revoked = await store.deleteUserSessions(q, user.id);
    await appendAuditEvent(q, {
      type: 'identity.password_reset',
      at: now,
      actor: actorOf(actor),
      agencyId: user.agencyId,
      subjectType: 'user',
      subjectId: user.id,
      data: { username: user.username, sessionsRevoked: revoked, generated: generatedPassword !== null },
    });
  });
  return { user: await getUser(ctx, actor, userId), generatedPassword };
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  /** null clears (only for applicants). */
  agencyCode?: string | null;
  subjectId?: string | null;
  email?: string | null;
}

export async function updateUser(ctx: AppContext, actor: Principal | null, userId: string, patch: UserPatch): Promise<PublicUser> {
  const now = ctx.now();
  await ctx.db.tx(async (q) => {
    const user = await managedUser(q, actor, userId, true);
    const role = patch.role ?? user.role;
    if (actor && actor.userId === user.id && role !== user.role) throw IdentityErrors.cannotChangeSelf();
    const agencyCode = patch.agencyCode !== undefined ? patch.agencyCode : isOfficer(role) ? user.agencyCode : null;
    const agency = await resolveAgency(q, role, agencyCode);
    if (!inScope(await adminScope(q, actor), agency?.id ?? null)) throw IdentityErrors.outOfScope();
    const subjectId = validateSubject(role, patch.subjectId !== undefined ? patch.subjectId : isOfficer(role) ? null : user.subjectId);
    if (role === 'citizen' && subjectId && subjectId !== user.subjectId && (await store.citizenSubjectExists(q, subjectId))) {
      throw IdentityErrors.subjectTaken();
    }
    const next = {
      displayName: patch.displayName?.normalize('NFC').trim().slice(0, 200) || user.displayName,
      role,
      agencyId: agency?.id ?? null,
      subjectId,
      email: patch.email !== undefined ? normalizeEmail(patch.email) : user.email,
    };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (next.displayName !== user.displayName) changes.displayName = { from: user.displayName, to: next.displayName };
    if (next.role !== user.role) changes.role = { from: user.role, to: next.role };
    if (next.agencyId !== user.agencyId) changes.agency = { from: user.agencyCode, to: agency?.code ?? null };
    if (next.subjectId !== user.subjectId) changes.subjectId = { from: user.subjectId, to: next.subjectId };
    if (next.email !== user.email) changes.email = { from: user.email, to: next.email };
    if (!Object.keys(changes).length) return;
    await store.updateProfile(q, user.id, next, now);
    // A new role or agency changes what the sessions may do: make the user sign in again.
    const revoked = changes.role || changes.agency ? await store.deleteUserSessions(q, user.id) : 0;
    await appendAuditEvent(q, {
      type: changes.role ? 'identity.role_changed' : 'identity.user_updated',
      at: now,
      actor: actorOf(actor),
      agencyId: next.agencyId ?? user.agencyId,
      subjectType: 'user',
      subjectId: user.id,
      data: { username: user.username, changes, sessionsRevoked: revoked },
    });
  });
  return getUser(ctx, actor, userId);
}

/**
 * A signed-in user changes their own password. The current password is required (a borrowed session must not be
 * enough to take the account over); the user's other sessions end, the current one stays.
 */
export async function changeOwnPassword(
  ctx: AppContext,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await store.findUserById(ctx.db, principal.userId);
  if (!user) throw IdentityErrors.userNotFound();
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw IdentityErrors.wrongCurrentPassword();
  validatePassword(input.newPassword, user.username);
  if (input.newPassword === input.currentPassword) throw IdentityErrors.weakPassword({ problems: [{ code: 'unchanged' }] });
  const passwordHash = await hashPassword(input.newPassword);
  const now = ctx.now();
  await ctx.db.tx(async (q) => {
    await store.setPasswordHash(q, user.id, passwordHash, now);
    const revoked = await store.deleteOtherSessions(q, user.id, principal.sessionId);
    await appendAuditEvent(q, {
      type: 'identity.password_changed',
      at: now,
      actor: actorOf(principal),
      agencyId: user.agencyId,
      subjectType: 'user',
      subjectId: user.id,
      data: { sessionsRevoked: revoked },
    });
  });
}
