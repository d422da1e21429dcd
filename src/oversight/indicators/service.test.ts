/**
 * Indicators computed from what intake really writes (dossier rows, components, events), on PGlite or PostgreSQL:
 * the same numbers the pure formulas give, the clock deciding late vs on time, and the drill-down to dossier codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { WORLD } from '../../dossiers/testing.ts';
import { seedOversightWorld } from '../testing.ts';
import { drillDown, indicatorReport, parsePeriod } from './service.ts';

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
  });

  it('filters by agency and procedure, and other periods are empty', async () => {
    expect((await indicatorReport(ctx, { period: '2027-03', agencyCodes: [WORLD.otherBranch] })).index766.indicators['2.1'].denominator).toBe(0);
    expect((await indicatorReport(ctx, { period: '2027-03', procedure: WORLD.procedure })).index766.indicators['2.1'].denominator).toBe(2);
    expect((await indicatorReport(ctx, { period: '2027-02' })).index766.indicators['3.3'].denominator).toBe(0);
    expect((await indicatorReport(ctx, { period: '2027-Q1' })).index766.indicators['3.3'].denominator).toBe(2);
  });

  it('a malformed period is a clear problem', () => {
    expect(() => parsePeriod('2026-13')).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID' }));
    expect(() => parsePeriod('March')).toThrow(expect.objectContaining({ code: 'PERIOD_INVALID' }));
  });
});
