import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  clockStart,
  deadlineStatus,
  defaultCalendarConfig,
  isWithinOfficeHours,
  isWorkingDay,
  workingTimeBetween,
  type Pause,
} from './rules.ts';
import { localTimeOfDayMs } from './time.ts';

const cfg = defaultCalendarConfig();
const H = 3_600_000;
const DAY = 8 * H;
// Receptions from 2024-12-01 to 2027-12-31 (Hanoi time), to the millisecond: crosses Tết 2025–2027 and every seeded swap.
const instant = fc
  .integer({ min: Date.parse('2024-12-01T00:00:00+07:00'), max: Date.parse('2027-12-31T23:59:59+07:00') })
  .map((ms) => new Date(ms));
const pauses = fc
  .array(
    fc.tuple(fc.integer({ min: -10 * 86_400_000, max: 40 * 86_400_000 }), fc.integer({ min: 0, max: 12 * 86_400_000 })),
    { maxLength: 4 },
  )
  .map((list) => (from: Date): Pause[] =>
    list.map(([offset, length]) => ({
      start: new Date(from.getTime() + offset),
      end: new Date(from.getTime() + offset + length),
    })),
  );

describe('properties of due instants', () => {
  it('a due instant in working days is on a working day, inside office hours, and monotonic in N', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 40 }), (from, n) => {
        const a = addWorkingDays(from, n, cfg);
        const b = addWorkingDays(from, n + 1, cfg);
        expect(isWorkingDay(a, cfg)).toBe(true);
        expect(isWithinOfficeHours(a, cfg)).toBe(true);
        expect(isWithinOfficeHours(b, cfg)).toBe(true);
        // 0 days may equal 1 day (clock starting at an opening); from 1 day on, strictly increasing.
        if (n >= 1) expect(a.getTime()).toBeLessThan(b.getTime());
        else expect(a.getTime()).toBeLessThanOrEqual(b.getTime());
      }),
      { numRuns: 400 },
    );
  });

  it('N working days keep the time of day of the counting start and hold exactly N days of office time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 60 }), (from, n) => {
        const start = clockStart(from, cfg);
        const due = addWorkingDays(from, n, cfg);
        expect(localTimeOfDayMs(due)).toBe(localTimeOfDayMs(start));
        expect(workingTimeBetween(start, due, cfg)).toBe(n * DAY);
        expect(addWorkingHours(from, 8 * n, cfg).getTime()).toBe(due.getTime());
      }),
      { numRuns: 300 },
    );
  });

  it('a due instant in working hours is inside office hours and monotonic in H', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 400 * 60 }), fc.integer({ min: 1, max: 600 }), (from, minutes, extra) => {
        const a = addWorkingHours(from, minutes / 60, cfg);
        const b = addWorkingHours(from, (minutes + extra) / 60, cfg);
        expect(isWithinOfficeHours(a, cfg)).toBe(true);
        expect(a.getTime()).toBeLessThan(b.getTime());
        expect(workingTimeBetween(clockStart(from, cfg), a, cfg)).toBe(minutes * 60_000);
      }),
      { numRuns: 300 },
    );
  });

  it('pauses only delay the due instant, by exactly the paused office time', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 30 }), pauses, (from, n, makePauses) => {
        const ps = makePauses(from);
        const plain = addWorkingDays(from, n, cfg);
        const paused = addWorkingDays(from, n, cfg, { pauses: ps });
        expect(paused.getTime()).toBeGreaterThanOrEqual(plain.getTime());
        expect(isWithinOfficeHours(paused, cfg)).toBe(true);
        const start = clockStart(from, cfg);
        expect(workingTimeBetween(start, paused, cfg) - workingTimeBetween(start, paused, cfg, ps)).toBe(
          workingTimeBetween(start, paused, cfg) - workingTimeBetween(start, plain, cfg),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('status: remaining + elapsed = allowance before the due instant; late exactly after it', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 40 * 86_400_000 }), (from, n, offset) => {
        const at = new Date(from.getTime() + offset);
        const s = deadlineStatus(from, { days: n }, at, cfg);
        expect(s.late).toBe(at.getTime() > s.due.getTime());
        if (!s.late) expect(s.remainingMs + s.elapsedMs).toBe(s.allowanceMs);
        else expect(s.elapsedMs - s.overdueMs).toBe(s.allowanceMs);
        expect(s.overdueMs > 0).toBe(s.late);
      }),
      { numRuns: 300 },
    );
  });
});
