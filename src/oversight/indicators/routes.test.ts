/**
 * The indicator routes as the dashboard and other clients use them: who may read, the filters (agency, procedure,
 * commune/ward), clear problems for bad questions, and the audit record of every look at a list of dossiers.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { WORLD } from '../../dossiers/testing.ts';
import { identityRoutes } from '../../identity/routes.ts';
import { createSignedInUser, type TestSession } from '../../identity/testing.ts';
import { buildApp } from '../../platform/http/app.ts';
import { seedOversightWorld } from '../testing.ts';
import { indicatorRoutes } from './routes.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
let app: FastifyInstance;
let supervisor: TestSession;
let citizen: TestSession;
const codes: string[] = [];
const vn = (local: string) => new Date(`${local}+07:00`);

beforeAll(async () => {
  ctx = await createTestContext({ webDist: '/nonexistent-web-dist' });
  const world = await seedOversightWorld(ctx, { submitted: 3, received: 2, submitAt: vn('2027-03-10T09:00'), receiveAt: vn('2027-03-10T09:30') });
  codes.push(...world.dossiers.slice(0, 2).map((d) => d.code!));
  ctx.setNow(vn('2027-04-15T10:00')); // both dossiers past their promised date; sessions opened now
  supervisor = await createSignedInUser(ctx, { role: 'supervisor', agencyCode: WORLD.root });
  citizen = await createSignedInUser(ctx, { role: 'citizen' });
  app = await buildApp(ctx, { rooms: [identityRoutes, indicatorRoutes], logger: false });
});

afterAll(async () => {
  await app?.close();
  await ctx?.cleanup();
});

const get = (url: string, session: TestSession | null = supervisor) => app.inject({ url, headers: session ? session.headers : {} });

describe('indicator routes', () => {
  it('only overseers read them', async () => {
    expect((await get('/api/oversight/indicators?period=2027-03', null)).statusCode).toBe(401);
    const r = await get('/api/oversight/indicators?period=2027-03', citizen);
    expect(r.statusCode).toBe(403);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await get('/api/oversight/indicators/dossiers?period=2027-03&indicator=766-2.1', citizen)).statusCode).toBe(403);
    expect((await get('/api/oversight/today', citizen)).statusCode).toBe(403);
  });

  it('a month, broken down by agency, and filtered by agency, procedure and commune/ward', async () => {
    const r = await get('/api/oversight/indicators?period=2027-03&dimension=agency');
    expect(r.statusCode).toBe(200);
    const body = r.json() as { index766: { indicators: Record<string, { numerator: number; denominator: number }> }; groups: { items: { key: string }[] } };
    expect(body.index766.indicators['2.1']).toMatchObject({ numerator: 0, denominator: 2 }); // both late by mid-April
    expect(body.groups.items.map((g) => g.key)).toEqual([WORLD.branch]);
    const handled = async (query: string) =>
      ((await get(`/api/oversight/indicators?period=2027-03&${query}`)).json() as typeof body).index766.indicators['2.1']!.denominator;
    expect(await handled(`agency=${WORLD.branch}`)).toBe(2);
    expect(await handled(`agency=${WORLD.otherBranch}`)).toBe(0);
    expect(await handled(`procedure=${WORLD.procedure}`)).toBe(2);
    // The branches here hang from the city, not from a commune/ward: a commune's view holds none of them.
    expect(await handled('commune=000.00.99.H26')).toBe(0);
    expect((await get('/api/oversight/indicators?period=2027-03&dimension=commune')).json()).toMatchObject({ groups: { dimension: 'commune', items: [] } });
  });

  it('bad questions get a problem with a stable code, in Vietnamese and English', async () => {
    for (const url of [
      '/api/oversight/indicators?period=2027-13',
      '/api/oversight/indicators',
      '/api/oversight/indicators?period=2027-03&dimension=district',
      '/api/oversight/indicators?period=2027-03&colour=red',
      '/api/oversight/indicators/dossiers?period=2027-03&indicator=766-9.9',
      '/api/oversight/indicators/dossiers?period=2027-03&indicator=766-2.1&limit=5000',
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(400);
      expect(r.headers['content-type'], url).toMatch(/application\/problem\+json/);
      expect(r.json(), url).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('the dossiers behind a number, page by page, newest reception first, and every look is recorded', async () => {
    const r = await get('/api/oversight/indicators/dossiers?period=2027-03&indicator=766-2.1&part=out&limit=1');
    expect(r.statusCode).toBe(200);
    const first = r.json() as { total: number; items: { code: string; receivedAt: string }[] };
    expect(first.total).toBe(2);
    expect(first.items).toHaveLength(1);
    const second = (await get('/api/oversight/indicators/dossiers?period=2027-03&indicator=766-2.1&part=out&limit=1&offset=1')).json() as typeof first;
    expect([first.items[0]!.code, second.items[0]!.code].sort()).toEqual([...codes].sort());
    expect(first.items[0]!.receivedAt >= second.items[0]!.receivedAt).toBe(true);
    const reads = await ctx.db.query<{ actor_id: string; subject_id: string; data: Record<string, unknown> }>(
      `SELECT actor_id, subject_id, data FROM audit_event WHERE type = 'oversight.indicator_dossiers.read' ORDER BY seq`,
    );
    expect(reads.rows.map((x) => [x.actor_id, x.subject_id, x.data.offset, x.data.returned])).toEqual([
      [supervisor.principal.userId, '766-2.1:2027-03', 0, 1],
      [supervisor.principal.userId, '766-2.1:2027-03', 1, 1],
    ]);
  });
});
