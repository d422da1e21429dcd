/** A day's draw on real intake records: recorded once, re-drawn from its seed to the same sample, tampering seen. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { createSignedInUser } from '../../identity/testing.ts';
import { WORLD } from '../../dossiers/testing.ts';
import { seedOversightWorld, type OversightWorld } from '../testing.ts';
import { concludeInspection, drawDay, inspectionQueue, verifyDraw } from './service.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
let world: OversightWorld;
const vn = (local: string) => new Date(`${local}+07:00`);

beforeAll(async () => {
  ctx = await createTestContext();
  world = await seedOversightWorld(ctx, { submitted: 4, received: 4, submitAt: vn('2027-03-10T09:00'), receiveAt: vn('2027-03-10T09:30') });
  // Every self-declared dossier of the test procedure is sampled; first-time applicants too (one applicant here).
  await ctx.db.query(`UPDATE procedure SET post_audit = $2 WHERE key = $1`, [
    WORLD.procedure,
    JSON.stringify({ sampleRate: 0.5, riskRules: [{ id: 'first-time-applicant', description: 'Lần đầu nộp', sampleRate: 1 }, { id: 'high-fee', description: 'Phí cao', sampleRate: 1 }] }),
  ]);
});
afterAll(async () => {
  await ctx?.cleanup();
});

describe('post-audit draws', () => {
  it('only for a day that has ended, once', async () => {
    ctx.setNow(vn('2027-03-10T18:00'));
    await expect(drawDay(ctx, null, '2027-03-10')).rejects.toMatchObject({ code: 'POST_AUDIT_DAY_NOT_OVER' });
    await expect(drawDay(ctx, null, '2027-02-30')).rejects.toMatchObject({ code: 'POST_AUDIT_DAY_INVALID' });
  });

  it('draws the day, and the re-draw from the recorded seed equals the stored sample', async () => {
    ctx.setNow(vn('2027-03-11T00:30'));
    const d = await drawDay(ctx, null, '2027-03-10');
    expect(d).toMatchObject({ day: '2027-03-10', candidateCount: 4, notEvaluated: ['high-fee'] });
    expect(d.sampled).toBeGreaterThanOrEqual(1); // the first-time applicant's dossier at rate 1
    await expect(drawDay(ctx, null, '2027-03-10')).rejects.toMatchObject({ code: 'POST_AUDIT_ALREADY_DRAWN' });
    const check = await verifyDraw(ctx, d.id);
    expect(check).toMatchObject({ matches: true, candidatesMatch: true });
    expect(check.stored).toEqual(check.recomputed);
    expect(check.stored).toContain(world.dossiers[0]!.id);
    const audit = await ctx.db.query<{ hash: string }>("SELECT hash FROM audit_event WHERE type = 'post_audit.draw'");
    expect(audit.rowCount).toBe(1);
  });

  it('a sample changed in the database no longer matches its re-draw', async () => {
    const draw = (await ctx.db.query<{ id: string }>('SELECT id FROM post_audit_draw')).rows[0]!;
    const [item] = (await ctx.db.query<{ id: string }>('SELECT id FROM post_audit_item WHERE draw_id = $1 LIMIT 1', [draw.id])).rows;
    await ctx.db.query('DELETE FROM post_audit_item WHERE id = $1', [item!.id]);
    expect((await verifyDraw(ctx, draw.id)).matches).toBe(false);
  });

  it('inspectors work the queue to a finding, once', async () => {
    const inspector = await createSignedInUser(ctx, { role: 'inspector', agencyCode: WORLD.root });
    const open = await inspectionQueue(ctx, inspector.principal, { state: 'open', limit: 10, offset: 0 });
    expect(open.length).toBeGreaterThanOrEqual(1); // the first-time applicant's dossier is always sampled
    await expect(concludeInspection(ctx, inspector.principal, open[0]!.id, { finding: 'consistent', note: ' ' })).rejects.toMatchObject({ code: 'POST_AUDIT_NOTE_REQUIRED' });
    await concludeInspection(ctx, inspector.principal, open[0]!.id, { finding: 'discrepancy', note: 'Tờ khai không khớp dữ liệu dân cư.' });
    await expect(concludeInspection(ctx, inspector.principal, open[0]!.id, { finding: 'consistent', note: 'x' })).rejects.toMatchObject({ code: 'POST_AUDIT_ITEM_CONCLUDED' });
    const ev = await ctx.db.query<{ data: { revocationRequested: boolean } }>("SELECT data FROM audit_event WHERE type = 'post_audit.concluded'");
    expect(ev.rows[0]!.data.revocationRequested).toBe(true);
  });
});
