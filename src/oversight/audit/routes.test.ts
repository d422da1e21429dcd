import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/support/context.ts';
import { identityRoutes } from '../../identity/routes.ts';
import { createSignedInUser, insertTestAgency, type TestSession } from '../../identity/testing.ts';
import { buildApp } from '../../platform/http/app.ts';
import { auditRoutesWith } from './routes.ts';
import { appendAuditEvent } from './store.ts';
import { makeTestSeal } from './testing.ts';

describe('audit routes', () => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let noSealApp: FastifyInstance;
  const s: Record<string, TestSession> = {};
  const seal = makeTestSeal();

  beforeAll(async () => {
    // No web build: this test is about the API only.
    ctx = await createTestContext({ webDist: '/nonexistent-web-dist' });
    await insertTestAgency(ctx, { code: '000.00.01.H26', kind: 'service_center' });
    for (const role of ['supervisor', 'inspector', 'admin', 'specialist'] as const) {
      s[role] = await createSignedInUser(ctx, { role, agencyCode: '000.00.01.H26' });
    }
    for (let i = 1; i <= 5; i++) {
      await ctx.db.tx((q) =>
        appendAuditEvent(q, { type: 'dossier.received', at: new Date(), subjectType: 'dossier', subjectId: i % 2 ? 'D-1' : 'D-2', data: { i } }),
      );
    }
    app = await buildApp(ctx, { rooms: [identityRoutes, auditRoutesWith({ signer: seal.signer, trust: { sealAnchors: [seal.root] } })], logger: false });
    noSealApp = await buildApp(ctx, { rooms: [identityRoutes, auditRoutesWith({})], logger: false });
  });
  afterAll(async () => {
    await app?.close();
    await noSealApp?.close();
    await ctx?.cleanup();
  });

  it('lists the events about one subject, page by page, and records the read', async () => {
    const first = await app.inject({ url: '/api/audit/events?subjectType=dossier&subjectId=D-1&limit=2', headers: s.inspector!.headers });
    expect(first.statusCode).toBe(200);
    const body = first.json() as { items: Array<{ seq: number; subjectId: string }>; nextAfterSeq: number | null };
    expect(body.items.every((e) => e.subjectId === 'D-1')).toBe(true);
    expect(body.items).toHaveLength(2);
    expect(body.nextAfterSeq).toBe(body.items[1]!.seq);
    const second = await app.inject({
      url: `/api/audit/events?subjectType=dossier&subjectId=D-1&limit=2&afterSeq=${body.nextAfterSeq}`,
      headers: s.inspector!.headers,
    });
    const body2 = second.json() as { items: Array<{ type: string; data: { i?: number } }>; nextAfterSeq: number | null };
    // The first read is itself an event about D-1 (who looked at this dossier's history), appended after event 5.
    expect(body2.items.map((e) => [e.type, e.data.i])).toEqual([
      ['dossier.received', 5],
      ['audit.events.read', undefined],
    ]);
    expect(body2.nextAfterSeq).toBeNull();
    const reads = await app.inject({ url: '/api/audit/events?type=audit.events.read', headers: s.supervisor!.headers });
    expect((reads.json() as { items: Array<{ actorId: string }> }).items.map((e) => e.actorId)).toEqual([s.inspector!.principal.userId, s.inspector!.principal.userId]);
  });

  it('refuses other roles and anonymous callers', async () => {
    expect((await app.inject({ url: '/api/audit/events', headers: s.specialist!.headers })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/audit/events' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/audit/verify', headers: s.inspector!.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/audit/checkpoints', headers: s.inspector!.headers, payload: {} })).statusCode).toBe(403);
  });

  it('signs a checkpoint on demand, then verifies the log', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/audit/checkpoints', headers: s.supervisor!.headers, payload: {} });
    expect(created.statusCode).toBe(201);
    const cp = (created.json() as { checkpoint: { id: number; eventCount: number; timestampToken: string | null } }).checkpoint;
    expect(cp.id).toBe(1);
    expect(cp.timestampToken).not.toBeNull();
    const again = await app.inject({ method: 'POST', url: '/api/audit/checkpoints', headers: s.admin!.headers, payload: {} });
    expect(again.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/audit/checkpoints', headers: s.inspector!.headers })).json()).toMatchObject({ items: [{ id: 1 }] });
    const verify = await app.inject({ url: '/api/audit/verify?lang=en', headers: s.admin!.headers });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true, checkpoints: { total: 1, matched: 1, problems: [] } });
    expect((verify.json() as { message: string }).message).toContain('Audit log: OK');
  });

  it('answers 503 with a stable code when no seal is configured', async () => {
    const r = await noSealApp.inject({ method: 'POST', url: '/api/audit/checkpoints', headers: s.admin!.headers, payload: {} });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toMatchObject({ code: 'AUDIT_SEAL_NOT_CONFIGURED' });
  });
});
