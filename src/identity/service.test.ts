import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { listAuditEvents } from '../oversight/audit/store.ts';
import type { AppError } from '../platform/http/problem.ts';
import * as service from './service.ts';
import { insertTestAgency } from './testing.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
let rootId: string;
const t0 = new Date('2026-03-02T08:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);
const PASSWORD = 'Mật khẩu rất dài 2026';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as AppError).code;
  }
  return 'no error';
}

async function lastAudit(type: string) {
  const events = await listAuditEvents(ctx.db);
  return events.filter((e) => e.type === type).at(-1);
}

beforeAll(async () => {
  ctx = await createTestContext({ loginMaxAttempts: 3, loginLockSeconds: 900, sessionTtlSeconds: 8 * 3600 });
  ctx.setNow(t0);
  rootId = await insertTestAgency(ctx, { code: 'S.ROOT', kind: 'people_committee' });
  const x = await insertTestAgency(ctx, { code: 'S.X', parentId: rootId });
  await insertTestAgency(ctx, { code: 'S.X1', kind: 'branch', parentId: x });
  await insertTestAgency(ctx, { code: 'S.Y', parentId: rootId });
});
afterAll(async () => ctx?.cleanup());

describe('createUser', () => {
  it('creates an officer bound to an agency, audits it, never stores the password', async () => {
    const r = await service.createUser(ctx, null, {
      username: 'Chuyen.Vien',
      displayName: 'Chuyên viên',
      role: 'specialist',
      agencyCode: 'S.X',
      password: PASSWORD,
    });
    expect(r.user).toMatchObject({ username: 'chuyen.vien', role: 'specialist', agencyCode: 'S.X', disabled: false });
    expect(r.user.roleLabel).toEqual({ vi: 'Chuyên viên', en: 'Specialist' });
    expect(r.generatedPassword).toBeNull();
    const row = await ctx.db.query<{ password_hash: string }>('SELECT password_hash FROM app_user WHERE id = $1', [r.user.id]);
    expect(row.rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const ev = await lastAudit('identity.user_created');
    expect(ev).toMatchObject({ subjectId: r.user.id, data: { username: 'chuyen.vien', role: 'specialist', via: 'cli' } });
    expect(JSON.stringify(ev)).not.toContain(PASSWORD);
  });

  it('generates a password when none is given', async () => {
    const r = await service.createUser(ctx, null, { username: 'citizen1', role: 'citizen', subjectId: '001085000001' });
    expect(r.generatedPassword).toMatch(/^.{5}-.{5}-.{5}-.{5}$/);
    const login = await service.login(ctx, { username: 'citizen1', password: r.generatedPassword! });
    expect(login.ok).toBe(true);
  });

  it('refuses bad input with stable codes', async () => {
    expect(await codeOf(service.createUser(ctx, null, { username: 'o1', role: 'leader', agencyCode: 'S.X', password: PASSWORD }))).toBe(
      'INVALID_USERNAME',
    );
    expect(await codeOf(service.createUser(ctx, null, { username: 'off1', role: 'leader', password: PASSWORD }))).toBe('AGENCY_REQUIRED');
    expect(await codeOf(service.createUser(ctx, null, { username: 'off1', role: 'leader', agencyCode: 'NOPE', password: PASSWORD }))).toBe(
      'UNKNOWN_AGENCY',
    );
    expect(
      await codeOf(service.createUser(ctx, null, { username: 'cit2', role: 'citizen', agencyCode: 'S.X', subjectId: '001085000002', password: PASSWORD })),
    ).toBe('AGENCY_NOT_ALLOWED');
    expect(await codeOf(service.createUser(ctx, null, { username: 'cit2', role: 'citizen', subjectId: '12345', password: PASSWORD }))).toBe(
      'INVALID_SUBJECT_ID',
    );
    expect(await codeOf(service.createUser(ctx, null, { username: 'cit2', role: 'citizen', subjectId: '001085000002', password: 'short' }))).toBe(
      'WEAK_PASSWORD',
    );
    expect(await codeOf(service.createUser(ctx, null, { username: 'CHUYEN.VIEN', role: 'leader', agencyCode: 'S.X', password: PASSWORD }))).toBe(
      'USERNAME_TAKEN',
    );
    expect(await codeOf(service.createUser(ctx, null, { username: 'cit3', role: 'citizen', subjectId: '001085000001', password: PASSWORD }))).toBe(
      'SUBJECT_ID_TAKEN',
    );
  });
});

describe('login and sessions', () => {
  it('logs in, resolves the session with agency code, audits the login', async () => {
    const r = await service.login(ctx, { username: 'CHUYEN.VIEN', password: PASSWORD });
    if (!r.ok) throw new Error(`login failed: ${r.reason}`);
    expect(r.principal).toMatchObject({ username: 'chuyen.vien', role: 'specialist', agencyCode: 'S.X' });
    const resolved = await service.resolveSession(ctx, r.token);
    expect(resolved?.principal.userId).toBe(r.principal.userId);
    expect(resolved?.csrfToken).toBe(r.csrfToken);
    // Only the token's hash is stored.
    const stored = await ctx.db.query<{ token_hash: string }>('SELECT token_hash FROM user_session WHERE id = $1', [r.principal.sessionId]);
    expect(stored.rows[0]!.token_hash).not.toBe(r.token);
    expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await lastAudit('identity.login')).toMatchObject({ actorId: r.principal.userId, data: { method: 'password' } });
    expect(await service.resolveSession(ctx, `${r.token}x`)).toBeNull();
  });

  it('wrong password and unknown user answer alike', async () => {
    const wrong = await service.login(ctx, { username: 'chuyen.vien', password: 'wrong password 123' });
    const unknown = await service.login(ctx, { username: 'nobody-here', password: 'wrong password 123' });
    expect(wrong).toMatchObject({ ok: false, reason: 'invalid' });
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown' });
    const row = await ctx.db.query<{ failed_attempts: number }>(`SELECT failed_attempts FROM app_user WHERE username = 'chuyen.vien'`);
    expect(row.rows[0]!.failed_attempts).toBe(1);
    // A success resets the count.
    expect((await service.login(ctx, { username: 'chuyen.vien', password: PASSWORD })).ok).toBe(true);
    const after = await ctx.db.query<{ failed_attempts: number }>(`SELECT failed_attempts FROM app_user WHERE username = 'chuyen.vien'`);
    expect(after.rows[0]!.failed_attempts).toBe(0);
  });

  it('locks after loginMaxAttempts failures, even against the right password, until the lock runs out', async () => {
    await service.createUser(ctx, null, { username: 'lockme', role: 'leader', agencyCode: 'S.X', password: PASSWORD });
    ctx.setNow(at(10));
    for (let i = 1; i <= 3; i++) {
      const r = await service.login(ctx, { username: 'lockme', password: `not the password ${i}` });
      expect(r).toMatchObject({ ok: false, reason: 'invalid', lockedNow: i === 3 });
    }
    expect(await lastAudit('identity.locked_out')).toMatchObject({ data: { maxAttempts: 3 } });
    ctx.setNow(at(10 + 899));
    expect(await service.login(ctx, { username: 'lockme', password: PASSWORD })).toMatchObject({ ok: false, reason: 'locked' });
    ctx.setNow(at(10 + 900));
    expect((await service.login(ctx, { username: 'lockme', password: PASSWORD })).ok).toBe(true);
    ctx.setNow(t0);
  });

  it('a disabled account cannot log in and loses its sessions', async () => {
    const { user } = await service.createUser(ctx, null, { username: 'disable-me', role: 'inspector', agencyCode: 'S.Y', password: PASSWORD });
    const r = await service.login(ctx, { username: 'disable-me', password: PASSWORD });
    if (!r.ok) throw new Error('login failed');
    await service.setUserDisabled(ctx, null, user.id, true);
    expect(await service.resolveSession(ctx, r.token)).toBeNull();
    expect(await service.login(ctx, { username: 'disable-me', password: PASSWORD })).toMatchObject({ ok: false, reason: 'disabled' });
    // Without the password nobody learns that the account is disabled.
    expect(await service.login(ctx, { username: 'disable-me', password: 'some other password' })).toMatchObject({ reason: 'invalid' });
    expect(await lastAudit('identity.user_disabled')).toMatchObject({ subjectId: user.id, data: { sessionsRevoked: 1 } });
    await service.setUserDisabled(ctx, null, user.id, false);
    expect((await service.login(ctx, { username: 'disable-me', password: PASSWORD })).ok).toBe(true);
  });

  it('sessions end after the idle limit and after the absolute lifetime', async () => {
    const r = await service.login(ctx, { username: 'chuyen.vien', password: PASSWORD });
    if (!r.ok) throw new Error('login failed');
    // Keep it alive every 50 minutes: survives past the idle hour, dies at 8 h.
    for (let m = 50; m < 480; m += 50) {
      ctx.setNow(at(m * 60));
      expect(await service.resolveSession(ctx, r.token)).not.toBeNull();
    }
    ctx.setNow(at(8 * 3600));
    expect(await service.resolveSession(ctx, r.token)).toBeNull();
    ctx.setNow(t0);
    const idle = await service.login(ctx, { username: 'chuyen.vien', password: PASSWORD });
    if (!idle.ok) throw new Error('login failed');
    ctx.setNow(at(3600));
    expect(await service.resolveSession(ctx, idle.token)).toBeNull();
    // The dead session row is gone.
    const left = await ctx.db.query('SELECT 1 FROM user_session WHERE id = $1', [idle.principal.sessionId]);
    expect(left.rows).toHaveLength(0);
    ctx.setNow(t0);
  });

  it('logout ends the session and is audited', async () => {
    const r = await service.login(ctx, { username: 'chuyen.vien', password: PASSWORD });
    if (!r.ok) throw new Error('login failed');
    await service.logout(ctx, r.principal);
    expect(await service.resolveSession(ctx, r.token)).toBeNull();
    expect(await lastAudit('identity.logout')).toMatchObject({ actorId: r.principal.userId, data: { sessionId: r.principal.sessionId } });
  });
});

describe('administration scope', () => {
  it('an administrator manages their agency subtree; only a top-level administrator manages applicants', async () => {
    await service.createUser(ctx, null, { username: 'admin-x', role: 'admin', agencyCode: 'S.X', password: PASSWORD });
    await service.createUser(ctx, null, { username: 'admin-root', role: 'admin', agencyCode: 'S.ROOT', password: PASSWORD });
    const branchUser = await service.createUser(ctx, null, { username: 'branch-counter', role: 'counter_officer', agencyCode: 'S.X1', password: PASSWORD });
    const yUser = await service.createUser(ctx, null, { username: 'y-specialist', role: 'specialist', agencyCode: 'S.Y', password: PASSWORD });
    const adminX = await service.login(ctx, { username: 'admin-x', password: PASSWORD });
    const adminRoot = await service.login(ctx, { username: 'admin-root', password: PASSWORD });
    if (!adminX.ok || !adminRoot.ok) throw new Error('login failed');

    const listX = await service.listUsers(ctx, adminX.principal, {});
    const names = listX.items.map((u) => u.username);
    expect(names).toContain('branch-counter');
    expect(names).toContain('chuyen.vien');
    expect(names).not.toContain('y-specialist');
    expect(names).not.toContain('citizen1');
    expect(listX.total).toBe(listX.items.length);
    expect((await service.listUsers(ctx, adminX.principal, { agencyCode: 'S.Y' })).items).toEqual([]);
    expect(await codeOf(service.getUser(ctx, adminX.principal, yUser.user.id))).toBe('USER_NOT_FOUND');
    expect(await codeOf(service.setUserDisabled(ctx, adminX.principal, yUser.user.id, true))).toBe('USER_NOT_FOUND');
    expect(await codeOf(service.resetPassword(ctx, adminX.principal, yUser.user.id))).toBe('USER_NOT_FOUND');
    expect(await codeOf(service.updateUser(ctx, adminX.principal, branchUser.user.id, { agencyCode: 'S.Y' }))).toBe('OUT_OF_SCOPE');
    expect(
      await codeOf(service.createUser(ctx, adminX.principal, { username: 'new-y', role: 'leader', agencyCode: 'S.Y', password: PASSWORD })),
    ).toBe('OUT_OF_SCOPE');
    expect(
      await codeOf(service.createUser(ctx, adminX.principal, { username: 'new-cit', role: 'citizen', subjectId: '001085000077', password: PASSWORD })),
    ).toBe('OUT_OF_SCOPE');
    expect(await codeOf(service.setUserDisabled(ctx, adminX.principal, adminX.principal.userId, true))).toBe('CANNOT_CHANGE_OWN_ACCOUNT');

    const rootNames = (await service.listUsers(ctx, adminRoot.principal, { limit: 200 })).items.map((u) => u.username);
    expect(rootNames).toEqual(expect.arrayContaining(['y-specialist', 'citizen1', 'branch-counter']));
    const page = await service.listUsers(ctx, adminRoot.principal, { limit: 2, offset: 1 });
    expect(page.items).toHaveLength(2);
    expect(page.items[0]!.username).toBe(rootNames[1]);
    expect((await service.listUsers(ctx, adminRoot.principal, { role: 'citizen' })).items.map((u) => u.username)).toEqual(['citizen1']);
  });

  it('role change is audited and ends the sessions; password reset lifts a lockout', async () => {
    const adminRoot = await service.login(ctx, { username: 'admin-root', password: PASSWORD });
    if (!adminRoot.ok) throw new Error('login failed');
    const target = await service.login(ctx, { username: 'branch-counter', password: PASSWORD });
    if (!target.ok) throw new Error('login failed');
    const updated = await service.updateUser(ctx, adminRoot.principal, target.principal.userId, { role: 'specialist' });
    expect(updated.role).toBe('specialist');
    expect(await service.resolveSession(ctx, target.token)).toBeNull();
    expect(await lastAudit('identity.role_changed')).toMatchObject({
      actorId: adminRoot.principal.userId,
      data: { changes: { role: { from: 'counter_officer', to: 'specialist' } } },
    });
    for (let i = 0; i < 3; i++) await service.login(ctx, { username: 'branch-counter', password: 'wrong wrong wrong' });
    expect((await service.getUser(ctx, adminRoot.principal, target.principal.userId)).locked).toBe(true);
    const reset = await service.resetPassword(ctx, adminRoot.principal, target.principal.userId);
    expect(reset.user.locked).toBe(false);
    expect((await service.login(ctx, { username: 'branch-counter', password: reset.generatedPassword! })).ok).toBe(true);
    const ev = await lastAudit('identity.password_reset');
    expect(ev).toMatchObject({ data: { generated: true } });
    expect(JSON.stringify(ev)).not.toContain(reset.generatedPassword!);
  });
});
