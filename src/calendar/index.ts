/** Public API of the calendar room: pure rules and conversions (no I/O). */
export * from './rules.ts';
export {
  lunarToSolar,
  solarToLunar,
  lunarMonthLength,
  leapMonthOf,
  tetDate,
  tetEve,
  canChiYear,
  lunarDateLabel,
  LUNAR_MIN_YEAR,
  LUNAR_MAX_YEAR,
} from './lunar.ts';
export type { LunarDate, SolarDate } from './lunar.ts';
export { formatInstant, formatInstantVn, parseInstant, parseHhmm, dayToVn } from './time.ts';
export { SEED_CALENDAR_DATA } from './data/seed.ts';
