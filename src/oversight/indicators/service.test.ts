/**
 * Indicators computed from what intake really writes (dossier rows, components, events), on PGlite or PostgreSQL:
 * the same numbers the pure formulas give, the clock deciding late vs on time, and the drill-down to dossier codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { WORLD } from '../../dossiers/testing.ts';
import { seedOversightWorld } from '../testing.ts';
import { drillDown, indicatorReport, parsePeriod, refreshIndicatorFacts, startIndicatorRefresher, todayReport } from './service.ts';
import { countStale, hasRollup, keptTallies, tallies } from './store.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
const vn = (local: string) => new Date(`${local}+07:00`);
const codes: string[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  const world = await seedOversightWorld(ctx, { submitted: 3, received: 2, submitAt: vn('2027-03-10T09:00'), receiveAt: vn('2027-03-10T09:30') });
  codes.push(...world.dossiers.slice(0, 2).map((d) => d.code!));
});

afterAll(async () => {
  await ctx?.cleanup();
});

describe('indicators from recorded dossiers', () => {
  it('two received online dossiers in progress: on time, online, every input an e-document; the unreceived one is not counted', async () => {
    const r = await indicatorReport(ctx, { period: '2027-03', dimension: 'agency' });
    expect(r.asOf).toBe(vn('2027-03-10T09:30').toISOString());
    const i = r.index766.indicators;
    expect(i['2.1']).toMatchObject({ numerator: 2, denominator: 2, points: 20 });
    expect(i['3.3']).toMatchObject({ numerator: 2, denominator: 2, points: 8 });
    expect(i['4.3']).toMatchObject({ numerator: 0, denominator: 2, points: 0 });
    expect(i['4.1']).toMatchObject({ denominator: 0, points: null }); // no result yet: nothing to score
    expect(r.directive.processingStartedAtEReception).toMatchObject({ numerator: 2, denominator: 2 });
    expect(r.directive.onlineShare).toMatchObject({ numerator: 2, denominator: 2, meetsTarget: true });
    expect(r.directive.inputsDigitizedAtReception).toMatchObject({ denominator: 0, rate: null }); // no counter dossier
    expect(r.groups?.items.map((g) => [g.key, g.name, g.index766.indicators['2.1'].denominator])).toEqual([[WORLD.branch, 'Chi nhánh một cửa số 1', 2]]);
  });

  it("today: intake by channel, the counter's queue, open dossiers neither late nor due soon yet", async () => {
    ctx.setNow(vn('2027-03-10T10:00'));
    expect(await todayReport(ctx)).toEqual({
      day: '2027-03-10',
      asOf: vn('2027-03-10T10:00').toISOString(),
      receivedOnline: 2,
      receivedCounter: 0,
      awaitingReception: 1,
      open: 2,
      late: 0,
      dueSoon: 0,
    });
    // The next day nothing was received; the two still run.
    ctx.setNow(vn('2027-03-11T08:00'));
    expect(await todayReport(ctx)).toMatchObject({ receivedOnline: 0, open: 2, late: 0 });
    // Inside the last stretch of the allowance: due soon, not late.
    const soon = (await ctx.db.query<{ t: Date }>('SELECT max(due_soon_at) AS t FROM dossier_indicator_fact')).rows[0]!.t;
    ctx.setNow(new Date(new Date(soon).getTime() + 60_000));
    expect(await todayReport(ctx)).toMatchObject({ open: 2, late: 0, dueSoon: 2 });
  });

  it('at the end of the month both are past their promised date: late, and the drill-down names them', async () => {
    ctx.setNow(vn('2027-04-15T10:00'));
    const r = await indicatorReport(ctx, { period: '2027-03' });
    expect(r.asOf).toBe(new Date(parsePeriod('2027-03').to.getTime() - 1).toISOString());
    expect(r.index766.indicators['2.1']).toMatchObject({ numerator: 0, denominator: 2, points: 0 });
    const late = await drillDown(ctx, { period: '2027-03', indicator: '766-2.1', part: 'out', limit: 10, offset: 0 });
    expect(late.total).toBe(2);
    expect(late.items.map((x) => x.code).sort()).toEqual([...codes].sort());
    const onTime = await drillDown(ctx, { period: '2027-03', indicator: '766-2.1', part: 'in', limit: 10, offset: 0 });
    expect(onTime.total).toBe(0);
    expect(await todayReport(ctx)).toMatchObject({ open: 2, late: 2, dueSoon: 0 });
  });

  it('filters by agency and procedure, and other periods are empty', async () => {
    expect((await indicatorReport(ctx, { period: '2027-03', agencyCodes: [WORLD.otherBranch] })).index766.indicators['2.1'].denominator).toBe(0);
    expect((await indicatorReport(ctx, { period: '2027-03', procedure: WORLD.procedure })).index766.indicators['2.1'].denominator).toBe(2);
    expect((await indicatorReport(ctx, { period: '2027-02' })).index766.indicators['3.3'].denominator).toBe(0);
    expect((await indicatorReport(ctx, { period: '2027-Q1' })).index766.indicators['3.3'].denominator).toBe(2);
  });

  it("an ended month's kept counts follow a later change to one of its dossiers (a complaint confirmed in April)", async () => {
    const march = parsePeriod('2027-03');
    await indicatorReport(ctx, { period: '2027-03' });
    expect(await hasRollup(ctx.db, march)).toBe(true);
    const kept = async () => (await keptTallies(ctx.db, march, new Date(march.to.getTime() - 1), {}, null))[0]!.tallies;
    expect(await kept()).toMatchObject({ handled: 2, complaint: 0 });
    const dossier = await ctx.db.query<{ id: string; agency: string }>('SELECT id, receiving_agency_id AS agency FROM dossier WHERE code = $1', [codes[0]]);
    const officer = await ctx.db.query<{ id: string }>('SELECT id FROM app_user LIMIT 1');
    await ctx.db.query(
      `INSERT INTO violation (source, rule, dossier_id, agency_id, description, reporter, state, assignee_id, finding, created_at, updated_at, closed_at)
       VALUES ('citizen_report', 'R3', $1, $2, 'Bị yêu cầu nộp bản giấy', '{"kind":"citizen"}', 'closed', $3, 'confirmed', $4, $4, $4)`,
      [dossier.rows[0]!.id, dossier.rows[0]!.agency, officer.rows[0]!.id, vn('2027-04-14T10:00')],
    );
    const r = await indicatorReport(ctx, { period: '2027-03' });
    expect(await kept()).toMatchObject({ handled: 2, complaint: 1 });
    expect(await kept()).toEqual((await tallies(ctx.db, march, new Date(r.asOf), {}, null))[0]!.tallies);
  });

  it('a change to a dossier marks its row stale; the background refresher derives it again; 0 turns it off', async () => {
    await refreshIndicatorFacts(ctx);
    expect(await countStale(ctx.db)).toBe(0);
    const rows = await ctx.db.query<{ dossier_id: string }>('SELECT dossier_id FROM dossier_indicator_fact ORDER BY dossier_id');
    expect(rows.rows).toHaveLength(2); // the unreceived dossier has none
    await ctx.db.query('UPDATE dossier SET updated_at = updated_at');
    expect(await countStale(ctx.db)).toBe(3);
    const refresher = startIndicatorRefresher(ctx, { HOSO_INDICATOR_REFRESH_SECONDS: '60' })!;
    expect(await refresher.runNow()).toBe(3);
    await refresher.stop();
    expect(await countStale(ctx.db)).toBe(0);
    expect((await ctx.db.query('SELECT dossier_id FROM dossier_indicator_fact ORDER BY dossier_id')).rows).toEqual(rows.rows);
    expect(startIndicatorRefresher(ctx, { HOSO_INDICATOR_REFRESH_SECONDS: '0' })).toBeNull();
    expect(() => startIndicatorRefresher(ctx, { HOSO_INDICATOR_REFRESH_SECONDS: 'often' })).toThrow(/non-negative/);
  });

  it('a malformed period is a clear problem', () => {
    expect(() => parsePeriod('2026-13')).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID' }));
    expect(() => parsePeriod('March')).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID' }));
  });
});
