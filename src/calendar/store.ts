/**
 * Storage of the administrator-maintained calendar data (one row per announced year) and the calendar
 * configuration built from it. The rules themselves stay pure in rules.ts.
 */
import type { Queryable } from '../platform/db/db.ts';
import { SEED_CALENDAR_DATA } from './data/seed.ts';
import { defaultCalendarConfig, type CalendarConfig, type CalendarData, type YearSchedule } from './rules.ts';

/** The seed years, each replaced by the stored year when an administrator has saved one, plus stored-only years. */
export async function loadCalendarData(q: Queryable): Promise<CalendarData> {
  const r = await q.query<{ schedule: YearSchedule }>('SELECT schedule FROM calendar_year ORDER BY year');
  const byYear = new Map<number, YearSchedule>(SEED_CALENDAR_DATA.years.map((y) => [y.year, structuredClone(y)]));
  for (const row of r.rows) byYear.set(row.schedule.year, row.schedule);
  return { years: [...byYear.values()].sort((a, b) => a.year - b.year) };
}

/** The working-day calendar in force: default office hours and cut-off, with the stored announcements. */
export async function loadCalendarConfig(q: Queryable, overrides: Partial<CalendarConfig> = {}): Promise<CalendarConfig> {
  return defaultCalendarConfig({ data: await loadCalendarData(q), ...overrides });
}

export async function isYearStored(q: Queryable, year: number): Promise<boolean> {
  const r = await q.query('SELECT 1 FROM calendar_year WHERE year = $1', [year]);
  return r.rows.length > 0;
}

export async function saveYearSchedule(q: Queryable, schedule: YearSchedule, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO calendar_year (year, schedule, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (year) DO UPDATE SET schedule = EXCLUDED.schedule, updated_at = EXCLUDED.updated_at`,
    [schedule.year, JSON.stringify(schedule), now],
  );
}
