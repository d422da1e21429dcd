/**
 * The indicators on a hand-computed fixture of 30 dossiers (March 2026, Vietnam time). Every expected number below
 * is worked out by hand in the comment next to it; the fixture covers each rule of each formula.
 */
import { describe, expect, it } from 'vitest';
import {
  periodsToKeep,
  DEFAULT_766_POINTS,
  directiveIndicators,
  drillIds,
  groupBy,
  handlingEnd,
  index766,
  isOnTime,
  lateFrom,
  monthPeriod,
  monthlyTrend,
  quarterPeriod,
  scorePoints,
} from './rules.ts';
import { AS_OF, FIXTURE, MARCH, d, ids, vn } from './fixture.ts';

describe('periods in Vietnam time', () => {
  it('a month starts at 00:00 UTC+7', () => {
    expect(MARCH.from.toISOString()).toBe('2026-02-28T17:00:00.000Z');
    expect(MARCH.to.toISOString()).toBe('2026-03-31T17:00:00.000Z');
    expect(monthPeriod(2026, 12).to.toISOString()).toBe('2026-12-31T17:00:00.000Z');
  });
  it('quarters', () => {
    expect(quarterPeriod(2026, 1)).toEqual({ from: monthPeriod(2026, 1).from, to: monthPeriod(2026, 4).from });
    expect(quarterPeriod(2026, 4).to.toISOString()).toBe('2026-12-31T17:00:00.000Z');
  });
});

describe('on-time judgement (766 2.1)', () => {
  it('the end is the first end state, or an open supplement request', () => {
    expect(handlingEnd(FIXTURE[15]!)).toEqual(vn('2026-03-13T09:00'));
    expect(handlingEnd(FIXTURE[5]!)).toEqual(vn('2026-03-15T09:00'));
    expect(handlingEnd(FIXTURE[7]!)).toBeNull();
  });
  it('more than one supplement request is late whatever the dates', () => {
    expect(isOnTime(FIXTURE[4]!, AS_OF)).toBe(false);
  });
  it('late from the due instant when the end is later or not reached; the same as comparing min(end, asOf) with due', () => {
    // The definition in words (766 2.1), checked against lateFrom on every fixture dossier at instants around each.
    const direct = (x: (typeof FIXTURE)[number], asOf: Date) => {
      if (x.supplementRequests.length > 1) return false;
      if (!x.dueAt) return true;
      const end = handlingEnd(x);
      const at = end && end <= asOf ? end : asOf;
      return at.getTime() <= x.dueAt.getTime();
    };
    for (const x of FIXTURE) {
      const instants = [x.receivedAt, x.dueAt, handlingEnd(x), AS_OF].filter((t): t is Date => t !== null).flatMap((t) => [-1000, 0, 1000].map((o) => new Date(t.getTime() + o)));
      for (const at of instants) expect(isOnTime(x, at), `${x.id} at ${at.toISOString()}`).toBe(direct(x, at));
    }
    expect(lateFrom(FIXTURE[7]!)).toEqual(FIXTURE[7]!.dueAt); // in progress: late once past due
    expect(lateFrom(FIXTURE[0]!)).toBeNull(); // finished before due: never late
  });
  it('no due date: nothing to be late against', () => {
    expect(isOnTime(d('x', { dueAt: null }), AS_OF)).toBe(true);
  });
});

describe('QĐ 766 index on the 30-dossier fixture, March 2026', () => {
  const index = index766(FIXTURE, MARCH, AS_OF);
  const i = index.indicators;

  it('2.1 on time: 18 of the 26 handled', () => {
    // Handled: d01–d10, d15–d25, d26–d30 = 10 + 11 + 5 = 26 (d11 ended in Feb, d12 April, d13 never received, d14 withdrawn).
    // Late: d02, d04 (1 s), d05 (2 supplements), d07 (asked after due), d09 (overdue), d10, d20, d24 = 8 ⇒ on time 18.
    expect(i['2.1']).toMatchObject({ numerator: 18, denominator: 26 });
    expect(drillIds(FIXTURE, MARCH, AS_OF, '766-2.1', 'all')).toEqual([...ids(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), ...ids(15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25), ...ids(26, 27, 28, 29, 30)]);
    expect(drillIds(FIXTURE, MARCH, AS_OF, '766-2.1', 'out')).toEqual(ids(2, 4, 5, 7, 9, 10, 20, 24));
    expect(i['2.1'].points).toBe(13.85); // 18/26 × 20 = 13.846
  });

  it('3.3 online: 21 of the 26 received, above 50 % ⇒ full marks', () => {
    // Received in March: d01–d09, d14, d15–d25, d26–d30 = 9 + 1 + 11 + 5 = 26; counter: d03, d04, d18, d21, d23.
    expect(i['3.3']).toMatchObject({ numerator: 21, denominator: 26, points: 8 });
  });

  it('4.1 e-results: 14 of the 15 results issued in March', () => {
    // Processed in March: d01 d02 d03 d04 d05 d10 d16 d17 d18 d19 d20 d21 d23 d24 d25 = 15; d21 is not electronic.
    expect(i['4.1']).toMatchObject({ numerator: 14, denominator: 15, points: 5.6 }); // 14/15 × 6
  });

  it('4.2 digitisation: 12 of 15, exactly the 80 % full-marks rate', () => {
    // Not counted: d21 (no e-result), d05 (only an exempt component), d23 (a paper component) ⇒ 15 − 3 = 12.
    expect(i['4.2']).toMatchObject({ numerator: 12, denominator: 15, rate: 0.8, points: 8 });
  });

  it('4.3 reuse: 3 of 26 received, scored linearly up to 80 %', () => {
    // d17, d22, d26 reuse an e-store document. (3/26) ÷ 0.8 × 8 = 1.1538.
    expect(i['4.3']).toMatchObject({ numerator: 3, denominator: 26, points: 1.15 });
    expect(drillIds(FIXTURE, MARCH, AS_OF, '766-4.3', 'in')).toEqual(ids(17, 22, 26));
  });

  it('5.4 satisfaction: 100 % − (late + complaints), counting a late complaint twice', () => {
    // Late 8/26, complaints 2/26 (d19 rating 1, d20 complaint; d20 is also late) ⇒ 1 − 8/26 − 2/26 = 16/26.
    // Drill-down numerator: on time and no complaint = 18 − d19 = 17. Points: (16/26) ÷ 0.9 × 6 = 4.1026.
    expect(i['5.4'].value).toBeCloseTo(16 / 26, 12);
    expect(i['5.4']).toMatchObject({ numerator: 17, denominator: 26, points: 4.1 });
  });

  it('the total is the sum of the rounded points, out of the maxima', () => {
    expect(index.points).toBe(40.7); // 13.85 + 8 + 5.6 + 8 + 1.15 + 4.1
    expect(index.maxPoints).toBe(Object.values(DEFAULT_766_POINTS).reduce((a, b) => a + b, 0));
  });

  it('per agency: agency B has one on-time and one late dossier', () => {
    const byAgency = groupBy(FIXTURE, 'agency');
    expect(byAgency.get('A')).toHaveLength(28);
    const b = index766(byAgency.get('B')!, MARCH, AS_OF).indicators['2.1'];
    expect(b).toMatchObject({ numerator: 1, denominator: 2, points: 10 });
  });

  it('per commune and procedure; a dossier without a commune is left out of the commune breakdown', () => {
    const byCommune = groupBy(FIXTURE, 'commune');
    expect([...byCommune.keys()].sort()).toEqual(['X', 'Y']);
    expect(byCommune.get('X')).toHaveLength(28);
    expect(groupBy(FIXTURE, 'procedure').get('Q')!.map((x) => x.id)).toEqual(ids(23, 24));
  });

  it('a period without dossiers gives no score rather than zero', () => {
    const empty = index766(FIXTURE, monthPeriod(2025, 1), monthPeriod(2025, 1).to);
    expect(empty.indicators['2.1']).toMatchObject({ denominator: 0, rate: null, points: null });
    expect(empty).toMatchObject({ points: 0, maxPoints: 0 });
  });
});

describe("directive 08's indicators on the fixture", () => {
  const r = directiveIndicators(FIXTURE, MARCH, { refusedAttempts: 3 });
  it('inputs digitized at reception: 7 of 8 components of counter dossiers (exempt left out)', () => {
    // d03 2/2, d04 1/1, d18 1/1, d21 2/2, d23 1/2 (a paper component) ⇒ 7/8.
    expect(r.inputsDigitizedAtReception).toEqual({ numerator: 7, denominator: 8, rate: 0.875, dossiers: 5, shortfallDossiers: 1 });
    expect(drillIds(FIXTURE, MARCH, AS_OF, 'directive-inputs', 'all')).toEqual(ids(3, 4, 18, 21, 23));
    expect(drillIds(FIXTURE, MARCH, AS_OF, 'directive-inputs', 'out')).toEqual(['d23']);
  });
  it('signed e-results 14/15, processing started at e-reception 24/26, online 21/26 against the 80 % target', () => {
    expect(r.signedElectronicResults).toMatchObject({ numerator: 14, denominator: 15 });
    // Not every input an e-document at reception: d05 (nothing but an exemption) and d23 (paper).
    expect(r.processingStartedAtEReception).toMatchObject({ numerator: 24, denominator: 26 });
    expect(r.onlineShare).toMatchObject({ numerator: 21, denominator: 26, target: 0.8, meetsTarget: true });
    expect(r.paperRequests).toEqual({ refusedAttempts: 3 });
  });
});

describe('scoring and trends', () => {
  it('linear up to the full-marks rate, capped', () => {
    expect(scorePoints(0.25, 0.5, 8)).toBe(4);
    expect(scorePoints(0.9, 0.5, 8)).toBe(8);
    expect(scorePoints(-0.1, 0.9, 6)).toBe(0);
    expect(scorePoints(null, 0.5, 8)).toBeNull();
  });
  it('a monthly trend ends with the month asked for', () => {
    const trend = monthlyTrend(FIXTURE, 2026, 3, 3, AS_OF);
    expect(trend.map((t) => t.period.from.toISOString())).toEqual([monthPeriod(2026, 1).from, monthPeriod(2026, 2).from, MARCH.from].map((x) => x.toISOString()));
    expect(trend[2]!.points).toBe(40.7);
    // February: d10 and d11 handled (both received 20/02); d11 finished on time, d10 still open and due 02/03 ⇒ on time at the end of Feb.
    expect(trend[1]!.indicators['2.1']).toMatchObject({ numerator: 2, denominator: 2 });
  });
});

describe('periods kept ahead of questions', () => {
  const kept = (now: Date) => periodsToKeep(now).map((p) => [p.from.toISOString(), p.to.toISOString()]);
  const as = (...ps: ReturnType<typeof monthPeriod>[]) => ps.map((p) => [p.from.toISOString(), p.to.toISOString()]);
  it('the running and the last month and quarter, in Vietnam time', () => {
    expect(kept(vn('2026-12-07T10:00'))).toEqual(as(monthPeriod(2026, 12), quarterPeriod(2026, 4), monthPeriod(2026, 11), quarterPeriod(2026, 3)));
    expect(kept(vn('2026-03-31T23:59'))).toEqual(as(monthPeriod(2026, 3), quarterPeriod(2026, 1), monthPeriod(2026, 2), quarterPeriod(2025, 4)));
    // 00:30 on 01/01 in Hanoi is still 31/12 in UTC: January and Q1 run, December and Q4 have ended.
    expect(kept(vn('2026-01-01T00:30'))).toEqual(as(monthPeriod(2026, 1), quarterPeriod(2026, 1), monthPeriod(2025, 12), quarterPeriod(2025, 4)));
    expect(kept(vn('2026-04-01T00:00'))).toEqual(as(monthPeriod(2026, 4), quarterPeriod(2026, 2), monthPeriod(2026, 3), quarterPeriod(2026, 1)));
  });
});
