import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestContext } from '../../test/support/context.ts';
import type { Principal } from '../identity/access.ts';
import { accessPlugin } from '../identity/plugin.ts';
import { isRole } from '../identity/roles.ts';
import { listAuditEvents } from '../oversight/audit/store.ts';
import type { AppContext } from '../platform/context.ts';
import { buildApp } from '../platform/http/app.ts';
import { calendarRoutes } from './routes.ts';
import { loadCalendarData } from './store.ts';

const headerIdentity = fp<{ ctx: AppContext }>(async (app, { ctx }) => {
  await app.register(accessPlugin, {
    ctx,
    resolvePrincipal: async (request) => {
      const role = request.headers['x-test-role'];
      if (!isRole(role)) return null;
      const p: Principal = { userId: `u-${role}`, username: role, displayName: role, role, agencyId: null, agencyCode: null, subjectId: null, sessionId: 's' };
      return p;
    },
  });
});

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
let app: FastifyInstance;
const admin = { 'x-test-role': 'admin' };

beforeAll(async () => {
  ctx = await createTestContext({ webDist: '/nonexistent-web-dist' });
  app = await buildApp(ctx, { rooms: [headerIdentity, calendarRoutes], logger: false });
});
afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

interface YearAnswer {
  calendar: { nonWorking: { date: string; kind: string }[]; makeUpWorking: { date: string }[] };
  schedule: { year: number; daysOff: { date: string; reason: string }[]; makeUpWorkingDays: { date: string; reason: string }[] };
  stored: boolean;
}

describe('calendar year', () => {
  test('the seeded 2026: Tết 14–22/02 off, Saturdays 10/01 and 22/08 worked', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/calendar/years/2026' });
    expect(r.statusCode).toBe(200);
    const y = r.json() as YearAnswer;
    const off = new Set(y.calendar.nonWorking.map((d) => d.date));
    for (let d = 14; d <= 22; d++) expect(off.has(`2026-02-${d}`)).toBe(true);
    expect(y.calendar.makeUpWorking.map((d) => d.date)).toEqual(['2026-01-10', '2026-08-22']);
    expect(y.stored).toBe(false);
  });

  test('an administrator saves a year; it replaces the seed, is audited, and a due date follows it', async () => {
    const before = await app.inject({ method: 'GET', url: '/api/calendar/due?from=2028-03-06T10:00&days=1' });
    expect(before.json()).toEqual({ due: '2028-03-07T10:00:00+07:00' });
    const schedule = {
      year: 2028,
      announced: true,
      sources: ['Thông báo thử nghiệm'],
      daysOff: [{ date: '2028-03-07', reason: 'Nghỉ theo thông báo (thử nghiệm)' }],
      makeUpWorkingDays: [{ date: '2028-03-11', reason: 'Làm bù cho thứ Ba 07/03' }],
    };
    expect((await app.inject({ method: 'PUT', url: '/api/admin/calendar/years/2028', payload: schedule })).statusCode).toBe(401);
    expect((await app.inject({ method: 'PUT', url: '/api/admin/calendar/years/2028', headers: { 'x-test-role': 'leader' }, payload: schedule })).statusCode).toBe(403);
    const saved = await app.inject({ method: 'PUT', url: '/api/admin/calendar/years/2028', headers: admin, payload: schedule });
    expect(saved.statusCode).toBe(200);
    const y = saved.json() as YearAnswer;
    expect(y.stored).toBe(true);
    expect(y.calendar.nonWorking.some((d) => d.date === '2028-03-07')).toBe(true);
    expect(y.calendar.makeUpWorking.map((d) => d.date)).toEqual(['2028-03-11']);
    const after = await app.inject({ method: 'GET', url: '/api/calendar/due?from=2028-03-06T10:00&days=1' });
    expect(after.json()).toEqual({ due: '2028-03-08T10:00:00+07:00' });
    expect((await loadCalendarData(ctx.db)).years.map((x) => x.year)).toEqual([2025, 2026, 2027, 2028]);
    const events = (await listAuditEvents(ctx.db)).filter((e) => e.type === 'calendar.year.updated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ subjectId: '2028', actorRole: 'admin' });
  });

  test('every seeded year can be saved back unchanged (the admin screen round-trips it)', async () => {
    for (const year of [2025, 2026, 2027]) {
      const got = (await app.inject({ method: 'GET', url: `/api/calendar/years/${year}` })).json() as YearAnswer;
      const put = await app.inject({ method: 'PUT', url: `/api/admin/calendar/years/${year}`, headers: admin, payload: got.schedule });
      expect(put.statusCode, JSON.stringify(put.json())).toBe(200);
      expect((put.json() as YearAnswer).calendar).toEqual(got.calendar);
    }
  });

  test('invalid schedules are refused with paths and change nothing', async () => {
    const bad = {
      year: 2029,
      announced: true,
      sources: [],
      daysOff: [{ date: '2030-01-02', reason: 'sai năm' }],
      makeUpWorkingDays: [],
    };
    const r = await app.inject({ method: 'PUT', url: '/api/admin/calendar/years/2029', headers: admin, payload: bad });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'CALENDAR_INVALID', issues: [{ path: '/daysOff/0/date', reason: 'not in year 2029' }] });
    const mismatch = await app.inject({ method: 'PUT', url: '/api/admin/calendar/years/2030', headers: admin, payload: { ...bad, daysOff: [] } });
    expect(mismatch.statusCode).toBe(422);
    expect((await app.inject({ method: 'GET', url: '/api/calendar/years/2029' })).json()).toMatchObject({ stored: false });
  });

  test('due: across Tết 2026 and the cut-off; bad input is a 400', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/calendar/due?from=2026-02-12T10:00%2B07:00&days=10' });
    expect(r.json()).toEqual({ due: '2026-03-05T10:00:00+07:00' });
    const late = await app.inject({ method: 'GET', url: '/api/calendar/due?from=2026-02-12T15:30&hours=2' });
    expect(late.json()).toEqual({ due: '2026-02-13T10:00:00+07:00' });
    expect((await app.inject({ method: 'GET', url: '/api/calendar/due?from=nope&days=1' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/calendar/due?from=2026-02-12T10:00&days=1&hours=2' })).statusCode).toBe(400);
  });
});
