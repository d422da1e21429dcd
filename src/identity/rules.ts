import { isValidCccd, isValidTaxCode } from './identifiers.ts';
import type { LocalizedText } from '../platform/http/problem.ts';
import { isOfficer, type Role } from './roles.ts';

/**
 * Pure identity rules: usernames, password policy, applicant identifiers, lockout, session expiry, rate windows.
 * Data in, data out — the clock is always a parameter.
 */

// ---------------------------------------------------------------------------------------------------------------
// Usernames

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** Usernames are case-insensitive: stored and compared in lower case (NFC first, so composed forms match). */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFC').trim().toLowerCase();
}

export function isValidUsername(username: string): boolean {
  return USERNAME_PATTERN.test(username);
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords (NIST SP 800-63B / OWASP: length over composition rules, refuse the obvious)

export const PASSWORD_MIN_LENGTH = 12;
/** argon2 hashes any length, but an unbounded input is a cheap way to burn server CPU. */
export const PASSWORD_MAX_LENGTH = 256;

const COMMON_PASSWORDS = new Set([
  'password1234',
  '123456789012',
  '1234567890123',
  'qwertyuiop12',
  'matkhau12345',
  'matkhau123456',
  'administrator',
  'admin1234567',
  'iloveyou1234',
  '1q2w3e4r5t6y',
  'abcdefghijkl',
  'hanoi1234567',
  'vietnam12345',
]);

export interface PasswordProblem {
  code: 'too_short' | 'too_long' | 'contains_username' | 'too_few_distinct' | 'common';
  message: LocalizedText;
}

export function checkPassword(password: string, context: { username?: string } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push({
      code: 'too_short',
      message: { vi: `Mật khẩu phải có ít nhất ${PASSWORD_MIN_LENGTH} ký tự`, en: `At least ${PASSWORD_MIN_LENGTH} characters` },
    });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push({
      code: 'too_long',
      message: { vi: `Mật khẩu không được dài quá ${PASSWORD_MAX_LENGTH} ký tự`, en: `At most ${PASSWORD_MAX_LENGTH} characters` },
    });
  }
  const lower = password.toLowerCase();
  const username = context.username ? normalizeUsername(context.username) : '';
  if (username.length >= 3 && lower.includes(username)) {
    problems.push({
      code: 'contains_username',
      message: { vi: 'Mật khẩu không được chứa tên đăng nhập', en: 'The password must not contain the username' },
    });
  }
  if (new Set(password).size < 5) {
    problems.push({
      code: 'too_few_distinct',
      message: { vi: 'Mật khẩu cần ít nhất 5 ký tự khác nhau', en: 'Use at least 5 different characters' },
    });
  }
  if (COMMON_PASSWORDS.has(lower)) {
    problems.push({ code: 'common', message: { vi: 'Mật khẩu quá phổ biến', en: 'This password is too common' } });
  }
  return problems;
}

/** Alphabet without look-alikes (0/O, 1/l/I) so printed demo and reset passwords can be typed from paper. */
const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Formats random bytes as a password: 4 groups of 5 characters (~114 bits from 20 × log2(57)).
 * Takes the bytes as input so it stays pure; rejection sampling keeps the distribution uniform.
 */
export function passwordFromRandom(bytes: Uint8Array): string {
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  const chars: string[] = [];
  for (const b of bytes) {
    if (b >= limit) continue;
    chars.push(PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]!);
    if (chars.length === 20) break;
  }
  if (chars.length < 20) throw new Error('not enough random bytes for a password');
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

// ---------------------------------------------------------------------------------------------------------------
// Applicant identifiers (structure checks live in identifiers.ts)

export type SubjectProblem = 'subject_required' | 'subject_forbidden' | 'invalid_cccd' | 'invalid_tax_code' | 'invalid_subject';

/** Which identifier each applicant role carries; officers carry none (their scope is their agency). */
export function checkSubjectId(role: Role, subjectId: string | null | undefined): SubjectProblem | null {
  const value = subjectId?.trim() || null;
  if (isOfficer(role)) return value === null ? null : 'subject_forbidden';
  if (value === null) return 'subject_required';
  if (role === 'citizen') return isValidCccd(value) ? null : 'invalid_cccd';
  if (role === 'business') return isValidTaxCode(value) ? null : 'invalid_tax_code';
  // A public-service agent is a person (CCCD) or an enterprise (MST).
  return isValidCccd(value) || isValidTaxCode(value) ? null : 'invalid_subject';
}

// ---------------------------------------------------------------------------------------------------------------
// Lockout

export interface LockoutPolicy {
  /** 0 turns the lockout off. */
  maxAttempts: number;
  lockSeconds: number;
}

export interface LockoutState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

export function isLocked(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/**
 * One more failed password. When the count reaches the limit the account is locked for `lockSeconds` and the
 * count starts over, so after the lock the user has the full number of attempts again. A lock that has run out
 * is cleared first.
 */
export function registerFailure(state: LockoutState, now: Date, policy: LockoutPolicy): LockoutState & { lockedNow: boolean } {
  const expired = state.lockedUntil !== null && !isLocked(state, now);
  const attempts = (expired ? 0 : state.failedAttempts) + 1;
  if (policy.maxAttempts > 0 && attempts >= policy.maxAttempts) {
    return { failedAttempts: 0, lockedUntil: new Date(now.getTime() + policy.lockSeconds * 1000), lockedNow: true };
  }
  return { failedAttempts: attempts, lockedUntil: expired ? null : state.lockedUntil, lockedNow: false };
}

export function registerSuccess(): LockoutState {
  return { failedAttempts: 0, lockedUntil: null };
}

// ---------------------------------------------------------------------------------------------------------------
// Sessions

export interface SessionPolicy {
  /** Absolute lifetime from sign-in. */
  absoluteSeconds: number;
  /** Sign-out after this long without a request. */
  idleSeconds: number;
}

/** Idle limit: one hour, never longer than the absolute lifetime. */
export function sessionPolicy(sessionTtlSeconds: number): SessionPolicy {
  return { absoluteSeconds: sessionTtlSeconds, idleSeconds: Math.min(sessionTtlSeconds, 3600) };
}

export type SessionState = 'active' | 'expired' | 'idle';

export function sessionState(
  session: { expiresAt: Date; lastSeenAt: Date },
  now: Date,
  policy: SessionPolicy,
): SessionState {
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= policy.idleSeconds * 1000) return 'idle';
  return 'active';
}

/** last_seen_at is refreshed at most once a minute, so reads do not turn into a write per request. */
export function shouldTouchSession(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() >= 60_000;
}

// ---------------------------------------------------------------------------------------------------------------
// Login rate limiting (fixed window per key)

export interface RateWindow {
  windowStart: number;
  count: number;
}

export interface RateLimit {
  max: number;
  windowSeconds: number;
}

/**
 * Failed sign-ins allowed per client IP and per username in a window. Only failures count, so a busy office
 * behind one NAT address signing in correctly is never throttled. The DB lockout is the durable control; these
 * blunt password spraying across accounts (per IP) and guessing across IPs (per username).
 */
export const LOGIN_RATE_PER_IP: RateLimit = { max: 30, windowSeconds: 60 };
export const LOGIN_RATE_PER_USERNAME: RateLimit = { max: 10, windowSeconds: 60 };

/** Whether one more attempt is allowed now, without counting it (the sign-in route counts only failures). */
export function checkRateWindow(
  current: RateWindow | undefined,
  nowMs: number,
  limit: RateLimit,
): { allowed: boolean; retryAfterSeconds: number } {
  const windowMs = limit.windowSeconds * 1000;
  if (!current || nowMs - current.windowStart >= windowMs || current.count < limit.max) return { allowed: true, retryAfterSeconds: 0 };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((current.windowStart + windowMs - nowMs) / 1000)) };
}

export function hitRateWindow(
  current: RateWindow | undefined,
  nowMs: number,
  limit: RateLimit,
): { window: RateWindow; allowed: boolean; retryAfterSeconds: number } {
  const windowMs = limit.windowSeconds * 1000;
  const window =
    current && nowMs - current.windowStart < windowMs ? { ...current, count: current.count + 1 } : { windowStart: nowMs, count: 1 };
  const allowed = window.count <= limit.max;
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((window.windowStart + windowMs - nowMs) / 1000));
  return { window, allowed, retryAfterSeconds };
}

// ---------------------------------------------------------------------------------------------------------------
// Agency binding

export type AgencyProblem = 'agency_required' | 'agency_forbidden';

/** Officers act inside one agency; applicants belong to none. */
export function checkAgencyBinding(role: Role, agencyId: string | null | undefined): AgencyProblem | null {
  if (isOfficer(role)) return agencyId ? null : 'agency_required';
  return agencyId ? 'agency_forbidden' : null;
}
