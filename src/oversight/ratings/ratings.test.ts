/**
 * Satisfaction ratings (QĐ 766 indicator 5.4): the applicant rates a delivered dossier once (1–5, optional comment);
 * not before delivery, not twice, not someone else's; the row cannot be changed; the indicators read it, and a
 * confirmed citizen report about the dossier counts as a complaint.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedInUser } from '../../identity/testing.ts';
import { startProcessingWorld, type ProcessingWorld } from '../../dossiers/processing/testing.ts';
import { refreshIndicatorFacts } from '../indicators/service.ts';
import { loadFactsOf } from '../indicators/store.ts';
import { ratingRefusal } from './rules.ts';
import { ratingRoutes } from './routes.ts';
import { buildApp } from '../../platform/http/app.ts';
import { identityRoutes } from '../../identity/routes.ts';
import type { AppContext } from '../../platform/context.ts';

describe('who may rate when', () => {
  it('once, after delivery, 1 to 5, a bounded comment', () => {
    const ok = { status: 'result_returned', alreadyRated: false, rating: 4, comment: null };
    expect(ratingRefusal(ok)).toBeNull();
    expect(ratingRefusal({ ...ok, status: 'processed' })).toBe('not_delivered');
    expect(ratingRefusal({ ...ok, alreadyRated: true })).toBe('already_rated');
    for (const rating of [0, 6, 2.5, '5', null]) expect(ratingRefusal({ ...ok, rating })).toBe('bad_rating');
    expect(ratingRefusal({ ...ok, comment: 'x'.repeat(2001) })).toBe('comment_too_long');
  });
});

describe('rating a dossier', () => {
  let world: ProcessingWorld;
  let app: FastifyInstance;
  beforeAll(async () => {
    world = await startProcessingWorld();
    app = await buildApp(world.ctx, { rooms: [identityRoutes, async (i: FastifyInstance, o: { ctx: AppContext }) => ratingRoutes(i, { ctx: o.ctx })], logger: false });
    await app.ready();
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await world?.cleanup();
  });

  /** Received, processed with an uploaded draft, and (when `deliver`) downloaded by the citizen: status 10. */
  async function dossier(deliver: boolean): Promise<string> {
    const { leader, specialist, citizen } = world.users;
    const id = await world.submitAndReceive();
    await world.act(leader, id, { action: { type: 'complete_step' }, assignTo: specialist.userId });
    const draft = await world.addDraft(specialist, id, 'Dự thảo');
    await world.act(specialist, id, { action: { type: 'complete_step' } });
    await world.act(leader, id, { action: { type: 'approve' } });
    await world.act(leader, id, { action: { type: 'mark_processed', workingDocumentId: draft.id } });
    if (deliver) {
      const resultId = (await world.workspaceOf(leader, id)).dossier.result!.documentId;
      const r = await world.app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/documents/${resultId}`, headers: citizen.headers });
      expect(r.statusCode).toBe(200);
    }
    return id;
  }
  const rate = (headers: Record<string, string>, id: string, payload: unknown) => app.inject({ method: 'POST', url: `/api/my/dossiers/${id}/rating`, headers, payload: payload as object });

  it('is given once after delivery, kept unchangeable, audited without the comment, and read by the indicators', async () => {
    const { citizen } = world.users;
    const undelivered = await dossier(false);
    const early = await rate(citizen.headers, undelivered, { rating: 5 });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: 'RATING_NOT_YET' });

    const id = await dossier(true);
    expect((await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/rating`, headers: citizen.headers })).json()).toEqual({ canRate: true, rating: null });
    const bad = await rate(citizen.headers, id, { rating: 6 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'RATING_INVALID' });
    const stranger = await createSignedInUser(world.ctx, { role: 'citizen' });
    expect((await rate(stranger.headers, id, { rating: 1 })).statusCode).toBe(404);

    const comment = 'Cán bộ yêu cầu nộp thêm bản giấy dù đã có bản điện tử.';
    const given = await rate(citizen.headers, id, { rating: 2, comment: comment.normalize('NFD') });
    expect(given.statusCode, given.body).toBe(201);
    expect(given.json()).toMatchObject({ rating: 2, label: { vi: 'Không hài lòng' }, comment });
    const twice = await rate(citizen.headers, id, { rating: 5 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'RATING_EXISTS' });
    expect((await app.inject({ method: 'GET', url: `/api/my/dossiers/${id}/rating`, headers: citizen.headers })).json()).toMatchObject({ canRate: false, rating: { rating: 2 } });
    await expect(world.ctx.db.query('UPDATE dossier_rating SET rating = 5 WHERE dossier_id = $1', [id])).rejects.toThrow(/write-once/);

    const audit = await world.ctx.db.query<{ data: Record<string, unknown> }>(`SELECT data FROM audit_event WHERE subject_id = $1 AND type = 'dossier.rated'`, [id]);
    expect(audit.rows).toEqual([{ data: { rating: 2, comment: true } }]);
    expect(JSON.stringify(audit.rows)).not.toContain('bản giấy');

    // The indicators: the rating is a fact of the dossier (2 = a dislike for 5.4); a confirmed report a complaint.
    const facts = async () => (await loadFactsOf(world.ctx.db, [id]))[0];
    const judged = async () => {
      await refreshIndicatorFacts(world.ctx);
      return (await world.ctx.db.query<{ complaint: boolean }>('SELECT complaint FROM dossier_indicator_fact WHERE dossier_id = $1', [id])).rows[0];
    };
    expect(await facts()).toMatchObject({ rating: 2, complaint: false });
    expect(await judged()).toEqual({ complaint: true });
    await world.ctx.db.query(
      `INSERT INTO violation (source, rule, dossier_id, description, reporter, state, assignee_id, finding, created_at, updated_at, closed_at)
       VALUES ('citizen_report', 'R3', $1, 'Bị yêu cầu nộp bản giấy', '{"kind":"citizen"}', 'closed', $2, 'confirmed', now(), now(), now())`,
      [id, world.users.leader.userId],
    );
    expect(await facts()).toMatchObject({ complaint: true });
    // The report marked the dossier's row to be derived again.
    expect((await world.ctx.db.query('SELECT 1 FROM dossier_indicator_stale WHERE dossier_id = $1', [id])).rowCount).toBe(1);
    expect(await judged()).toEqual({ complaint: true });
  }, 180_000);
});
