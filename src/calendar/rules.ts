/**
 * Working-day calendar of the Vietnamese civil service and deadline arithmetic, in Asia/Ho_Chi_Minh (UTC+7).
 *
 * Pure: inputs are `Date` instants, a `CalendarConfig` and optional pauses; nothing here reads the clock or does
 * I/O. Statutory holidays come from Bộ luật Lao động 2019 Art. 112 (lunar dates computed in `lunar.ts`),
 * compensatory days from Art. 111(3), and each year's Government announcement (days off, swapped days, make-up
 * Saturdays) is data an administrator maintains (`CalendarData`). The counting convention is in docs/calendar.md.
 */
import { SEED_CALENDAR_DATA } from './data/seed.ts';
import { canChiYear, lunarDateLabel, lunarToSolar, solarToLunar, tetDate, tetEve } from './lunar.ts';
import {
  dayOfDate,
  dayToIso,
  dayToVn,
  isoToDay,
  instantMs,
  localDay,
  localTimeOfDayMs,
  MINUTE_MS,
  parseHhmm,
  weekdayOfDay,
  yearOfDay,
} from './time.ts';

// ---------------------------------------------------------------------------------------------------------------
// Data shapes (kept storable as rows: one per year, one per dated entry)

/** One dated decision: `date` is `YYYY-MM-DD` in Vietnamese civil time; `reason` is shown to users (Vietnamese). */
export interface CalendarEntry {
  date: string;
  reason: string;
  /** The instrument or publication the entry comes from. */
  source?: string;
}

/** What the Government announced for one solar year. */
export interface YearSchedule {
  year: number;
  /** False while the year's announcement is not out: only the law's defaults apply. */
  announced: boolean;
  /** Instruments/publications of the announcement. */
  sources: string[];
  note?: string;
  /**
   * Art. 112(3): the Prime Minister fixes the 5 Tết days each year. Absent → the default: the last day of the
   * lunar year (giao thừa) and mùng 1–4.
   */
  tetDays?: string[];
  /** Art. 112(1)(đ): the day adjacent to 2/9 (1/9 or 3/9) as decided. Absent → the default rule (docs/calendar.md). */
  nationalDayAdjacent?: string;
  /** Announced days off beyond the statutory ones: swapped weekdays, the weekends inside an announced break… */
  daysOff: CalendarEntry[];
  /** Announced make-up working days (usually Saturdays worked in exchange for a swapped weekday). */
  makeUpWorkingDays: CalendarEntry[];
}

export interface CalendarData {
  years: YearSchedule[];
}

/** An office period `[start, end)` in local wall time, `HH:MM`. */
export interface OfficePeriod {
  start: string;
  end: string;
}

export interface CalendarConfig {
  /** Daily office periods, ascending and disjoint. Default 08:00–12:00 and 13:00–17:00. */
  officeHours: OfficePeriod[];
  /** Reception cut-off `HH:MM` (default 15:00): later receptions count from the next working day. null = none. */
  cutoff: string | null;
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. Civil service: Saturday and Sunday. */
  weeklyRestDays: number[];
  data: CalendarData;
}

/** A stopped-clock interval `[start, end)`, e.g. waiting for the applicant's supplement. */
export interface Pause {
  start: Date;
  end: Date;
}

/** A pause that may still be running (`end: null`). */
export interface OpenPause {
  start: Date;
  end: Date | null;
}

export type Duration = { days: number } | { hours: number };

export interface DeadlineOptions {
  /** Intervals during which the clock is stopped; the clock resumes at the exact end instant. */
  pauses?: readonly Pause[];
  /** Apply the reception cut-off (default true). False for internal step quotas that start at a hand-over. */
  applyCutoff?: boolean;
}

export type NonWorkingKind = 'statutory' | 'compensatory' | 'announced' | 'weekend';

export interface NonWorkingDay {
  date: string;
  /** The strongest reason: statutory > compensatory > announced > weekend. */
  kind: NonWorkingKind;
  reasons: string[];
}

export interface YearCalendar {
  year: number;
  announced: boolean;
  sources: string[];
  note?: string;
  /** Every non-working date of the year, weekends included (kind 'weekend' when nothing else applies). */
  nonWorking: NonWorkingDay[];
  makeUpWorking: CalendarEntry[];
}

export interface Issue {
  path: string;
  reason: string;
}

export class CalendarConfigError extends Error {
  constructor(readonly issues: Issue[]) {
    super(`invalid calendar configuration: ${issues.map((i) => `${i.path}: ${i.reason}`).join('; ')}`);
  }
}

export const DEFAULT_OFFICE_HOURS: readonly OfficePeriod[] = Object.freeze([
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
]);
export const DEFAULT_CUTOFF = '15:00';
export const DEFAULT_WEEKLY_REST_DAYS: readonly number[] = Object.freeze([0, 6]);

/**
 * The civil-service calendar: 08:00–12:00 and 13:00–17:00, cut-off 15:00, Saturday and Sunday off, seeded
 * announcements 2025–2027. Each call returns a new value (a deep copy of the seed).
 */
export function defaultCalendarConfig(overrides: Partial<CalendarConfig> = {}): CalendarConfig {
  return {
    officeHours: DEFAULT_OFFICE_HOURS.map((p) => ({ ...p })),
    cutoff: DEFAULT_CUTOFF,
    weeklyRestDays: [...DEFAULT_WEEKLY_REST_DAYS],
    data: structuredClone(SEED_CALENDAR_DATA),
    ...overrides,
  };
}

const LAW = 'Bộ luật Lao động 2019, Điều 112 khoản 1';
const COMP_LAW = 'Bộ luật Lao động 2019, Điều 111 khoản 3';

// ---------------------------------------------------------------------------------------------------------------
// Validation

function isoIssue(path: string, value: unknown): Issue | null {
  if (typeof value !== 'string' || isoToDay(value) === null) return { path, reason: 'not a valid YYYY-MM-DD date' };
  return null;
}

/** Checks administrator-maintained data; returns every problem found (empty when valid). */
export function validateCalendarData(data: CalendarData): Issue[] {
  const issues: Issue[] = [];
  if (!data || !Array.isArray(data.years)) return [{ path: 'years', reason: 'must be an array' }];
  const seenYears = new Set<number>();
  data.years.forEach((y, i) => {
    const p = `years[${i}]`;
    if (!Number.isInteger(y.year) || y.year < 1900 || y.year > 2199) {
      issues.push({ path: `${p}.year`, reason: 'must be an integer year 1900..2199' });
      return;
    }
    if (seenYears.has(y.year)) issues.push({ path: `${p}.year`, reason: `year ${y.year} appears twice` });
    seenYears.add(y.year);
    if (typeof y.announced !== 'boolean') issues.push({ path: `${p}.announced`, reason: 'must be true or false' });
    if (!Array.isArray(y.sources) || y.sources.some((s) => typeof s !== 'string' || !s.trim())) {
      issues.push({ path: `${p}.sources`, reason: 'must be a list of non-empty strings' });
    }
    const inYear = (path: string, value: unknown) => {
      const bad = isoIssue(path, value);
      if (bad) issues.push(bad);
      else if (!(value as string).startsWith(`${y.year}-`)) issues.push({ path, reason: `not in year ${y.year}` });
      return !bad;
    };
    if (y.tetDays !== undefined) {
      if (!Array.isArray(y.tetDays) || y.tetDays.length !== 5) {
        issues.push({ path: `${p}.tetDays`, reason: 'the law gives exactly 5 Tết days' });
      } else {
        y.tetDays.forEach((d, j) => inYear(`${p}.tetDays[${j}]`, d));
        if (new Set(y.tetDays).size !== 5) issues.push({ path: `${p}.tetDays`, reason: 'dates repeat' });
      }
    }
    if (y.nationalDayAdjacent !== undefined && y.nationalDayAdjacent !== `${y.year}-09-01` &&
      y.nationalDayAdjacent !== `${y.year}-09-03`) {
      issues.push({ path: `${p}.nationalDayAdjacent`, reason: `must be ${y.year}-09-01 or ${y.year}-09-03` });
    }
    const offDates = new Set<string>();
    for (const key of ['daysOff', 'makeUpWorkingDays'] as const) {
      const list = y[key];
      if (!Array.isArray(list)) {
        issues.push({ path: `${p}.${key}`, reason: 'must be an array' });
        continue;
      }
      const seen = new Set<string>();
      list.forEach((e, j) => {
        const ep = `${p}.${key}[${j}]`;
        if (!e || typeof e !== 'object') {
          issues.push({ path: ep, reason: 'must be an object {date, reason}' });
          return;
        }
        if (inYear(`${ep}.date`, e.date)) {
          if (seen.has(e.date)) issues.push({ path: `${ep}.date`, reason: `${e.date} listed twice` });
          seen.add(e.date);
          if (key === 'daysOff') offDates.add(e.date);
          else if (offDates.has(e.date)) {
            issues.push({ path: `${ep}.date`, reason: `${e.date} is also an announced day off` });
          }
        }
        if (typeof e.reason !== 'string' || !e.reason.trim()) issues.push({ path: `${ep}.reason`, reason: 'required' });
        if (e.source !== undefined && typeof e.source !== 'string') {
          issues.push({ path: `${ep}.source`, reason: 'must be a string' });
        }
      });
    }
  });
  return issues;
}

export function validateCalendarConfig(cfg: CalendarConfig): Issue[] {
  const issues: Issue[] = [];
  if (!Array.isArray(cfg.officeHours) || cfg.officeHours.length === 0) {
    issues.push({ path: 'officeHours', reason: 'at least one office period is required' });
  } else {
    let previousEnd = -1;
    cfg.officeHours.forEach((p, i) => {
      const s = parseHhmm(p?.start ?? '');
      const e = parseHhmm(p?.end ?? '');
      if (s === null) issues.push({ path: `officeHours[${i}].start`, reason: 'must be HH:MM' });
      if (e === null) issues.push({ path: `officeHours[${i}].end`, reason: 'must be HH:MM' });
      if (s === null || e === null) return;
      if (s >= e) issues.push({ path: `officeHours[${i}]`, reason: 'start must be before end' });
      if (s < previousEnd) issues.push({ path: `officeHours[${i}]`, reason: 'periods must be ascending and disjoint' });
      previousEnd = e;
    });
  }
  if (cfg.cutoff !== null && parseHhmm(cfg.cutoff ?? '') === null) {
    issues.push({ path: 'cutoff', reason: 'must be HH:MM or null' });
  }
  const rest = cfg.weeklyRestDays;
  if (!Array.isArray(rest) || rest.some((d) => !Number.isInteger(d) || d < 0 || d > 6) || new Set(rest).size !== rest.length) {
    issues.push({ path: 'weeklyRestDays', reason: 'must be distinct weekdays 0 (Sunday) .. 6 (Saturday)' });
  } else if (rest.length >= 7) {
    issues.push({ path: 'weeklyRestDays', reason: 'at least one weekday must be worked' });
  }
  for (const i of validateCalendarData(cfg.data)) issues.push({ path: `data.${i.path}`, reason: i.reason });
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Statutory holidays of one year

interface DayFact {
  kind: NonWorkingKind;
  reasons: string[];
}

interface YearTable {
  schedule: YearSchedule | undefined;
  nonWorking: Map<number, DayFact>; // excluding plain weekends
  makeUp: Map<number, CalendarEntry>;
}

const KIND_RANK: Record<NonWorkingKind, number> = { statutory: 0, compensatory: 1, announced: 2, weekend: 3 };

function addFact(map: Map<number, DayFact>, day: number, kind: NonWorkingKind, reason: string): void {
  const f = map.get(day);
  if (!f) map.set(day, { kind, reasons: [reason] });
  else {
    if (KIND_RANK[kind] < KIND_RANK[f.kind]) f.kind = kind;
    if (!f.reasons.includes(reason)) f.reasons.push(reason);
  }
}

/** Default choice of the day adjacent to 2/9: the neighbour that joins the holiday to a weekend (recent practice). */
function defaultNationalDayAdjacent(year: number): number {
  const sep2 = dayOfDate(year, 9, 2);
  const wd = weekdayOfDay(sep2);
  // Mon (2024) → 3/9, Thu (2021) → 3/9, Sun → 3/9; Tue (2025), Wed (2026), Fri (2022), Sat (2023) → 1/9.
  return wd === 1 || wd === 4 || wd === 0 ? sep2 + 1 : sep2 - 1;
}

/**
 * Statutory holidays of Bộ luật Lao động 2019 Art. 112(1) falling in solar year `year`, with the year's announced
 * choices (Tết days, the day adjacent to 2/9) when given. Compensatory days are not included (see `yearCalendar`).
 */
export function statutoryHolidays(
  year: number,
  schedule?: YearSchedule,
): { date: string; name: string; reason: string }[] {
  const out: { day: number; name: string; law: string }[] = [];
  out.push({ day: dayOfDate(year, 1, 1), name: 'Tết Dương lịch', law: `${LAW} điểm a` });
  let tetDays: number[];
  if (schedule?.tetDays) tetDays = schedule.tetDays.map((d) => isoToDay(d)!).sort((a, b) => a - b);
  else {
    const eve = tetEve(year);
    const first = dayOfDate(eve.year, eve.month, eve.day);
    tetDays = [0, 1, 2, 3, 4].map((i) => first + i);
  }
  for (const day of tetDays) {
    const iso = dayToIso(day);
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
    const lunar = solarToLunar({ year: y, month: m, day: d });
    out.push({ day, name: `Tết Âm lịch – ${lunarDateLabel(lunar)}`, law: `${LAW} điểm b` });
  }
  const hung = lunarToSolar({ year, month: 3, day: 10, leap: false });
  out.push({
    day: dayOfDate(hung.year, hung.month, hung.day),
    name: `Giỗ Tổ Hùng Vương – mùng 10 tháng 3 năm ${canChiYear(year)}`,
    law: `${LAW} điểm g`,
  });
  out.push({ day: dayOfDate(year, 4, 30), name: 'Ngày Chiến thắng 30/4', law: `${LAW} điểm c` });
  out.push({ day: dayOfDate(year, 5, 1), name: 'Ngày Quốc tế Lao động 1/5', law: `${LAW} điểm d` });
  out.push({ day: dayOfDate(year, 9, 2), name: 'Quốc khánh 2/9', law: `${LAW} điểm đ` });
  const adjacent = schedule?.nationalDayAdjacent
    ? isoToDay(schedule.nationalDayAdjacent)!
    : defaultNationalDayAdjacent(year);
  out.push({ day: adjacent, name: 'Quốc khánh – ngày liền kề 2/9', law: `${LAW} điểm đ` });
  return out
    .filter((h) => dayToIso(h.day).startsWith(`${year}-`))
    .sort((a, b) => a.day - b.day)
    .map((h) => ({ date: dayToIso(h.day), name: h.name, reason: `${h.name} (${h.law})` }));
}

function yearTable(year: number, c: Compiled): YearTable {
  const cached = c.years.get(year);
  if (cached) return cached;
  const data = c.cfg.data;
  const rest = c.cfg.weeklyRestDays;

  const schedule = data.years.find((y) => y.year === year);
  const nonWorking = new Map<number, DayFact>();
  const isRest = (day: number) => rest.includes(weekdayOfDay(day));
  const statutory = statutoryHolidays(year, schedule).map((h) => ({ day: isoToDay(h.date)!, name: h.name, reason: h.reason }));
  for (const h of statutory) addFact(nonWorking, h.day, 'statutory', h.reason);
  // Art. 111(3): a holiday on a weekly rest day is compensated on the next working day (not itself a holiday
  // or already a compensatory day).
  const statutoryDays = new Set(statutory.map((h) => h.day));
  const compDays = new Set<number>();
  for (const h of statutory) {
    if (!isRest(h.day)) continue;
    let d = h.day + 1;
    while (isRest(d) || statutoryDays.has(d) || compDays.has(d)) d++;
    compDays.add(d);
    const restName = weekdayOfDay(h.day) === 0 ? 'Chủ nhật' : weekdayOfDay(h.day) === 6 ? 'thứ Bảy' : 'ngày nghỉ hằng tuần';
    addFact(nonWorking, d, 'compensatory', `Nghỉ bù: ${h.name} trùng ${restName} ${dayToVn(h.day)} (${COMP_LAW})`);
  }
  const makeUp = new Map<number, CalendarEntry>();
  // Entries are filed by the year of their date, whatever record holds them.
  for (const y of data.years) {
    for (const e of y.daysOff) {
      if (e.date.startsWith(`${year}-`)) addFact(nonWorking, isoToDay(e.date)!, 'announced', e.reason);
    }
    for (const e of y.makeUpWorkingDays) {
      if (e.date.startsWith(`${year}-`)) makeUp.set(isoToDay(e.date)!, e);
    }
  }
  const table = { schedule, nonWorking, makeUp };
  c.years.set(year, table);
  return table;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled configuration

interface Compiled {
  cfg: CalendarConfig;
  periods: [number, number][]; // ms after local midnight
  dayLengthMs: number;
  cutoffMs: number | null;
  /** Year tables, built lazily for this compiled snapshot only. */
  years: Map<number, YearTable>;
}

/**
 * Memo per config object, guarded by a fingerprint of its content so that a config edited in place (an
 * administrator adding a day off) is never served from a stale table.
 */
const compiledCache = new WeakMap<CalendarConfig, { fingerprint: string; compiled: Compiled }>();

/** Configs deep-frozen by `frozenCalendarConfig`: immutable, so identity alone keys the memo. */
const frozenConfigs = new WeakSet<CalendarConfig>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * A deep-frozen copy of `cfg`. Use it on hot paths (lists of thousands of dossiers): calls with it skip the
 * content check that guards mutable configs (~25 µs per call).
 */
export function frozenCalendarConfig(cfg: CalendarConfig): CalendarConfig {
  if (frozenConfigs.has(cfg)) return cfg;
  const copy = deepFreeze(structuredClone(cfg));
  frozenConfigs.add(copy);
  return copy;
}

function compile(cfg: CalendarConfig): Compiled {
  const cached = compiledCache.get(cfg);
  if (cached && frozenConfigs.has(cfg)) return cached.compiled;
  const fingerprint = JSON.stringify(cfg);
  if (cached && cached.fingerprint === fingerprint) return cached.compiled;
  const issues = validateCalendarConfig(cfg);
  if (issues.length) throw new CalendarConfigError(issues);
  const periods = cfg.officeHours.map(
    (p) => [parseHhmm(p.start)! * MINUTE_MS, parseHhmm(p.end)! * MINUTE_MS] as [number, number],
  );
  const c: Compiled = {
    cfg,
    periods,
    dayLengthMs: periods.reduce((s, [a, b]) => s + (b - a), 0),
    cutoffMs: cfg.cutoff === null ? null : parseHhmm(cfg.cutoff)! * MINUTE_MS,
    years: new Map(),
  };
  compiledCache.set(cfg, { fingerprint, compiled: c });
  return c;
}

function workingDayNumber(day: number, c: Compiled): boolean {
  const t = yearTable(yearOfDay(day), c);
  if (t.makeUp.has(day)) return true;
  if (t.nonWorking.has(day)) return false;
  return !c.cfg.weeklyRestDays.includes(weekdayOfDay(day));
}

// ---------------------------------------------------------------------------------------------------------------
// Public calendar queries

function toDay(date: string | Date): number {
  if (typeof date === 'string') {
    const d = isoToDay(date);
    if (d === null) throw new RangeError(`invalid date ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
    return d;
  }
  return localDay(date);
}

/** Whether a civil date (`YYYY-MM-DD`, or the UTC+7 date of an instant) is a working day. */
export function isWorkingDay(date: string | Date, cfg: CalendarConfig): boolean {
  return workingDayNumber(toDay(date), compile(cfg));
}

/** Whether an instant lies inside an office period `[start, end)` of a working day. */
export function isWithinOfficeHours(instant: Date, cfg: CalendarConfig): boolean {
  const c = compile(cfg);
  if (!workingDayNumber(localDay(instant), c)) return false;
  const tod = localTimeOfDayMs(instant);
  return c.periods.some(([a, b]) => tod >= a && tod < b);
}

/** Every non-working date of `year` with its reasons, and every make-up working day. */
export function yearCalendar(year: number, cfg: CalendarConfig): YearCalendar {
  const c = compile(cfg);
  if (!Number.isInteger(year) || year < 1900 || year > 2199) throw new RangeError(`year ${year} outside 1900..2199`);
  const t = yearTable(year, c);
  const nonWorking: NonWorkingDay[] = [];
  for (let day = dayOfDate(year, 1, 1); day < dayOfDate(year + 1, 1, 1); day++) {
    if (t.makeUp.has(day)) continue;
    const fact = t.nonWorking.get(day);
    if (fact) nonWorking.push({ date: dayToIso(day), kind: fact.kind, reasons: [...fact.reasons] });
    else if (c.cfg.weeklyRestDays.includes(weekdayOfDay(day))) {
      nonWorking.push({ date: dayToIso(day), kind: 'weekend', reasons: [weekdayOfDay(day) === 0 ? 'Chủ nhật' : weekdayOfDay(day) === 6 ? 'Thứ Bảy' : 'Ngày nghỉ hằng tuần'] });
    }
  }
  const makeUpWorking = [...t.makeUp.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => ({ ...e }));
  return {
    year,
    announced: t.schedule?.announced ?? false,
    sources: [...(t.schedule?.sources ?? [])],
    ...(t.schedule?.note ? { note: t.schedule.note } : {}),
    nonWorking,
    makeUpWorking,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Working-time arithmetic

/** Consecutive non-working days after which the configuration is declared unusable. */
const MAX_NON_WORKING_RUN = 400;

function* officeSegments(c: Compiled, fromMs: number): Generator<[number, number]> {
  let day = localDay(fromMs);
  let idle = 0;
  for (;;) {
    if (workingDayNumber(day, c)) {
      idle = 0;
      for (const [a, b] of c.periods) {
        const s = Math.max(instantMs(day, a), fromMs);
        const e = instantMs(day, b);
        if (s < e) yield [s, e];
      }
    } else if (++idle > MAX_NON_WORKING_RUN) {
      throw new Error(`no working day within ${MAX_NON_WORKING_RUN} days after ${dayToIso(day - idle)}`);
    }
    day++;
  }
}

type Interval = [number, number];

function normalisePauses(pauses: readonly { start: Date; end: Date | null }[], openEnd: number): Interval[] {
  const list: Interval[] = [];
  for (const p of pauses) {
    const s = p.start.getTime();
    const e = p.end === null ? openEnd : p.end.getTime();
    if (Number.isNaN(s) || Number.isNaN(e)) throw new RangeError('pause with an invalid date');
    if (e < s) throw new RangeError(`pause ends before it starts (${p.start.toISOString()})`);
    if (e > s) list.push([s, e]);
  }
  list.sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const iv of list) {
    const last = merged[merged.length - 1];
    if (last && iv[0] <= last[1]) last[1] = Math.max(last[1], iv[1]);
    else merged.push([iv[0], iv[1]]);
  }
  return merged;
}

/** Office segments from `fromMs` with the pauses cut out; ends (returns) inside a pause that never ends. */
function* countedSegments(c: Compiled, fromMs: number, pauses: Interval[]): Generator<Interval> {
  let pi = 0;
  for (const [s0, e] of officeSegments(c, fromMs)) {
    let s = s0;
    while (s < e) {
      while (pi < pauses.length && pauses[pi]![1] <= s) pi++;
      const p = pauses[pi];
      if (!p || p[0] >= e) {
        yield [s, e];
        break;
      }
      if (p[0] > s) yield [s, p[0]];
      if (p[1] === Infinity) return;
      s = p[1];
    }
  }
}

/**
 * The last instant at which no more than `budgetMs` of counted time has elapsed since `startMs`: inside a
 * segment when the budget ends there, otherwise the start of the next counted segment (so a deadline never
 * sits at a closing time or in a pause — it sits where counting would resume).
 */
function consume(c: Compiled, startMs: number, budgetMs: number, pauses: Interval[]): number | null {
  let left = budgetMs;
  for (const [s, e] of countedSegments(c, startMs, pauses)) {
    if (left < e - s) return s + left;
    left -= e - s;
  }
  return null;
}

function countedBetween(c: Compiled, aMs: number, bMs: number, pauses: Interval[]): number {
  let total = 0;
  if (bMs <= aMs) return 0;
  for (const [s, e] of countedSegments(c, aMs, pauses)) {
    if (s >= bMs) break;
    total += Math.min(e, bMs) - s;
  }
  return total;
}

function checkInstant(name: string, d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${name} is not a valid date`);
  return t;
}

function startMs(c: Compiled, fromMs: number, applyCutoff: boolean): number {
  let t = fromMs;
  // "Sau 15 giờ": strictly later than the cut-off counts from the next day.
  if (applyCutoff && c.cutoffMs !== null && localTimeOfDayMs(t) > c.cutoffMs) t = instantMs(localDay(t) + 1, 0);
  const first = officeSegments(c, t).next();
  return (first.value as Interval)[0];
}

/**
 * The instant the clock starts for something received at `received`: the reception instant itself when it is in
 * office hours of a working day and not after the cut-off; otherwise the next opening (after the cut-off: the
 * opening of the next working day).
 */
export function clockStart(received: Date, cfg: CalendarConfig, applyCutoff = true): Date {
  return new Date(startMs(compile(cfg), checkInstant('received', received), applyCutoff));
}

function budgetFor(c: Compiled, start: number, duration: Duration): number {
  if ('days' in duration) {
    const n = duration.days;
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
    if (n > 0) return n * c.dayLengthMs;
    // 0 days = within the counting-start working day: what is left of its office time.
    const tod = localTimeOfDayMs(start);
    return c.periods.reduce((s, [a, b]) => s + Math.max(0, b - Math.max(a, tod)), 0);
  }
  const h = duration.hours;
  if (!Number.isFinite(h) || h < 0) throw new RangeError(`working hours must be a number ≥ 0, got ${h}`);
  return Math.round(h * 3_600_000);
}

function computeDue(c: Compiled, from: Date, duration: Duration, pauses: Interval[], applyCutoff: boolean) {
  const start = startMs(c, checkInstant('from', from), applyCutoff);
  const budget = budgetFor(c, start, duration);
  return { start, budget, due: consume(c, start, budget, pauses) };
}

/**
 * Due instant of `duration` counted from the reception instant `from` (see docs/calendar.md): the cut-off is
 * applied, office hours of working days count, pauses do not. N working days keep the time of day of the
 * counting start (1 working day = one full day of office time).
 */
export function dueDate(from: Date, duration: Duration, cfg: CalendarConfig, opts: DeadlineOptions = {}): Date {
  const c = compile(cfg);
  const pauses = normalisePauses(opts.pauses ?? [], Infinity);
  const { due } = computeDue(c, from, duration, pauses, opts.applyCutoff ?? true);
  // Only a pause without an end can leave the allowance unexhausted; its status comes from deadlineStatus.
  if (due === null) throw new RangeError('a pause has no end: the due instant is unknown (use deadlineStatus)');
  return new Date(due);
}

export function addWorkingDays(from: Date, n: number, cfg: CalendarConfig, opts: DeadlineOptions = {}): Date {
  return dueDate(from, { days: n }, cfg, opts);
}

export function addWorkingHours(from: Date, hours: number, cfg: CalendarConfig, opts: DeadlineOptions = {}): Date {
  return dueDate(from, { hours }, cfg, opts);
}

/** Counted (office, unpaused) time in `[a, b)`, in milliseconds. */
export function workingTimeBetween(a: Date, b: Date, cfg: CalendarConfig, pauses: readonly Pause[] = []): number {
  const c = compile(cfg);
  return countedBetween(c, checkInstant('a', a), checkInstant('b', b), normalisePauses(pauses, Infinity));
}

export interface DeadlineStatus {
  /** When the clock started (after the cut-off rule). */
  clockStart: Date;
  /** Due instant; while paused, the due instant if the clock resumed at `at`. */
  due: Date;
  /** A pause is running at `at`: the remaining time is frozen. */
  paused: boolean;
  /** `at` is later than `due`. */
  late: boolean;
  /** Counted time left until `due` (0 when late). */
  remainingMs: number;
  /** Counted time elapsed since `due` (0 when not late). */
  overdueMs: number;
  /** Counted time consumed so far, and the allowance. */
  elapsedMs: number;
  allowanceMs: number;
}

/**
 * Remaining working time or lateness at instant `at`. Pauses may be open (`end: null` = the applicant has not
 * answered yet); an open pause counts as running up to `at`.
 */
export function deadlineStatus(
  from: Date,
  duration: Duration,
  at: Date,
  cfg: CalendarConfig,
  opts: { pauses?: readonly OpenPause[]; applyCutoff?: boolean } = {},
): DeadlineStatus {
  const c = compile(cfg);
  const atMs = checkInstant('at', at);
  const raw = opts.pauses ?? [];
  const paused = raw.some((p) => p.start.getTime() <= atMs && (p.end === null || atMs < p.end.getTime()));
  // Only what happened up to `at` is known: clip every pause there.
  const known = normalisePauses(
    raw
      .filter((p) => p.start.getTime() < atMs)
      .map((p) => ({ start: p.start, end: p.end === null || p.end.getTime() > atMs ? at : p.end })),
    atMs,
  );
  const { start, budget, due } = computeDue(c, from, duration, known, opts.applyCutoff ?? true);
  const dueMs = due!;
  const late = atMs > dueMs;
  const elapsed = countedBetween(c, start, atMs, known);
  return {
    clockStart: new Date(start),
    due: new Date(dueMs),
    paused,
    late,
    remainingMs: late ? 0 : countedBetween(c, Math.max(start, atMs), dueMs, known),
    overdueMs: late ? countedBetween(c, dueMs, atMs, known) : 0,
    elapsedMs: elapsed,
    allowanceMs: budget,
  };
}
