/**
 * The formulas' sets as SQL over fact rows (store.ts) give the same counts, breakdowns and drill-down lists as the
 * pure formulas (rules.ts) on the hand-computed fixture, for months, a quarter and several instants of judgement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { AS_OF, FIXTURE, MARCH, vn } from './fixture.ts';
import { DRILL_INDICATORS, drillIds, groupBy, judge, monthPeriod, quarterPeriod, tally, type DossierFacts, type Period } from './rules.ts';
import * as store from './store.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
// Fixture ids as uuids, and back.
const uuid = (id: string) => `00000000-0000-4000-8000-0000000000${id.slice(1)}`;
const back = (u: string) => `d${u.slice(-2)}`;

beforeAll(async () => {
  ctx = await createTestContext();
  const received = FIXTURE.filter((f) => f.receivedAt !== null);
  await store.replaceFacts(
    ctx.db,
    received.map((f) => uuid(f.id)),
    received.map((f) => ({ ...judge({ ...f, id: uuid(f.id) }), code: f.code })),
    vn('2026-04-01T00:00'),
  );
});

afterAll(async () => {
  await ctx?.cleanup();
});

const CASES: { name: string; period: Period; asOf: Date }[] = [
  { name: 'March at its end', period: MARCH, asOf: AS_OF },
  { name: 'March seen on 16/03', period: MARCH, asOf: vn('2026-03-16T12:00') },
  { name: 'March seen on 17/03 09:00 (a due instant)', period: MARCH, asOf: vn('2026-03-17T09:00') },
  { name: 'February', period: monthPeriod(2026, 2), asOf: new Date(monthPeriod(2026, 2).to.getTime() - 1) },
  { name: 'April seen on 05/04', period: monthPeriod(2026, 4), asOf: vn('2026-04-05T10:00') },
  { name: 'Q1', period: quarterPeriod(2026, 1), asOf: new Date(quarterPeriod(2026, 1).to.getTime() - 1) },
  { name: 'an empty month', period: monthPeriod(2025, 6), asOf: new Date(monthPeriod(2025, 6).to.getTime() - 1) },
];

describe('SQL over fact rows = the pure formulas', () => {
  for (const c of CASES) {
    it(`${c.name}: overall and per agency, commune, procedure`, async () => {
      const [overall] = await store.tallies(ctx.db, c.period, c.asOf, {}, null);
      expect(overall).toEqual({ key: null, tallies: tally(FIXTURE, c.period, c.asOf) });
      for (const dimension of ['agency', 'commune', 'procedure'] as const) {
        const rows = await store.tallies(ctx.db, c.period, c.asOf, {}, dimension);
        expect(rows.find((r) => r.key === null)!.tallies).toEqual(tally(FIXTURE, c.period, c.asOf));
        const expected = [...groupBy(FIXTURE, dimension).entries()]
          .map(([key, list]) => ({ key, tallies: tally(list, c.period, c.asOf) }))
          // A group none of whose dossiers can count for the period has no row in SQL.
          .filter((g) => Object.values(g.tallies).some((n) => n > 0) || rows.some((r) => r.key === g.key));
        const got = rows.filter((r) => r.key !== null);
        for (const g of got) expect(g.tallies).toEqual(expected.find((e) => e.key === g.key)?.tallies);
        for (const e of expected) expect(got.find((g) => g.key === e.key)?.tallies ?? null).toEqual(e.tallies);
      }
    });

    it(`${c.name}: every drill-down list`, async () => {
      for (const indicator of DRILL_INDICATORS) {
        for (const part of ['in', 'out', 'all'] as const) {
          const sets = (await import('./rules.ts')).DRILL_SETS[indicator];
          const r = await store.drill(ctx.db, c.period, c.asOf, {}, sets, part, { limit: 100, offset: 0 });
          const expected = drillIds(FIXTURE, c.period, c.asOf, indicator, part);
          expect(r.items.map((x) => back(x.id)).sort(), `${indicator} ${part}`).toEqual([...expected].sort());
          expect(r.total).toBe(expected.length);
        }
      }
    });
  }

  it('filters by agency, procedure and commune; pages keep the total', async () => {
    const only = (pred: (f: DossierFacts) => boolean) => tally(FIXTURE.filter(pred), MARCH, AS_OF);
    expect((await store.tallies(ctx.db, MARCH, AS_OF, { agencyCodes: ['B'] }, null))[0]!.tallies).toEqual(only((f) => f.agency === 'B'));
    expect((await store.tallies(ctx.db, MARCH, AS_OF, { procedureKey: 'Q' }, null))[0]!.tallies).toEqual(only((f) => f.procedure === 'Q'));
    expect((await store.tallies(ctx.db, MARCH, AS_OF, { communeCode: 'X' }, null))[0]!.tallies).toEqual(only((f) => f.commune === 'X'));
    const page = await store.drill(ctx.db, MARCH, AS_OF, {}, { all: 'handled', in: 'onTime' }, 'all', { limit: 5, offset: 10 });
    expect(page.total).toBe(26);
    expect(page.items).toHaveLength(5);
  });
});
