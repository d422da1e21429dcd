/**
 * The formulas' sets as SQL over fact rows (store.ts) give the same counts, breakdowns and drill-down lists as the
 * pure formulas (rules.ts) on the hand-computed fixture, for months, a quarter and several instants of judgement;
 * the kept counts of ended periods equal counting the rows, before and after the rows change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../../../test/support/context.ts';
import { AS_OF, FIXTURE, MARCH, vn } from './fixture.ts';
import { DRILL_INDICATORS, DRILL_SETS, drillIds, drillTotal, groupBy, judge, monthPeriod, quarterPeriod, tally, type DossierFacts, type Period } from './rules.ts';
import * as store from './store.ts';

type Ctx = Awaited<ReturnType<typeof createTestContext>>;
let ctx: Ctx;
// Fixture ids as uuids, and back.
const uuid = (id: string) => `00000000-0000-4000-8000-0000000000${id.slice(1)}`;
const back = (u: string) => `d${u.slice(-2)}`;

/** Writes the fact rows of these fixture dossiers as the refresher does (the ones never received end with none). */
const writeFacts = (facts: readonly DossierFacts[]) =>
  ctx.db.tx((q) =>
    store.replaceFacts(
      q,
      facts.map((f) => uuid(f.id)),
      facts.filter((f) => f.receivedAt !== null).map((f) => ({ ...judge({ ...f, id: uuid(f.id) }), code: f.code })),
      vn('2026-04-01T00:00'),
    ),
  );

beforeAll(async () => {
  ctx = await createTestContext();
  await writeFacts(FIXTURE);
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
          const sets = DRILL_SETS[indicator];
          const items = await store.drillPage(ctx.db, c.period, c.asOf, {}, sets, part, { limit: 100, offset: 0 });
          const expected = drillIds(FIXTURE, c.period, c.asOf, indicator, part);
          expect(items.map((x) => back(x.id)).sort(), `${indicator} ${part}`).toEqual([...expected].sort());
          expect(items.map((x) => x.receivedAt), 'newest reception first').toEqual(items.map((x) => x.receivedAt).sort().reverse());
          expect(drillTotal(tally(FIXTURE, c.period, c.asOf), indicator, part)).toBe(expected.length);
        }
      }
    });
  }

  it('filters by agency, procedure and commune; pages keep the total', async () => {
    const only = (pred: (f: DossierFacts) => boolean) => tally(FIXTURE.filter(pred), MARCH, AS_OF);
    expect((await store.tallies(ctx.db, MARCH, AS_OF, { agencyCodes: ['B'] }, null))[0]!.tallies).toEqual(only((f) => f.agency === 'B'));
    expect((await store.tallies(ctx.db, MARCH, AS_OF, { procedureKey: 'Q' }, null))[0]!.tallies).toEqual(only((f) => f.procedure === 'Q'));
    expect((await store.tallies(ctx.db, MARCH, AS_OF, { communeCode: 'X' }, null))[0]!.tallies).toEqual(only((f) => f.commune === 'X'));
    const sets = { all: 'handled', in: 'onTime' } as const;
    const all = await store.drillPage(ctx.db, MARCH, AS_OF, {}, sets, 'all', { limit: 100, offset: 0 });
    expect(all).toHaveLength(26);
    const page = await store.drillPage(ctx.db, MARCH, AS_OF, {}, sets, 'all', { limit: 5, offset: 10 });
    expect(page).toEqual(all.slice(10, 15));
    expect((await store.drillPage(ctx.db, MARCH, AS_OF, { agencyCodes: ['B'] }, sets, 'all', { limit: 100, offset: 0 })).map((x) => back(x.id)).sort()).toEqual(['d23', 'd24']);
  });
});

const FILTERS: store.FactsFilter[] = [{}, { agencyCodes: ['B'] }, { agencyCodes: ['A', 'B'] }, { procedureKey: 'Q' }, { communeCode: 'X' }, { agencyCodes: ['Z'] }];
/** The periods of CASES, once each. */
const PERIODS = [...new Map(CASES.map((c) => [c.period.from.getTime(), c.period])).values()];

/**
 * The kept counts (judged at the period's end, with the dossiers not yet late added back when judged earlier) equal
 * counting the rows, for every case, filter and breakdown, and the pure formulas over `facts`.
 */
async function expectKeptEqualRows(facts: readonly DossierFacts[]): Promise<void> {
  for (const c of CASES) {
    for (const filter of FILTERS) {
      for (const dimension of [null, 'agency', 'commune', 'procedure'] as const) {
        const byKey = (rows: { key: string | null }[]) => [...rows].sort((a, b) => String(a.key).localeCompare(String(b.key)));
        expect(byKey(await store.keptTallies(ctx.db, c.period, c.asOf, filter, dimension)), `${c.name} ${JSON.stringify(filter)} ${dimension}`).toEqual(
          byKey(await store.tallies(ctx.db, c.period, c.asOf, filter, dimension)),
        );
      }
    }
    expect((await store.keptTallies(ctx.db, c.period, c.asOf, {}, null))[0]!.tallies, c.name).toEqual(tally(facts, c.period, c.asOf));
  }
}

describe('kept counts of periods', () => {
  it('are counted once from the rows and equal them, at the end and at instants before it', async () => {
    for (const p of PERIODS) {
      expect(await store.hasRollup(ctx.db, p)).toBe(false);
      expect(await ctx.db.tx((q) => store.buildRollup(q, p, vn('2026-04-01T00:00')))).toBe(true);
      expect(await ctx.db.tx((q) => store.buildRollup(q, p, vn('2026-04-01T00:00')))).toBe(false);
      expect(await store.hasRollup(ctx.db, p)).toBe(true);
    }
    // Judged on 16/03, d09 (due 25/03, open) is on time although March's kept counts, judged at its end, count it late.
    const kept = await store.keptTallies(ctx.db, MARCH, AS_OF, {}, null);
    const early = await store.keptTallies(ctx.db, MARCH, vn('2026-03-16T12:00'), {}, null);
    expect(early[0]!.tallies.onTime).toBeGreaterThan(kept[0]!.tallies.onTime);
    await expectKeptEqualRows(FIXTURE);
  });

  it('move with every change of the rows: a dossier judged again, moved to another unit, gone, or new', async () => {
    const changed = FIXTURE.map((f) =>
      f.id === 'd01'
        ? { ...f, processedAt: vn('2026-03-19T10:00') } // now late
        : f.id === 'd03'
          ? { ...f, agency: 'B', commune: 'Y', procedure: 'Q' } // another unit
          : f.id === 'd10'
            ? { ...f, complaint: true } // February's and March's
            : f,
    );
    const gone = changed.find((f) => f.id === 'd05')!;
    const added = { ...changed.find((f) => f.id === 'd02')!, id: 'd31', code: 'NEW', channel: 'counter' as const, components: ['PAPER' as const] };
    await writeFacts(changed.filter((f) => ['d01', 'd03', 'd10'].includes(f.id)));
    await writeFacts([{ ...gone, receivedAt: null }]); // its row goes, as when a dossier is no longer received
    await writeFacts([added]);
    const now = [...changed.filter((f) => f.id !== 'd05'), added];
    await expectKeptEqualRows(now);
    expect(tally(now, MARCH, AS_OF)).not.toEqual(tally(FIXTURE, MARCH, AS_OF));
  });
});
