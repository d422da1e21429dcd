import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import { buildApp } from '../platform/http/app.ts';
import { identityRoutes } from './routes.ts';
import * as service from './service.ts';
import { insertTestAgency } from './testing.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
let app: FastifyInstance;
const logLines: string[] = [];
const PASSWORD = 'Một mật khẩu đủ dài 2026';
const ADMIN_PASSWORD = 'Quản trị viên thành phố 2026';

function cookieFrom(res: { headers: Record<string, unknown> }): string {
  const raw = res.headers['set-cookie'];
  const first = Array.isArray(raw) ? raw[0] : raw;
  return String(first).split(';')[0]!;
}

async function login(username: string, password: string, ip = '10.0.0.1') {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: { 'x-forwarded-for': ip } });
}

async function countUsers(): Promise<number> {
  const r = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM app_user');
  return r.rows[0]!.n;
}

beforeAll(async () => {
  // No web build: this file tests the API (a built web/dist adds static routes the platform owns).
  ctx = await createTestContext({ loginMaxAttempts: 5, loginLockSeconds: 900, webDist: '/nonexistent-web-dist',
    // These tests stand behind a reverse proxy so that X-Forwarded-For can name distinct client addresses.
    trustProxy: true,
  });
  const root = await insertTestAgency(ctx, { code: 'R.ROOT', kind: 'people_committee' });
  await insertTestAgency(ctx, { code: 'R.HEALTH', parentId: root });
  await service.createUser(ctx, null, { username: 'admin', role: 'admin', agencyCode: 'R.ROOT', password: ADMIN_PASSWORD });
  await service.createUser(ctx, null, { username: 'citizen', role: 'citizen', subjectId: '001085012345', password: PASSWORD });
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logLines.push(String(chunk));
      cb();
    },
  });
  app = await buildApp(ctx, { rooms: [identityRoutes], logger: { level: 'debug', stream: sink } });
});
afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

describe('sign-in, me, sign-out', () => {
  it('sets an httpOnly SameSite=Lax session cookie and returns the user with a CSRF token', async () => {
    const res = await login('Citizen', PASSWORD);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^hoso_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Secure/);
    const body = res.json();
    expect(body.user).toMatchObject({ username: 'citizen', role: 'citizen', roleLabel: { vi: 'Công dân', en: 'Citizen' } });
    expect(body.user).not.toHaveProperty('passwordHash');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookieFrom(res) } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(body);
  });

  it('wrong password, unknown user: the same 401 problem, titled by Accept-Language', async () => {
    const wrong = await login('citizen', 'not the password at all');
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ghost', password: 'not the password at all' },
      headers: { 'accept-language': 'en-US,en;q=0.9' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(wrong.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', title: 'Tên đăng nhập hoặc mật khẩu không đúng', status: 401 });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', title: 'Wrong username or password' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('me without a session: 401 in Vietnamese by default, English on request', async () => {
    const vi = await app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(vi.statusCode).toBe(401);
    expect(vi.json()).toMatchObject({ code: 'UNAUTHENTICATED', title: 'Bạn cần đăng nhập', titles: { en: 'You need to sign in' } });
    const en = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { 'accept-language': 'en', cookie: 'hoso_session=forged' } });
    expect(en.json()).toMatchObject({ code: 'UNAUTHENTICATED', title: 'You need to sign in' });
  });

  it('logout needs the CSRF token when a session is present, then ends the session', async () => {
    const res = await login('citizen', PASSWORD);
    const cookie = cookieFrom(res);
    const csrf = res.json().csrfToken as string;
    const noToken = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().code).toBe('CSRF_TOKEN_INVALID');
    const badToken = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': `${csrf.slice(1)}x` } });
    expect(badToken.json().code).toBe('CSRF_TOKEN_INVALID');
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);

    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^hoso_session=;/);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    // Without a session, logout just clears the cookie.
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
  });

  it('invalid bodies are problem+json 400s', async () => {
    const missing = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'citizen' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('VALIDATION_FAILED');
    const badJson = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.json().code).toBe('INVALID_JSON');
  });
});

describe('own password change', () => {
  it('needs the current password, applies the policy, ends other sessions but keeps this one', async () => {
    await service.createUser(ctx, null, { username: 'changer', role: 'citizen', subjectId: '001085055555', password: PASSWORD });
    const a = await login('changer', PASSWORD, '10.5.0.1');
    const b = await login('changer', PASSWORD, '10.5.0.2');
    const headers = { cookie: cookieFrom(a), 'x-csrf-token': a.json().csrfToken as string };
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: 'not it at all 123', newPassword: 'Một mật khẩu mới hoàn toàn' },
    });
    expect(wrong.json().code).toBe('WRONG_CURRENT_PASSWORD');
    const weak = await app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword: PASSWORD, newPassword: 'short' } });
    expect(weak.json()).toMatchObject({ code: 'WEAK_PASSWORD', problems: [{ code: 'too_short' }] });
    const ok = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers,
      payload: { currentPassword: PASSWORD, newPassword: 'Một mật khẩu mới hoàn toàn' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookieFrom(a) } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookieFrom(b) } })).statusCode).toBe(401);
    expect((await login('changer', 'Một mật khẩu mới hoàn toàn', '10.5.0.3')).statusCode).toBe(200);
  });
});

describe('user administration over HTTP', () => {
  it('a cookie-authenticated write without the CSRF token is refused and writes nothing', async () => {
    const res = await login('admin', ADMIN_PASSWORD);
    const cookie = cookieFrom(res);
    const before = await countUsers();
    const payload = { username: 'new.specialist', role: 'specialist', agencyCode: 'R.HEALTH', displayName: 'Chuyên viên mới' };
    const refused = await app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie }, payload });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('CSRF_TOKEN_INVALID');
    expect(await countUsers()).toBe(before);

    const created = await app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie, 'x-csrf-token': res.json().csrfToken },
      payload,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ username: 'new.specialist', agencyCode: 'R.HEALTH', role: 'specialist' });
    expect(created.json().password).toMatch(/^.{5}-.{5}-.{5}-.{5}$/);
    expect(await countUsers()).toBe(before + 1);

    const list = await app.inject({ method: 'GET', url: '/api/admin/users?role=specialist&agency=R.HEALTH', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, limit: 50, offset: 0, items: [{ username: 'new.specialist' }] });

    const officerWithoutAgency = await app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie, 'x-csrf-token': res.json().csrfToken, 'accept-language': 'en' },
      payload: { username: 'lost.leader', role: 'leader' },
    });
    expect(officerWithoutAgency.statusCode).toBe(400);
    expect(officerWithoutAgency.json()).toMatchObject({ code: 'AGENCY_REQUIRED', title: 'An officer must belong to an agency' });

    const disabled = await app.inject({
      method: 'POST',
      url: `/api/admin/users/${created.json().user.id}/disable`,
      headers: { cookie, 'x-csrf-token': res.json().csrfToken },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    const newLogin = await login('new.specialist', created.json().password);
    expect(newLogin.json().code).toBe('ACCOUNT_DISABLED');
  });

  it('a citizen gets 403 on the admin API', async () => {
    const res = await login('citizen', PASSWORD);
    const list = await app.inject({ method: 'GET', url: '/api/admin/users', headers: { cookie: cookieFrom(res) } });
    expect(list.statusCode).toBe(403);
    expect(list.json().code).toBe('FORBIDDEN');
  });
});

describe('rate limiting and lockout', () => {
  it('limits attempts per username across IPs, with Retry-After', async () => {
    await service.createUser(ctx, null, { username: 'sprayed', role: 'citizen', subjectId: '001085099999', password: PASSWORD });
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push((await login('sprayed', `guess number ${i} !`, `10.1.0.${i}`)).json().code);
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('INVALID_CREDENTIALS'));
    const last = await login('sprayed', PASSWORD, '10.1.1.1');
    expect(last.statusCode).toBe(429);
    expect(last.json().code).toBe('LOGIN_RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('locks the account in the database after loginMaxAttempts failures', async () => {
    await service.createUser(ctx, null, { username: 'locked.out', role: 'citizen', subjectId: '001085099998', password: PASSWORD });
    for (let i = 0; i < 5; i++) await login('locked.out', `guess number ${i} !`, `10.2.0.${i}`);
    const row = await ctx.db.query<{ locked_until: Date | null }>(`SELECT locked_until FROM app_user WHERE username = 'locked.out'`);
    expect(row.rows[0]!.locked_until).not.toBeNull();
    // The right password during the lock gets the generic answer.
    expect((await login('locked.out', PASSWORD, '10.2.1.1')).json().code).toBe('INVALID_CREDENTIALS');
  });

  it('successful sign-ins are not throttled', async () => {
    for (let i = 0; i < 12; i++) expect((await login('admin', ADMIN_PASSWORD, '10.4.4.4')).statusCode).toBe(200);
  });

  it('limits attempts per IP across usernames', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await login(`someone${i}`, 'whatever password', '10.3.3.3')).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe('logs', () => {
  it('never contain passwords, session tokens or cookies', async () => {
    const res = await login('admin', ADMIN_PASSWORD, '10.9.9.9');
    const token = cookieFrom(res).split('=')[1]!;
    await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookieFrom(res) } });
    const text = logLines.join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(ADMIN_PASSWORD);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(token);
    expect(text).not.toContain(res.json().csrfToken);
  });
});

describe('secure cookie', () => {
  it('is Secure when the public URL is https', async () => {
    const secureApp = await buildApp({ ...ctx, config: { ...ctx.config, publicUrl: 'https://hoso.example.vn' } }, {
      rooms: [identityRoutes],
      logger: false,
    });
    try {
      const res = await secureApp.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
        headers: { 'x-forwarded-for': '10.8.8.8' },
      });
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await secureApp.close();
    }
  });
});

describe('OpenAPI', () => {
  it('documents the identity routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/auth/login', '/api/auth/me', '/api/admin/users', '/api/admin/users/{userId}']));
  });
});
