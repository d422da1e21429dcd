import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  addWorkingHours,
  CalendarConfigError,
  clockStart,
  deadlineStatus,
  defaultCalendarConfig,
  dueDate,
  frozenCalendarConfig,
  isWithinOfficeHours,
  isWorkingDay,
  statutoryHolidays,
  validateCalendarData,
  workingTimeBetween,
  yearCalendar,
  type CalendarConfig,
  type Pause,
} from './rules.ts';
import { formatInstant, parseInstant } from './time.ts';

const cfg = defaultCalendarConfig();
const t = (s: string): Date => {
  const d = parseInstant(s);
  if (!d) throw new Error(`bad test instant ${s}`);
  return d;
};
const days = (from: string, n: number, c: CalendarConfig = cfg, pauses: Pause[] = []) =>
  formatInstant(addWorkingDays(t(from), n, c, { pauses }));
const hours = (from: string, h: number, c: CalendarConfig = cfg, pauses: Pause[] = []) =>
  formatInstant(addWorkingHours(t(from), h, c, { pauses }));
const pause = (a: string, b: string): Pause => ({ start: t(a), end: t(b) });
const H = 3_600_000;

describe('working days of the civil service', () => {
  it('weekends are off, ordinary weekdays worked', () => {
    expect(isWorkingDay('2026-03-06', cfg)).toBe(true); // Friday
    expect(isWorkingDay('2026-03-07', cfg)).toBe(false); // Saturday
    expect(isWorkingDay('2026-03-08', cfg)).toBe(false); // Sunday
  });

  it('Tết 2025, 2026 and 2027 are off', () => {
    for (const d of ['2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']) expect(isWorkingDay(d, cfg)).toBe(false);
    expect(isWorkingDay('2025-01-24', cfg)).toBe(true);
    expect(isWorkingDay('2025-02-03', cfg)).toBe(true);
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']) expect(isWorkingDay(d, cfg)).toBe(false);
    expect(isWorkingDay('2026-02-13', cfg)).toBe(true);
    expect(isWorkingDay('2026-02-23', cfg)).toBe(true);
    // 2027: eve Fri 05/02, mùng 1–2 on Sat/Sun → compensated Wed 10 and Thu 11 (Art. 111(3)).
    for (const d of ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11']) expect(isWorkingDay(d, cfg)).toBe(false);
    expect(isWorkingDay('2027-02-04', cfg)).toBe(true);
    expect(isWorkingDay('2027-02-12', cfg)).toBe(true);
  });

  it('2026 make-up Saturdays are worked and their swapped weekdays are off', () => {
    expect(isWorkingDay('2026-01-10', cfg)).toBe(true);
    expect(isWorkingDay('2026-08-22', cfg)).toBe(true);
    expect(isWorkingDay('2026-01-02', cfg)).toBe(false);
    expect(isWorkingDay('2026-08-31', cfg)).toBe(false);
    expect(isWorkingDay('2025-04-26', cfg)).toBe(true);
    expect(isWorkingDay('2025-05-02', cfg)).toBe(false);
  });

  it('reads the civil date in UTC+7 whatever the machine zone', () => {
    // 2026-02-13T17:30Z is Saturday 14/02 00:30 in Hanoi (Tết break) though still Friday in UTC.
    const instant = new Date('2026-02-13T17:30:00Z');
    const before = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        expect(isWorkingDay(instant, cfg)).toBe(false);
        expect(formatInstant(addWorkingDays(t('2026-02-12T10:00'), 5, cfg))).toBe('2026-02-26T10:00:00+07:00');
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
    expect(isWorkingDay(new Date('2026-02-13T16:59:00Z'), cfg)).toBe(true); // Fri 23:59 in Hanoi
  });

  it('office hours are [08:00,12:00) and [13:00,17:00)', () => {
    expect(isWithinOfficeHours(t('2026-03-02T08:00'), cfg)).toBe(true);
    expect(isWithinOfficeHours(t('2026-03-02T07:59'), cfg)).toBe(false);
    expect(isWithinOfficeHours(t('2026-03-02T12:00'), cfg)).toBe(false);
    expect(isWithinOfficeHours(t('2026-03-02T13:00'), cfg)).toBe(true);
    expect(isWithinOfficeHours(t('2026-03-02T17:00'), cfg)).toBe(false);
    expect(isWithinOfficeHours(t('2026-03-07T10:00'), cfg)).toBe(false); // Saturday
    expect(isWithinOfficeHours(t('2026-01-10T10:00'), cfg)).toBe(true); // make-up Saturday
  });
});

describe('deadlines in working days across Tết', () => {
  it('Tết 2025 (25/01–02/02)', () => {
    expect(days('2025-01-23T10:00', 2)).toBe('2025-02-03T10:00:00+07:00');
    expect(days('2025-01-24T14:00', 1)).toBe('2025-02-03T14:00:00+07:00');
    expect(days('2025-01-24T16:00', 1)).toBe('2025-02-04T08:00:00+07:00'); // after the cut-off
    expect(days('2025-01-20T09:30', 10)).toBe('2025-02-10T09:30:00+07:00');
  });

  it('Tết 2026 (14/02–22/02)', () => {
    expect(days('2026-02-12T10:00', 5)).toBe('2026-02-26T10:00:00+07:00');
    expect(days('2026-02-13T10:00', 1)).toBe('2026-02-23T10:00:00+07:00');
    expect(days('2026-02-12T16:00', 1)).toBe('2026-02-23T08:00:00+07:00');
    expect(days('2026-02-16T10:00', 1)).toBe('2026-02-24T08:00:00+07:00'); // received during Tết
  });

  it('Tết 2027 (statutory days and compensatory days, no announcement yet)', () => {
    expect(days('2027-02-04T10:00', 1)).toBe('2027-02-12T10:00:00+07:00');
    expect(days('2027-02-04T10:00', 2)).toBe('2027-02-15T10:00:00+07:00');
    expect(days('2027-02-03T15:30', 2)).toBe('2027-02-15T08:00:00+07:00'); // clock starts Thu 04/02 08:00
  });

  it('30/4–1/5 2025 with the make-up Saturday 26/04', () => {
    expect(days('2025-04-25T10:00', 1)).toBe('2025-04-26T10:00:00+07:00');
    expect(days('2025-04-25T10:00', 2)).toBe('2025-04-28T10:00:00+07:00');
    expect(days('2025-04-25T10:00', 4)).toBe('2025-05-05T10:00:00+07:00');
  });
});

describe('deadlines across the 2026 make-up Saturdays', () => {
  it('Saturday 10/01/2026 counts, Friday 02/01 does not', () => {
    expect(days('2026-01-09T10:00', 1)).toBe('2026-01-10T10:00:00+07:00');
    expect(days('2026-01-09T10:00', 2)).toBe('2026-01-12T10:00:00+07:00');
    expect(days('2025-12-31T10:00', 1)).toBe('2026-01-05T10:00:00+07:00');
    expect(days('2026-01-09T16:00', 1)).toBe('2026-01-12T08:00:00+07:00'); // cut-off → starts Sat 10/01
  });

  it('Saturday 22/08/2026 counts; 29/08–02/09 is off', () => {
    expect(days('2026-08-21T16:00', 1)).toBe('2026-08-24T08:00:00+07:00');
    expect(days('2026-08-21T09:00', 1)).toBe('2026-08-22T09:00:00+07:00');
    expect(days('2026-08-28T10:00', 1)).toBe('2026-09-03T10:00:00+07:00');
    expect(hours('2026-08-22T11:00', 2)).toBe('2026-08-22T14:00:00+07:00');
    expect(days('2026-08-22T15:30', 0)).toBe('2026-08-25T08:00:00+07:00');
  });

  it('a reception on an ordinary Saturday counts from Monday', () => {
    expect(days('2026-03-07T10:00', 1)).toBe('2026-03-10T08:00:00+07:00');
  });
});

describe('the 15:00 reception cut-off', () => {
  it('at 15:00 exactly counts the same day, later the next working day', () => {
    expect(days('2026-03-02T14:59', 1)).toBe('2026-03-03T14:59:00+07:00');
    expect(days('2026-03-02T15:00', 1)).toBe('2026-03-03T15:00:00+07:00');
    expect(days('2026-03-02T15:00:01', 1)).toBe('2026-03-04T08:00:00+07:00');
    expect(formatInstant(clockStart(t('2026-03-02T15:00:01'), cfg))).toBe('2026-03-03T08:00:00+07:00');
    expect(formatInstant(clockStart(t('2026-03-06T15:30'), cfg))).toBe('2026-03-09T08:00:00+07:00'); // Fri → Mon
  });

  it('is configurable and can be disabled', () => {
    const late = defaultCalendarConfig({ cutoff: '16:30' });
    const none = defaultCalendarConfig({ cutoff: null });
    expect(days('2026-03-02T16:00', 1, late)).toBe('2026-03-03T16:00:00+07:00');
    expect(days('2026-03-02T16:00', 1, none)).toBe('2026-03-03T16:00:00+07:00');
    expect(days('2026-03-02T17:30', 1, none)).toBe('2026-03-04T08:00:00+07:00'); // after closing anyway
    expect(formatInstant(addWorkingDays(t('2026-03-02T16:00'), 1, cfg, { applyCutoff: false }))).toBe(
      '2026-03-03T16:00:00+07:00',
    );
  });

  it('before opening and during lunch the clock starts at the next opening', () => {
    expect(days('2026-03-02T07:00', 1)).toBe('2026-03-03T08:00:00+07:00');
    expect(days('2026-03-02T12:30', 1)).toBe('2026-03-03T13:00:00+07:00');
  });

  it('0 working days = within the working day of reception', () => {
    expect(days('2026-03-02T10:00', 0)).toBe('2026-03-03T08:00:00+07:00');
    expect(days('2026-03-02T16:00', 0)).toBe('2026-03-04T08:00:00+07:00');
  });
});

describe('deadlines in working hours', () => {
  it('across lunch', () => {
    expect(hours('2026-03-02T10:00', 4)).toBe('2026-03-02T15:00:00+07:00');
    expect(hours('2026-03-02T11:30', 1)).toBe('2026-03-02T13:30:00+07:00');
    expect(hours('2026-03-02T11:45', 0.25)).toBe('2026-03-02T13:00:00+07:00'); // lands on 12:00 → 13:00
    expect(hours('2026-03-02T08:00', 3.5)).toBe('2026-03-02T11:30:00+07:00');
  });

  it('across weekends and Tết', () => {
    expect(hours('2026-03-06T14:00', 8)).toBe('2026-03-09T14:00:00+07:00');
    expect(hours('2026-03-06T16:00', 2)).toBe('2026-03-09T10:00:00+07:00'); // after the cut-off
    expect(hours('2026-02-13T15:00', 4)).toBe('2026-02-23T10:00:00+07:00');
    expect(hours('2026-02-13T14:00', 0)).toBe('2026-02-13T14:00:00+07:00');
  });

  it('8 working hours equal 1 working day with 8-hour office days', () => {
    expect(hours('2026-03-02T08:00', 8)).toBe(days('2026-03-02T08:00', 1));
    expect(hours('2026-03-02T10:20', 16)).toBe(days('2026-03-02T10:20', 2));
  });

  it('follows configured office hours', () => {
    const c = defaultCalendarConfig({ officeHours: [{ start: '07:30', end: '11:30' }, { start: '13:30', end: '17:00' }] });
    expect(hours('2026-03-02T11:00', 1, c)).toBe('2026-03-02T14:00:00+07:00');
    expect(days('2026-03-02T07:45', 1, c)).toBe('2026-03-03T07:45:00+07:00');
  });
});

describe('pauses (supplement waiting time)', () => {
  it('across a weekend, resuming at the exact instant', () => {
    expect(days('2026-03-05T09:00', 1)).toBe('2026-03-06T09:00:00+07:00');
    expect(days('2026-03-05T09:00', 1, cfg, [pause('2026-03-06T08:30', '2026-03-09T14:00')])).toBe('2026-03-09T14:30:00+07:00');
    expect(days('2026-03-06T10:00', 2, cfg, [pause('2026-03-06T11:00', '2026-03-10T09:30')])).toBe('2026-03-12T08:30:00+07:00');
  });

  it('across Tết 2026', () => {
    expect(days('2026-02-11T10:00', 3, cfg, [pause('2026-02-12T14:00', '2026-02-24T10:15')])).toBe('2026-02-25T16:15:00+07:00');
  });

  it('a pause ending outside office hours resumes at the next opening', () => {
    expect(hours('2026-03-06T10:00', 3, cfg, [pause('2026-03-06T11:00', '2026-03-07T10:00')])).toBe('2026-03-09T10:00:00+07:00');
  });

  it('pauses before reception are ignored and overlapping pauses are merged', () => {
    expect(days('2026-03-02T10:00', 1, cfg, [pause('2026-02-27T10:00', '2026-03-02T10:00')])).toBe('2026-03-03T10:00:00+07:00');
    const a = days('2026-03-02T10:00', 2, cfg, [pause('2026-03-02T11:00', '2026-03-02T14:00'), pause('2026-03-02T13:30', '2026-03-02T15:00')]);
    const b = days('2026-03-02T10:00', 2, cfg, [pause('2026-03-02T11:00', '2026-03-02T15:00')]);
    expect(a).toBe(b);
    expect(b).toBe('2026-03-04T14:00:00+07:00'); // 3 h paused (11–12, 13–15): Wed 10:00 + 3 h
  });

  it('rejects a pause that ends before it starts', () => {
    expect(() => addWorkingDays(t('2026-03-02T10:00'), 1, cfg, { pauses: [pause('2026-03-03T10:00', '2026-03-02T10:00')] })).toThrow(RangeError);
  });
});

describe('remaining time and lateness', () => {
  const from = t('2026-03-02T10:00');
  it('before, at and after the due instant', () => {
    const s1 = deadlineStatus(from, { days: 1 }, t('2026-03-02T16:00'), cfg);
    expect(formatInstant(s1.due)).toBe('2026-03-03T10:00:00+07:00');
    expect([s1.late, s1.remainingMs, s1.overdueMs, s1.elapsedMs, s1.allowanceMs]).toEqual([false, 3 * H, 0, 5 * H, 8 * H]);
    const s2 = deadlineStatus(from, { days: 1 }, t('2026-03-03T10:00'), cfg);
    expect([s2.late, s2.remainingMs]).toEqual([false, 0]);
    const s3 = deadlineStatus(from, { days: 1 }, t('2026-03-03T12:30'), cfg);
    expect([s3.late, s3.overdueMs]).toEqual([true, 2 * H]);
  });

  it('before the clock starts (after the cut-off) the whole allowance remains', () => {
    const s = deadlineStatus(t('2026-03-02T16:00'), { days: 1 }, t('2026-03-02T16:30'), cfg);
    expect([s.remainingMs, s.elapsedMs, formatInstant(s.clockStart)]).toEqual([8 * H, 0, '2026-03-03T08:00:00+07:00']);
  });

  it('an open pause freezes the remaining time', () => {
    const s = deadlineStatus(from, { days: 2 }, t('2026-03-04T09:00'), cfg, { pauses: [{ start: t('2026-03-02T14:00'), end: null }] });
    expect(s.paused).toBe(true);
    expect([s.elapsedMs, s.remainingMs, s.late]).toEqual([3 * H, 13 * H, false]);
    expect(formatInstant(s.due)).toBe('2026-03-05T15:00:00+07:00');
    const later = deadlineStatus(from, { days: 2 }, t('2026-03-20T09:00'), cfg, { pauses: [{ start: t('2026-03-02T14:00'), end: null }] });
    expect([later.remainingMs, later.late]).toEqual([13 * H, false]);
  });

  it('counts working time between instants', () => {
    expect(workingTimeBetween(t('2026-03-06T16:00'), t('2026-03-09T09:00'), cfg)).toBe(2 * H);
    expect(workingTimeBetween(t('2026-03-06T16:00'), t('2026-03-09T09:00'), cfg, [pause('2026-03-06T16:30', '2026-03-09T08:30')])).toBe(1 * H);
  });
});

describe('year calendar', () => {
  it('2026 lists statutory, compensatory and announced days and the make-up Saturdays', () => {
    const y = yearCalendar(2026, cfg);
    const listed = y.nonWorking.filter((d) => d.kind !== 'weekend');
    expect(listed.map((d) => d.date)).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04',
      '2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22',
      '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01',
      '2026-08-29', '2026-08-30', '2026-08-31', '2026-09-01', '2026-09-02',
    ]);
    expect(y.makeUpWorking.map((d) => d.date)).toEqual(['2026-01-10', '2026-08-22']);
    expect(listed.find((d) => d.date === '2026-04-27')?.kind).toBe('compensatory');
    expect(listed.find((d) => d.date === '2026-02-17')?.reasons[0]).toContain('mùng 1 tháng Giêng năm Bính Ngọ');
    expect(y.nonWorking.find((d) => d.date === '2026-03-07')?.kind).toBe('weekend');
    expect(y.nonWorking.some((d) => d.date === '2026-01-10')).toBe(false);
    // 104 weekend days in 2026 minus the 2 make-up Saturdays, plus the weekday holidays and swaps.
    expect(y.nonWorking.length).toBe(104 - 2 + listed.filter((d) => ![0, 6].includes(new Date(`${d.date}T12:00:00Z`).getUTCDay())).length);
    expect(y.announced).toBe(true);
  });

  it('2027 is not announced yet: statutory and compensatory days only', () => {
    const y = yearCalendar(2027, cfg);
    expect(y.announced).toBe(false);
    expect(y.nonWorking.filter((d) => d.kind !== 'weekend').map((d) => d.date)).toEqual([
      '2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11',
      '2027-04-16', '2027-04-30', '2027-05-01', '2027-05-03', '2027-09-02', '2027-09-03',
    ]);
  });

  it('default choice of the day adjacent to 2/9 and Art. 111(3) compensation', () => {
    const adj = (y: number) => statutoryHolidays(y).find((h) => h.name.includes('liền kề'))?.date;
    expect(adj(2021)).toBe('2021-09-03'); // Thu
    expect(adj(2022)).toBe('2022-09-01'); // Fri
    expect(adj(2024)).toBe('2024-09-03'); // Mon
    expect(adj(2029)).toBe('2029-09-03'); // Sun
    const comp = (y: number) => yearCalendar(y, cfg).nonWorking.filter((d) => d.kind === 'compensatory').map((d) => d.date);
    expect(comp(2023)).toContain('2023-09-04'); // 2/9 on Saturday
    expect(comp(2023)).toContain('2023-05-02'); // 30/4 on Sunday, 1/5 Monday is itself a holiday
    expect(comp(2028)).toContain('2028-01-03'); // 1/1 on Saturday
    expect(comp(2029)).toContain('2029-09-04'); // 2/9 on Sunday, 3/9 is the adjacent day
  });
});

describe('configuration values', () => {
  it('an in-place edit of the data is seen by the next call', () => {
    const c = defaultCalendarConfig();
    expect(isWorkingDay('2026-03-02', c)).toBe(true);
    c.data.years.find((y) => y.year === 2026)!.daysOff.push({ date: '2026-03-02', reason: 'Nghỉ thử nghiệm' });
    expect(isWorkingDay('2026-03-02', c)).toBe(false);
    c.cutoff = null;
    expect(formatInstant(addWorkingDays(t('2026-03-03T16:00'), 1, c))).toBe('2026-03-04T16:00:00+07:00');
  });

  it('a frozen config gives the same answers and refuses edits', () => {
    const f = frozenCalendarConfig(defaultCalendarConfig());
    expect(frozenCalendarConfig(f)).toBe(f);
    expect(formatInstant(addWorkingDays(t('2026-02-12T10:00'), 5, f))).toBe('2026-02-26T10:00:00+07:00');
    expect(() => f.data.years[0]!.daysOff.push({ date: '2025-03-03', reason: 'x' })).toThrow(TypeError);
  });
});

describe('validation', () => {
  it('reports precise problems in administrator data', () => {
    const issues = validateCalendarData({
      years: [
        {
          year: 2026,
          announced: true,
          sources: ['x'],
          tetDays: ['2026-02-16'],
          nationalDayAdjacent: '2026-09-05',
          daysOff: [{ date: '2026-02-30', reason: 'x' }, { date: '2025-12-31', reason: 'x' }, { date: '2026-03-02', reason: '' }],
          makeUpWorkingDays: [{ date: '2026-03-02', reason: 'y' }],
        },
        { year: 2026, announced: true, sources: [], daysOff: [], makeUpWorkingDays: [] },
      ],
    });
    expect(issues).toEqual([
      { path: 'years[0].tetDays', reason: 'the law gives exactly 5 Tết days' },
      { path: 'years[0].nationalDayAdjacent', reason: 'must be 2026-09-01 or 2026-09-03' },
      { path: 'years[0].daysOff[0].date', reason: 'not a valid YYYY-MM-DD date' },
      { path: 'years[0].daysOff[1].date', reason: 'not in year 2026' },
      { path: 'years[0].daysOff[2].reason', reason: 'required' },
      { path: 'years[0].makeUpWorkingDays[0].date', reason: '2026-03-02 is also an announced day off' },
      { path: 'years[1].year', reason: 'year 2026 appears twice' },
    ]);
    expect(validateCalendarData(defaultCalendarConfig().data)).toEqual([]);
  });

  it('rejects an unusable configuration', () => {
    const bad = defaultCalendarConfig({ officeHours: [{ start: '13:00', end: '17:00' }, { start: '08:00', end: '12:00' }] });
    expect(() => isWorkingDay('2026-03-02', bad)).toThrow(CalendarConfigError);
    expect(() => addWorkingDays(t('2026-03-02T10:00'), 1, defaultCalendarConfig({ cutoff: '3pm' }))).toThrow(/cutoff/);
    expect(() => addWorkingDays(t('2026-03-02T10:00'), 1, defaultCalendarConfig({ weeklyRestDays: [0, 1, 2, 3, 4, 5, 6] }))).toThrow(
      /weeklyRestDays/,
    );
    expect(() => addWorkingDays(t('2026-03-02T10:00'), 1.5, cfg)).toThrow(RangeError);
    expect(() => addWorkingHours(t('2026-03-02T10:00'), -1, cfg)).toThrow(RangeError);
    expect(() => dueDate(new Date(NaN), { days: 1 }, cfg)).toThrow(RangeError);
    const open = [{ start: t('2026-03-02T11:00'), end: null }] as unknown as Pause[];
    expect(() => dueDate(t('2026-03-02T10:00'), { days: 1 }, cfg, { pauses: open })).toThrow(/no end/);
  });
});
