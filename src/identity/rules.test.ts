import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generatePassword } from './passwords.ts';
import { isValidCccd, isValidTaxCode } from './identifiers.ts';
import {
  checkAgencyBinding,
  checkPassword,
  checkRateWindow,
  checkSubjectId,
  hitRateWindow,
  isLocked,
  isValidUsername,
  normalizeUsername,
  passwordFromRandom,
  registerFailure,
  registerSuccess,
  sessionPolicy,
  sessionState,
  shouldTouchSession,
} from './rules.ts';

const t0 = new Date('2026-03-02T08:00:00Z');
const plus = (s: number) => new Date(t0.getTime() + s * 1000);

describe('usernames', () => {
  it('normalises case and whitespace, validates the pattern', () => {
    expect(normalizeUsername('  NguyenVanA ')).toBe('nguyenvana');
    expect(isValidUsername('nguyen.van-a_1')).toBe(true);
    expect(isValidUsername('ab')).toBe(false);
    expect(isValidUsername('nguyễn')).toBe(false);
    expect(isValidUsername('-abc')).toBe(false);
  });
});

describe('password policy', () => {
  it('accepts a long varied password', () => {
    expect(checkPassword('Hồ-sơ điện tử 2026!', { username: 'an' })).toEqual([]);
  });
  it('refuses short, username-containing, monotonous and common passwords', () => {
    expect(checkPassword('short1').map((p) => p.code)).toContain('too_short');
    expect(checkPassword('xx-nguyenvana-2026', { username: 'NguyenVanA' }).map((p) => p.code)).toEqual(['contains_username']);
    expect(checkPassword('aaaaaaaaaaaaaaab').map((p) => p.code)).toEqual(['too_few_distinct']);
    expect(checkPassword('Password1234').map((p) => p.code)).toEqual(['common']);
    expect(checkPassword('x'.repeat(300)).map((p) => p.code)).toContain('too_long');
  });
  it('counts characters, not UTF-16 units', () => {
    // 11 code points of which some are astral: still too short.
    expect(checkPassword('😀😀😀😀😀abcdef').map((p) => p.code)).toContain('too_short');
  });
  it('messages exist in both languages', () => {
    for (const p of checkPassword('a')) {
      expect(p.message.vi.length).toBeGreaterThan(0);
      expect(p.message.en.length).toBeGreaterThan(0);
    }
  });
  it('passwords from random bytes have 4 groups of 5 unambiguous characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (bytes) => {
        let pw: string;
        try {
          pw = passwordFromRandom(bytes);
        } catch {
          // Too many bytes rejected by the sampler: refused rather than a short password.
          return true;
        }
        return /^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}$/.test(pw);
      }),
    );
    expect(() => passwordFromRandom(new Uint8Array(64).fill(255))).toThrow();
  });
  it('generated passwords pass the policy', () => {
    for (let i = 0; i < 100; i++) expect(checkPassword(generatePassword(), { username: 'admin' })).toEqual([]);
  });
});

describe('applicant identifiers', () => {
  it('CCCD: 12 digits with a known province code', () => {
    expect(isValidCccd('001085012345')).toBe(true);
    expect(isValidCccd('003085012345')).toBe(false); // 003 is not a province code
    expect(isValidCccd('00108501234')).toBe(false);
  });
  it('tax code: check digit of the worked examples', () => {
    expect(isValidTaxCode('0100047516')).toBe(true);
    expect(isValidTaxCode('0100109106')).toBe(true);
    expect(isValidTaxCode('0100109106-001')).toBe(true);
    expect(isValidTaxCode('0101243150')).toBe(true);
    expect(isValidTaxCode('0312345678')).toBe(false);
    expect(isValidTaxCode('0100109106-000')).toBe(false);
  });
  it('matches the identifier to the role', () => {
    expect(checkSubjectId('citizen', '001085012345')).toBeNull();
    expect(checkSubjectId('citizen', '0100109106')).toBe('invalid_cccd');
    expect(checkSubjectId('business', '0100109106')).toBeNull();
    expect(checkSubjectId('business', '001085012345')).toBe('invalid_tax_code');
    expect(checkSubjectId('agent', '001085012345')).toBeNull();
    expect(checkSubjectId('agent', '0100109106')).toBeNull();
    expect(checkSubjectId('citizen', null)).toBe('subject_required');
    expect(checkSubjectId('specialist', '001085012345')).toBe('subject_forbidden');
    expect(checkSubjectId('specialist', undefined)).toBeNull();
  });
  it('officers need an agency, applicants have none', () => {
    expect(checkAgencyBinding('counter_officer', null)).toBe('agency_required');
    expect(checkAgencyBinding('admin', 'x')).toBeNull();
    expect(checkAgencyBinding('citizen', 'x')).toBe('agency_forbidden');
    expect(checkAgencyBinding('business', null)).toBeNull();
  });
});

describe('lockout arithmetic', () => {
  const policy = { maxAttempts: 3, lockSeconds: 900 };
  it('locks on the max-th failure for lockSeconds, then gives the full count again', () => {
    let s = { failedAttempts: 0, lockedUntil: null as Date | null };
    s = registerFailure(s, t0, policy);
    expect(s).toMatchObject({ failedAttempts: 1, lockedUntil: null, lockedNow: false });
    s = registerFailure(s, plus(1), policy);
    const third = registerFailure(s, plus(2), policy);
    expect(third.lockedNow).toBe(true);
    expect(third.lockedUntil).toEqual(plus(902));
    expect(isLocked(third, plus(901))).toBe(true);
    expect(isLocked(third, plus(902))).toBe(false);
    // After the lock: the first failure counts as 1 again and the expired lock is cleared.
    const after = registerFailure(third, plus(1000), policy);
    expect(after).toMatchObject({ failedAttempts: 1, lockedUntil: null, lockedNow: false });
  });
  it('maxAttempts 0 never locks', () => {
    let s = { failedAttempts: 0, lockedUntil: null as Date | null };
    for (let i = 0; i < 50; i++) s = registerFailure(s, plus(i), { maxAttempts: 0, lockSeconds: 60 });
    expect(s.lockedUntil).toBeNull();
    expect(s.failedAttempts).toBe(50);
  });
  it('success clears everything', () => {
    expect(registerSuccess()).toEqual({ failedAttempts: 0, lockedUntil: null });
  });
  it('property: never locked before maxAttempts consecutive failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 3600 }), (max, lock) => {
        let s = { failedAttempts: 0, lockedUntil: null as Date | null };
        for (let i = 1; i < max; i++) {
          s = registerFailure(s, plus(i), { maxAttempts: max, lockSeconds: lock });
          if (isLocked(s, plus(i))) return false;
        }
        const last = registerFailure(s, plus(max), { maxAttempts: max, lockSeconds: lock });
        return isLocked(last, plus(max)) && !isLocked(last, plus(max + lock));
      }),
    );
  });
});

describe('session expiry', () => {
  const policy = sessionPolicy(8 * 3600);
  it('idle limit is an hour, capped by the absolute lifetime', () => {
    expect(policy).toEqual({ absoluteSeconds: 28_800, idleSeconds: 3600 });
    expect(sessionPolicy(600)).toEqual({ absoluteSeconds: 600, idleSeconds: 600 });
  });
  it('active, idle, expired', () => {
    const s = { expiresAt: plus(28_800), lastSeenAt: t0 };
    expect(sessionState(s, plus(3599), policy)).toBe('active');
    expect(sessionState(s, plus(3600), policy)).toBe('idle');
    expect(sessionState({ ...s, lastSeenAt: plus(28_000) }, plus(28_800), policy)).toBe('expired');
  });
  it('touches at most once a minute', () => {
    expect(shouldTouchSession(t0, plus(59))).toBe(false);
    expect(shouldTouchSession(t0, plus(60))).toBe(true);
  });
});

describe('rate window', () => {
  it('allows max hits per window, then tells how long to wait', () => {
    const limit = { max: 2, windowSeconds: 60 };
    let w = hitRateWindow(undefined, 0, limit);
    expect(w.allowed).toBe(true);
    w = hitRateWindow(w.window, 1000, limit);
    expect(w.allowed).toBe(true);
    w = hitRateWindow(w.window, 10_000, limit);
    expect(w).toMatchObject({ allowed: false, retryAfterSeconds: 50 });
    w = hitRateWindow(w.window, 60_000, limit);
    expect(w).toMatchObject({ allowed: true, window: { windowStart: 60_000, count: 1 } });
  });
  it('check does not count, and refuses once max attempts are in the window', () => {
    const limit = { max: 2, windowSeconds: 60 };
    expect(checkRateWindow(undefined, 0, limit)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(checkRateWindow({ windowStart: 0, count: 1 }, 5000, limit).allowed).toBe(true);
    expect(checkRateWindow({ windowStart: 0, count: 2 }, 5000, limit)).toEqual({ allowed: false, retryAfterSeconds: 55 });
    expect(checkRateWindow({ windowStart: 0, count: 2 }, 60_000, limit).allowed).toBe(true);
  });
});
